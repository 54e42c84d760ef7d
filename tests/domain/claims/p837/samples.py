"""Representative OT claims from a synthetic clinic, for golden files and pyx12 checks.

Every person, number and address here is made up; NPIs are generated with valid check digits.
"""

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

from otclinic.domain.claims.x12.p837 import (
    OCCUPATIONAL_THERAPIST_TAXONOMY,
    Address,
    Adjustment,
    AdjustmentGroup,
    BillingProvider,
    Claim,
    ClaimFilingIndicator,
    ClaimFrequency,
    Clinician,
    ControlNumbers,
    Envelope,
    InterchangeParty,
    LineAdjudication,
    OtherPayer,
    Patient,
    Payer,
    PayerResponsibility,
    PersonName,
    Receiver,
    Relationship,
    ServiceFacility,
    ServiceLine,
    Sex,
    Submitter,
    Subscriber,
    Usage,
)
from otclinic.domain.codes import Role

CREATED_AT = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)
NUMBERS = ControlNumbers(interchange=101, group=201, transaction=301)
SERVICE_DAY = date(2025, 3, 10)

CLINIC = BillingProvider(
    organization_name="RIVERBEND OCCUPATIONAL THERAPY LLC",
    npi="1234567893",
    ein="991234567",
    address=Address(
        line1="100 MILL RACE RD", city="RIVERBEND", state="OR", postal_code="970011234"
    ),
)
SUPERVISING_OT = Clinician(
    name=PersonName(last="TESTWELL", first="ALEX"),
    npi="1987654328",
    taxonomy=OCCUPATIONAL_THERAPIST_TAXONOMY,
    role=Role.OT,
)
REFERRING_MD = Clinician(
    name=PersonName(last="SAMPLEMAN", first="JORDAN", middle="Q"), npi="1567890128"
)
MEDICARE = Payer(name="SYNTHETIC MEDICARE B", payer_id="SYNMB1")
COMMERCIAL = Payer(
    name="EXAMPLE HEALTH PLAN",
    payer_id="SYNCI2",
    address=Address(line1="PO BOX 1000", city="SALEM", state="OR", postal_code="97301"),
)
HOME = Address(
    line1="12 EXAMPLE ST", line2="APT 3", city="RIVERBEND", state="OR", postal_code="97002"
)

ENVELOPE = Envelope(
    sender=InterchangeParty(qualifier="ZZ", identifier="RIVERBENDOT"),
    receiver=InterchangeParty(qualifier="ZZ", identifier="SYNCLEARING"),
    application_sender="RIVERBENDOT",
    application_receiver="SYNCLEARING",
    submitter=Submitter(
        name="RIVERBEND OCCUPATIONAL THERAPY LLC",
        identifier="RIVERBENDOT",
        contact_name="BILLING OFFICE",
        phone="5035550100",
    ),
    claims_receiver=Receiver(name="SYNTHETIC CLEARINGHOUSE", identifier="SYNCLEARING"),
    usage=Usage.TEST,
)


def medicare_subscriber(member_id: str = "1EG4TE5MK73") -> Subscriber:
    return Subscriber(
        member_id=member_id,
        name=PersonName(last="DOE", first="PAT"),
        birth_date=date(1950, 6, 1),
        sex=Sex.FEMALE,
        address=HOME,
        responsibility=PayerResponsibility.PRIMARY,
        filing_indicator=ClaimFilingIndicator.MEDICARE_PART_B,
    )


def line(
    code: str,
    *modifiers: str,
    units: int = 1,
    rate: str = "45.00",
    pointers: tuple[int, ...] = (1,),
) -> ServiceLine:
    return ServiceLine(
        procedure_code=code,
        modifiers=modifiers,
        charge=Decimal(rate) * units,
        units=units,
        diagnosis_pointers=pointers,
        service_date=SERVICE_DAY,
    )


def medicare_claim(
    pcn: str, *lines: ServiceLine, diagnoses: tuple[str, ...] = ("I69.351", "R27.8")
) -> Claim:
    return Claim(
        patient_control_number=pcn,
        billing_provider=CLINIC,
        subscriber=medicare_subscriber(),
        payer=MEDICARE,
        place_of_service="11",
        diagnoses=diagnoses,
        rendering_provider=SUPERVISING_OT,
        referring_provider=REFERRING_MD,
        lines=lines,
    )


def ota_with_co() -> Claim:
    """The assistant alone furnished 38 minutes of 97530: three units with CO, and the OT's
    self-care training without; the clinic's satellite office is the service facility."""
    return replace(
        medicare_claim(
            "OTA-CO-1",
            line("97530", "GO", "CO", units=3, pointers=(1, 2)),
            line("97535", "GO", units=1, rate="42.50", pointers=(2,)),
        ),
        initial_treatment_date=date(2025, 2, 3),
        service_facility=ServiceFacility(
            name="RIVERBEND OT EAST CLINIC",
            address=Address(
                line1="45 EAST SIDE AVE", city="RIVERBEND", state="OR", postal_code="97003"
            ),
            npi="2233445560",
        ),
    )


def kx_over_threshold() -> Claim:
    return medicare_claim(
        "KX-1",
        line("97110", "GO", "KX", units=2, rate="38.25"),
        line("97530", "GO", "KX", units=1),
    )


def ncci_59() -> Claim:
    """97140 (column 1) and 97530 (column 2) in separate time blocks: 59 on the column-2 code."""
    return medicare_claim(
        "NCCI-59-1",
        line("97140", "GO", units=1, rate="40.00"),
        line("97530", "GO", "59", units=2),
    )


def split_co() -> Claim:
    """OT 12 minutes and OTA 12 minutes of 97530: one unit without CO and one with."""
    return medicare_claim(
        "SPLIT-CO-1", line("97530", "GO", units=1), line("97530", "GO", "CO", units=1)
    )


def secondary_after_medicare() -> Claim:
    """The commercial plan as secondary after Medicare paid 80% of the allowed amount, line by
    line (2430), for a dependent patient (2000C) on a spouse's plan."""
    first = replace(line("97530", "GO", units=2), line_item_control_number="L1")
    second = replace(line("97535", "GO", units=1, rate="42.50"), line_item_control_number="L2")
    adjudicated = LineAdjudication
    first = replace(
        first,
        adjudications=(
            adjudicated(
                payer_id=MEDICARE.payer_id,
                paid_amount=Decimal("56.00"),
                units=2,
                adjudication_date=date(2025, 3, 28),
                adjustments=(
                    Adjustment(AdjustmentGroup.CONTRACTUAL, "45", Decimal("20.00")),
                    Adjustment(AdjustmentGroup.PATIENT_RESPONSIBILITY, "2", Decimal("14.00")),
                ),
            ),
        ),
    )
    second = replace(
        second,
        adjudications=(
            adjudicated(
                payer_id=MEDICARE.payer_id,
                paid_amount=Decimal("26.40"),
                units=1,
                adjudication_date=date(2025, 3, 28),
                adjustments=(
                    Adjustment(AdjustmentGroup.CONTRACTUAL, "45", Decimal("9.50")),
                    Adjustment(AdjustmentGroup.PATIENT_RESPONSIBILITY, "2", Decimal("6.60")),
                ),
            ),
        ),
    )
    spouse = Subscriber(
        member_id="XYZ123456701",
        name=PersonName(last="DOE", first="CASEY"),
        birth_date=date(1952, 9, 9),
        sex=Sex.MALE,
        address=HOME,
        responsibility=PayerResponsibility.SECONDARY,
        filing_indicator=ClaimFilingIndicator.COMMERCIAL,
        group_number="GRP100",
    )
    return Claim(
        patient_control_number="SEC-1",
        billing_provider=CLINIC,
        subscriber=spouse,
        payer=COMMERCIAL,
        patient=Patient(
            name=PersonName(last="DOE", first="PAT"),
            birth_date=date(1950, 6, 1),
            sex=Sex.FEMALE,
            address=HOME,
            relationship=Relationship.SPOUSE,
        ),
        place_of_service="11",
        diagnoses=("I69.351",),
        rendering_provider=SUPERVISING_OT,
        referring_provider=REFERRING_MD,
        lines=(first, second),
        other_payers=(
            OtherPayer(
                payer=MEDICARE,
                subscriber_name=PersonName(last="DOE", first="PAT"),
                member_id="1EG4TE5MK73",
                responsibility=PayerResponsibility.PRIMARY,
                filing_indicator=ClaimFilingIndicator.MEDICARE_PART_B,
                paid_amount=Decimal("82.40"),
            ),
        ),
    )


def void() -> Claim:
    return replace(
        kx_over_threshold(),
        patient_control_number="KX-1V",
        frequency=ClaimFrequency.VOID,
        payer_claim_control_number="2225071000123",
    )


def correction() -> Claim:
    claim = split_co()
    return replace(
        claim,
        patient_control_number="SPLIT-CO-1R",
        frequency=ClaimFrequency.REPLACEMENT,
        payer_claim_control_number="2225071000456",
        lines=(*claim.lines, line("97535", "GO", units=1, rate="42.50")),
    )


SCENARIOS = {
    "ota_co": ota_with_co,
    "kx": kx_over_threshold,
    "ncci_59": ncci_59,
    "split_co": split_co,
    "secondary": secondary_after_medicare,
    "void": void,
    "correction": correction,
}
