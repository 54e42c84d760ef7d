"""The claim itself: loop 2300 and its service lines (2400), with what other payers paid
(2320/2330 at claim level, 2430 per line) when the claim goes to a secondary payer."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from otclinic.domain.claims.x12.p837.codes import (
    AdjustmentGroup,
    ClaimFilingIndicator,
    ClaimFrequency,
    PayerResponsibility,
    Relationship,
)
from otclinic.domain.claims.x12.p837.parties import (
    BillingProvider,
    Clinician,
    Patient,
    Payer,
    PersonName,
    ServiceFacility,
    Subscriber,
)


@dataclass(frozen=True, slots=True)
class Adjustment:
    """One CAS adjustment: group, claim adjustment reason code (CARC), amount, units."""

    group: AdjustmentGroup
    reason: str
    amount: Decimal
    quantity: int | None = None


@dataclass(frozen=True, slots=True)
class LineAdjudication:
    """Loop 2430: how another payer adjudicated one line (SVD, CAS, DTP*573).

    `payer_id` matches that payer's 2330B NM109. Paid plus adjustments equal the line charge.
    """

    payer_id: str
    paid_amount: Decimal
    units: int
    adjudication_date: date
    adjustments: tuple[Adjustment, ...] = ()


@dataclass(frozen=True, slots=True)
class ServiceLine:
    """Loop 2400: one procedure on one date, with up to 4 modifiers and 4 diagnosis pointers.

    Pointers are 1-based positions in the claim's diagnoses (SV107).
    """

    procedure_code: str
    charge: Decimal
    units: int
    diagnosis_pointers: tuple[int, ...]
    service_date: date
    modifiers: tuple[str, ...] = ()
    line_item_control_number: str = ""
    adjudications: tuple[LineAdjudication, ...] = ()


@dataclass(frozen=True, slots=True)
class OtherPayer:
    """Loops 2320/2330A/2330B: another payer on the claim and what it paid (AMT*D).

    `responsibility` is that payer's own order (P when the primary paid before us).
    `adjudication_date` goes in 2330B DTP*573 when the lines carry no 2430 adjudication.
    """

    payer: Payer
    subscriber_name: PersonName
    member_id: str
    responsibility: PayerResponsibility
    filing_indicator: ClaimFilingIndicator
    paid_amount: Decimal
    relationship: Relationship = Relationship.SELF
    group_number: str = ""
    claim_adjustments: tuple[Adjustment, ...] = ()
    adjudication_date: date | None = None


@dataclass(frozen=True, slots=True)
class Claim:
    """One professional claim: who bills whom for which patient, and loop 2300 onwards.

    `patient` is None when the patient is the subscriber (SBR02 = 18, no 2000C loop).
    The total charge (CLM02) is always the sum of the line charges.
    """

    patient_control_number: str
    billing_provider: BillingProvider
    subscriber: Subscriber
    payer: Payer
    place_of_service: str
    diagnoses: tuple[str, ...]
    rendering_provider: Clinician
    lines: tuple[ServiceLine, ...]
    patient: Patient | None = None
    frequency: ClaimFrequency = ClaimFrequency.ORIGINAL
    payer_claim_control_number: str = ""
    referring_provider: Clinician | None = None
    service_facility: ServiceFacility | None = None
    initial_treatment_date: date | None = None
    other_payers: tuple[OtherPayer, ...] = ()

    @property
    def total_charge(self) -> Decimal:
        """CLM02: the sum of the line charges (SV102)."""
        return sum((line.charge for line in self.lines), Decimal(0))
