"""The benefits of a 271 eligibility response (X12 005010X279A1) and what they mean for an
outpatient occupational therapy visit.

A `Benefit` is one EB segment with the HSD, DTP and MSG segments that follow it, every code in
words; `therapy_summary` draws the front desk's `TherapySummary` from a member's benefits:
whether the coverage is active, the copay, coinsurance, deductible and visits of the most
specific therapy service type, and the therapy threshold's amounts and messages.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from otclinic.domain.claims.x12.code_lists import Coded, CodeList, coded

ACTIVE = frozenset({"1", "2", "3", "4", "5"})
INACTIVE = frozenset({"6", "7", "8"})
# The service types whose benefits apply to outpatient OT, most specific first: occupational
# therapy, physical medicine, office visit, mental health, medical care, the plan as a whole.
THERAPY_SERVICE_TYPES = ("AD", "AE", "98", "MH", "1", "30")
# Service types of the therapy threshold (Medicare reports OT with PT and SLP amounts).
THERAPY_AMOUNT_TYPES = frozenset({"AD", "AE", "PT", "AF"})
_THERAPY_WORDS = ("KX", "THERAPY", "THRESHOLD", "CAP")


@dataclass(frozen=True, slots=True)
class Dates:
    """A DTP: what the date is (DTP01 in words) and the day or range (D8 or RD8)."""

    qualifier: Coded
    start: date | None
    end: date | None


@dataclass(frozen=True, slots=True)
class Benefit:
    """One EB segment with what follows it."""

    info: Coded
    coverage_level: Coded | None
    service_types: tuple[Coded, ...]
    insurance_type: Coded | None
    plan_description: str | None
    time_period: Coded | None
    amount: Decimal | None
    percent: Decimal | None
    quantity_qualifier: Coded | None
    quantity: Decimal | None
    authorization_required: str | None
    in_network: str | None
    procedure: str | None
    delivery: tuple[str, ...]
    dates: tuple[Dates, ...]
    messages: tuple[str, ...]
    related_entity: str | None

    @property
    def type_codes(self) -> frozenset[str]:
        return frozenset(service.code for service in self.service_types)

    def in_words(self) -> str:
        """ "Co-payment, Occupational therapy, Visit: 25.00 (in network)"."""
        parts = [self.info.words or f"EB01 {self.info.code}"]
        parts += [s.words or s.code for s in self.service_types]
        if self.time_period is not None:
            parts.append(self.time_period.words or self.time_period.code)
        figures = []
        if self.amount is not None:
            figures.append(f"{self.amount}")
        if self.percent is not None:
            figures.append(f"{self.percent * 100:.0f}%")
        if self.quantity is not None and self.quantity_qualifier is not None:
            figures.append(f"{self.quantity.normalize():f} {self.quantity_qualifier.words}")
        text = ", ".join(parts) + (f": {'; '.join(figures)}" if figures else "")
        network = {"Y": "in network", "N": "out of network", "W": "in and out of network"}
        return text + (f" ({network[self.in_network]})" if self.in_network in network else "")


@dataclass(frozen=True, slots=True)
class TherapySummary:
    """What the front desk needs for an OT visit, drawn from the EB segments:

    - `active`: an EB01 1-5 on the plan (or with no service type) makes it True, an EB01 6-8
      False; neither leaves it None.
    - copay (EB01 B, EB07), coinsurance (A, EB08), deductible (C, EB07; EB06 29 "remaining"
      gives `deductible_remaining`): the benefit of the most specific service type in
      `THERAPY_SERVICE_TYPES`, in network first.
    - visits (EB01 F limitations with EB09 VS visits or P6 services, or an HSD*VS): EB06 29 is
      what remains, EB09 99 what is used, otherwise the limit.
    - `therapy_amounts`: every EB with an amount for OT, PT or SLP (AD, AE, PT, AF) other than
      copay, coinsurance and deductible, such as Medicare's therapy threshold amounts; and
      `therapy_messages`: MSG texts that speak of the KX threshold or therapy caps.
    """

    active: bool | None
    plan: str | None
    copay: Decimal | None
    coinsurance: Decimal | None
    deductible: Decimal | None
    deductible_remaining: Decimal | None
    visits_limit: Decimal | None
    visits_used: Decimal | None
    visits_remaining: Decimal | None
    therapy_amounts: tuple[str, ...]
    therapy_messages: tuple[str, ...]


def therapy_summary(benefits: tuple[Benefit, ...]) -> TherapySummary:
    """The front desk's summary of `benefits` (see `TherapySummary`)."""
    relevant = [b for b in benefits if not b.service_types or b.type_codes & _RELEVANT]
    deductibles = _ranked(relevant, "C")
    return TherapySummary(
        active=_active(benefits),
        plan=next((b.plan_description for b in benefits if b.plan_description), None),
        copay=_first(_ranked(relevant, "B"), "amount"),
        coinsurance=_first(_ranked(relevant, "A"), "percent"),
        deductible=_first([b for b in deductibles if not _remaining(b)], "amount"),
        deductible_remaining=_first([b for b in deductibles if _remaining(b)], "amount"),
        **_visits(relevant),
        therapy_amounts=tuple(
            b.in_words()
            for b in benefits
            if b.type_codes & THERAPY_AMOUNT_TYPES
            and b.amount is not None
            and b.info.code not in {"A", "B", "C"}
        ),
        therapy_messages=tuple(
            message
            for b in benefits
            for message in b.messages
            if any(word in message.upper() for word in _THERAPY_WORDS)
        ),
    )


_RELEVANT = frozenset(THERAPY_SERVICE_TYPES) | THERAPY_AMOUNT_TYPES


def _active(benefits: tuple[Benefit, ...]) -> bool | None:
    for benefit in benefits:
        on_plan = not benefit.service_types or "30" in benefit.type_codes
        if benefit.info.code in ACTIVE and on_plan:
            return True
        if benefit.info.code in INACTIVE:
            return False
    return None


def _rank(benefit: Benefit) -> tuple[int, int]:
    """Most specific service type first, then in network before the rest."""
    positions = [THERAPY_SERVICE_TYPES.index(c) for c in benefit.type_codes if c in _ORDER]
    return (
        min(positions, default=len(THERAPY_SERVICE_TYPES)),
        0 if benefit.in_network == "Y" else 1,
    )


_ORDER = frozenset(THERAPY_SERVICE_TYPES)


def _ranked(benefits: list[Benefit], info: str) -> list[Benefit]:
    return sorted((b for b in benefits if b.info.code == info), key=_rank)


def _first(benefits: list[Benefit], attribute: str) -> Decimal | None:
    values = (getattr(b, attribute) for b in benefits)
    return next((value for value in values if value is not None), None)


def _remaining(benefit: Benefit) -> bool:
    return benefit.time_period is not None and benefit.time_period.code in {"29", "33"}


def _visits(benefits: list[Benefit]) -> dict[str, Decimal | None]:
    found: dict[str, Decimal | None] = {
        "visits_limit": None,
        "visits_used": None,
        "visits_remaining": None,
    }
    for benefit in sorted((b for b in benefits if b.info.code == "F"), key=_rank):
        quantity, qualifier = benefit.quantity, benefit.quantity_qualifier
        if quantity is None or qualifier is None:
            quantity, qualifier = _delivery_visits(benefit), coded(CodeList.QUANTITIES, "VS")
        if quantity is None:
            continue
        if qualifier.code == "99":
            key = "visits_used"
        elif qualifier.code in {"VS", "P6"}:
            key = "visits_remaining" if _remaining(benefit) else "visits_limit"
        else:
            continue
        if found[key] is None:
            found[key] = quantity
    return found


def _delivery_visits(benefit: Benefit) -> Decimal | None:
    """HSD*VS*quantity: a number of visits per period."""
    for delivery in benefit.delivery:
        qualifier, _, rest = delivery.partition("*")
        quantity = rest.partition("*")[0]
        if qualifier == "VS" and quantity.isdigit():
            return Decimal(quantity)
    return None
