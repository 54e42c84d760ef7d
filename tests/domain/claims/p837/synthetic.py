"""A seeded generator of OT-typical claims: 1-4 timed or evaluation lines with GO on each, CO on
assistant lines, KX past the threshold, 59 on 97530 billed with 97140, dependants on a parent's
commercial plan, secondary claims with the primary's line adjudication, some voids and
corrections. Used by the batch test and by bench/claims_837.py.

Every name, id and address is made up; NPIs are generated with valid check digits.
"""

import random
from dataclasses import replace
from datetime import date, timedelta
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
    LineAdjudication,
    OtherPayer,
    Patient,
    Payer,
    PayerResponsibility,
    PersonName,
    Relationship,
    ServiceFacility,
    ServiceLine,
    Sex,
    Subscriber,
)
from otclinic.domain.identifiers import npi_with_check_digit

RATES = {
    "97530": Decimal("45.00"),
    "97535": Decimal("42.50"),
    "97110": Decimal("38.25"),
    "97112": Decimal("41.00"),
    "97140": Decimal("40.00"),
    "97533": Decimal("48.00"),
    "97165": Decimal("120.00"),
    "97166": Decimal("135.00"),
    "97168": Decimal("90.00"),
}
TIMED = ["97530", "97535", "97110", "97112", "97140", "97533"]
EVALUATIONS = ["97165", "97166", "97168"]
DIAGNOSES = [
    "I69351",
    "I69354",
    "M6281",
    "R278",
    "G8191",
    "M19041",
    "S52501D",
    "F840",
    "R2689",
    "Z9181",
]
LAST = [
    "TESTPERSON",
    "SAMPLE",
    "EXEMPLAR",
    "MOCKWELL",
    "FICTION",
    "PLACEHOLD",
    "DUMMYSON",
    "SYNTHE",
]
FIRST = ["ALEX", "SAM", "JORDAN", "CASEY", "RILEY", "MORGAN", "TAYLOR", "QUINN"]
MEDICARE = Payer(name="SYNTHETIC MEDICARE B", payer_id="SYNMB1")
MEDICAID = Payer(name="SYNTHETIC MEDICAID", payer_id="SYNMC1")
COMMERCIAL = [Payer(name=f"EXAMPLE HEALTH PLAN {n}", payer_id=f"SYNCI{n}") for n in range(1, 4)]


def _npi(rng: random.Random) -> str:
    return npi_with_check_digit("1" + "".join(rng.choices("0123456789", k=8)))


def _address(rng: random.Random, *, zip9: bool = False) -> Address:
    postal = f"97{rng.randint(0, 999):03d}" + (f"{rng.randint(0, 9999):04d}" if zip9 else "")
    return Address(
        line1=f"{rng.randint(1, 9999)} EXAMPLE {rng.choice(['ST', 'AVE', 'RD'])}",
        city="RIVERBEND",
        state="OR",
        postal_code=postal,
    )


def _person(rng: random.Random) -> PersonName:
    return PersonName(last=rng.choice(LAST), first=rng.choice(FIRST))


_MBI_LETTERS = "ACDEFGHJKMNPQRTUVWXY"


def _mbi(rng: random.Random) -> str:
    """A synthetic Medicare Beneficiary Identifier of the published form (CAXNAXNAANN)."""
    pick = {
        "C": "123456789",
        "N": "0123456789",
        "A": _MBI_LETTERS,
        "X": _MBI_LETTERS + "0123456789",
    }
    return "".join(rng.choice(pick[c]) for c in "CAXNAXNAANN")


class ClaimGenerator:
    """Claims from a fixed seed: the same seed always gives the same claims."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        rng = self.rng
        self.clinics = [
            BillingProvider(
                organization_name=f"RIVERBEND OT GROUP {n}",
                npi=npi_with_check_digit(f"2{rng.randint(0, 99999999):08d}"),
                ein=f"{rng.randint(100000000, 999999999)}",
                address=_address(rng, zip9=True),
                pay_to_address=_address(rng) if n == 2 else None,
            )
            for n in range(1, 3)
        ]
        self.satellite = ServiceFacility(name="RIVERBEND OT SATELLITE", address=_address(rng))
        self.therapists = [
            Clinician(name=_person(rng), npi=_npi(rng), taxonomy=OCCUPATIONAL_THERAPIST_TAXONOMY)
            for _ in range(4)
        ]
        self.physicians = [Clinician(name=_person(rng), npi=_npi(rng)) for _ in range(5)]
        self.count = 0

    def claims(self, number: int, *, lines: int | None = None) -> list[Claim]:
        """`number` claims with `lines` lines each, or 1-4 lines when not given."""
        return [self.claim(lines=lines) for _ in range(number)]

    def claim(self, *, lines: int | None = None) -> Claim:
        rng = self.rng
        self.count += 1
        payer = rng.choice([MEDICARE] * 5 + [MEDICAID] * 2 + COMMERCIAL)
        diagnoses = tuple(rng.sample(DIAGNOSES, rng.randint(1, 4)))
        day = date(2025, 1, 2) + timedelta(days=rng.randint(0, 300))
        claim = Claim(
            patient_control_number=f"PCN{self.count:07d}",
            billing_provider=rng.choice(self.clinics),
            subscriber=self._subscriber(payer),
            payer=payer,
            place_of_service=rng.choice(["11", "11", "11", "12"]),
            diagnoses=diagnoses,
            rendering_provider=rng.choice(self.therapists),
            referring_provider=rng.choice(self.physicians),
            lines=self._lines(payer, day=day, diagnoses=len(diagnoses), count=lines),
            initial_treatment_date=day - timedelta(days=rng.randint(0, 60))
            if rng.random() < 0.3
            else None,
        )
        if claim.place_of_service == "11" and rng.random() < 0.2:
            claim = replace(claim, service_facility=self.satellite)
        return self._variant(claim)

    def _subscriber(self, payer: Payer) -> Subscriber:
        rng = self.rng
        filing = {
            MEDICARE.payer_id: ClaimFilingIndicator.MEDICARE_PART_B,
            MEDICAID.payer_id: ClaimFilingIndicator.MEDICAID,
        }.get(payer.payer_id, ClaimFilingIndicator.COMMERCIAL)
        if filing is ClaimFilingIndicator.MEDICARE_PART_B:
            member_id = _mbi(rng)
        else:
            member_id = f"{rng.choice('ABCDEFGH')}{rng.randint(10**8, 10**9 - 1)}"
        return Subscriber(
            member_id=member_id,
            name=_person(rng),
            birth_date=date(1935, 1, 1) + timedelta(days=rng.randint(0, 30000)),
            sex=rng.choice([Sex.FEMALE, Sex.MALE]),
            address=_address(rng),
            responsibility=PayerResponsibility.PRIMARY,
            filing_indicator=filing,
            group_number=""
            if filing is not ClaimFilingIndicator.COMMERCIAL
            else f"G{rng.randint(100, 999)}",
        )

    def _lines(
        self, payer: Payer, *, day: date, diagnoses: int, count: int | None
    ) -> tuple[ServiceLine, ...]:
        rng = self.rng
        wanted = count if count is not None else rng.randint(1, 4)
        codes = [rng.choice(EVALUATIONS)] if rng.random() < 0.15 else []
        codes += rng.sample(TIMED, min(wanted - len(codes), len(TIMED)))
        while len(codes) < wanted:
            codes.append(codes[-1])  # split CO lines: the same code with and without CO
        kx = payer is MEDICARE and rng.random() < 0.15
        lines = []
        for index, code in enumerate(codes):
            modifiers = ["GO"]
            assistant = code in TIMED and (
                rng.random() < 0.25 or (index and codes[index - 1] == code)
            )
            if assistant:
                modifiers.append("CO")
            if code == "97530" and "97140" in codes:
                modifiers.append("59")
            if kx:
                modifiers.append("KX")
            units = 1 if code in EVALUATIONS else rng.randint(1, 4)
            pointers = tuple(
                sorted(rng.sample(range(1, diagnoses + 1), rng.randint(1, min(4, diagnoses))))
            )
            lines.append(
                ServiceLine(
                    procedure_code=code,
                    modifiers=tuple(modifiers),
                    charge=RATES[code] * units,
                    units=units,
                    diagnosis_pointers=pointers,
                    service_date=day,
                    line_item_control_number=f"{self.count}-{index + 1}",
                )
            )
        return tuple(lines)

    def _variant(self, claim: Claim) -> Claim:
        """Some dependants, secondary claims, voids and corrections among the originals."""
        roll = self.rng.random()
        if claim.payer in COMMERCIAL and roll < 0.2:
            return replace(claim, patient=self._dependant())
        if claim.payer in COMMERCIAL and roll < 0.3:
            return self._secondary(claim)
        if claim.payer in COMMERCIAL and roll < 0.4:
            return self._secondary_claim_level(claim)
        if roll < 0.03:
            return replace(
                claim, frequency=ClaimFrequency.VOID, payer_claim_control_number=f"ICN{self.count}"
            )
        if roll < 0.06:
            return replace(
                claim,
                frequency=ClaimFrequency.REPLACEMENT,
                payer_claim_control_number=f"ICN{self.count}",
            )
        return claim

    def _dependant(self) -> Patient:
        rng = self.rng
        return Patient(
            name=_person(rng),
            birth_date=date(2012, 1, 1) + timedelta(days=rng.randint(0, 3000)),
            sex=rng.choice([Sex.FEMALE, Sex.MALE]),
            address=_address(rng),
            relationship=Relationship.CHILD,
        )

    def _secondary(self, claim: Claim) -> Claim:
        """The commercial plan as secondary after Medicare: each line 80% of 70% paid."""
        lines = tuple(replace(line, adjudications=(_medicare_paid(line),)) for line in claim.lines)
        paid = sum((line.adjudications[0].paid_amount for line in lines), Decimal(0))
        other = OtherPayer(
            payer=MEDICARE,
            subscriber_name=claim.subscriber.name,
            member_id=f"1EG4TE5MK{self.count % 100:02d}",
            responsibility=PayerResponsibility.PRIMARY,
            filing_indicator=ClaimFilingIndicator.MEDICARE_PART_B,
            paid_amount=paid,
        )
        subscriber = replace(claim.subscriber, responsibility=PayerResponsibility.SECONDARY)
        return replace(claim, lines=lines, subscriber=subscriber, other_payers=(other,))

    def _secondary_claim_level(self, claim: Claim) -> Claim:
        """Secondary after Medicare, with only the claim-level adjudication (2320 CAS, 2330B
        DTP*573) as some remittances give it."""
        allowed = (claim.total_charge * Decimal("0.70")).quantize(Decimal("0.01"))
        paid = (allowed * Decimal("0.80")).quantize(Decimal("0.01"))
        other = OtherPayer(
            payer=MEDICARE,
            subscriber_name=claim.subscriber.name,
            member_id=f"1EG4TE5MK{self.count % 100:02d}",
            responsibility=PayerResponsibility.PRIMARY,
            filing_indicator=ClaimFilingIndicator.MEDICARE_PART_B,
            paid_amount=paid,
            claim_adjustments=(
                Adjustment(AdjustmentGroup.CONTRACTUAL, "45", claim.total_charge - allowed),
                Adjustment(AdjustmentGroup.PATIENT_RESPONSIBILITY, "2", allowed - paid),
            ),
            adjudication_date=claim.lines[0].service_date + timedelta(days=21),
        )
        subscriber = replace(claim.subscriber, responsibility=PayerResponsibility.SECONDARY)
        return replace(claim, subscriber=subscriber, other_payers=(other,))


def _medicare_paid(line: ServiceLine) -> LineAdjudication:
    allowed = (line.charge * Decimal("0.70")).quantize(Decimal("0.01"))
    paid = (allowed * Decimal("0.80")).quantize(Decimal("0.01"))
    return LineAdjudication(
        payer_id=MEDICARE.payer_id,
        paid_amount=paid,
        units=line.units,
        adjudication_date=line.service_date + timedelta(days=21),
        adjustments=(
            Adjustment(AdjustmentGroup.CONTRACTUAL, "45", line.charge - allowed),
            Adjustment(AdjustmentGroup.PATIENT_RESPONSIBILITY, "2", allowed - paid),
        ),
    )
