"""Reading a 271 eligibility response (X12 005010X279A1): per subscriber and dependent, whether
the coverage is active, the plan, and the benefits that bear on outpatient occupational therapy,
every code in words.

The hierarchy: the payer (HL03 20, NM1*PR), us (21, NM1*1P), each subscriber (22, NM1*IL) and
dependent (23, NM1*03). A member's benefits are EB segments, each followed by its HSD, REF, DTP,
AAA, MSG and III segments and an LS/LE loop naming a related entity. AAA segments at any level
are rejections of the inquiry, in words with the follow-up action.

Member-level DTP segments (plan and eligibility dates) are kept with their qualifier in words.

`read_271(text)` returns an `EligibilityResponse`, or raises `X12ReadError` naming the segment;
`eligibility_as_json` gives its JSON form, with each member's `therapy` summary (see
`TherapySummary` for how it is drawn from the EB segments).
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from otclinic.domain.claims.x12.code_lists import Coded, CodeList, coded, coded_or_none
from otclinic.domain.claims.x12.era_envelope import EnvelopeRules
from otclinic.domain.claims.x12.inbound import Reading, open_interchange
from otclinic.domain.claims.x12.tokens import Segment, X12ReadError

RULES = EnvelopeRules(
    set_ids=frozenset({"271"}),
    group_ids=frozenset({"HB"}),
    what="271 eligibility response",
    error=X12ReadError,
    lenient=True,
)
ACTIVE = frozenset({"1", "2", "3", "4", "5"})
INACTIVE = frozenset({"6", "7", "8"})
# The service types whose benefits apply to outpatient OT, most specific first: occupational
# therapy, physical medicine, office visit, mental health, medical care, the plan as a whole.
THERAPY_SERVICE_TYPES = ("AD", "AE", "98", "MH", "1", "30")
# Service types of the therapy threshold (Medicare reports OT with PT and SLP amounts).
THERAPY_AMOUNT_TYPES = frozenset({"AD", "AE", "PT", "AF"})
_THERAPY_WORDS = ("KX", "THERAPY", "THRESHOLD", "CAP")
_LEVELS = {"20": "payer", "21": "receiver", "22": "subscriber", "23": "dependent"}


@dataclass(frozen=True, slots=True)
class Dates:
    """A DTP: what the date is (DTP01 in words) and the day or range (D8 or RD8)."""

    qualifier: Coded
    start: date | None
    end: date | None


@dataclass(frozen=True, slots=True)
class Rejection:
    """AAA: the request was not valid (AAA01 N) or could not be answered: why (AAA03) and what
    to do (AAA04), at the level where it was given."""

    level: str
    reason: Coded | None
    follow_up: Coded | None


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


@dataclass(frozen=True, slots=True)
class Member:
    """A subscriber or dependent and what the payer says of their coverage."""

    level: str
    name: str
    member_id: str | None
    birth_date: date | None
    trace_numbers: tuple[str, ...]
    dates: tuple[Dates, ...]
    rejections: tuple[Rejection, ...]
    benefits: tuple[Benefit, ...]

    @property
    def therapy(self) -> TherapySummary:
        return therapy_summary(self.benefits)


@dataclass(frozen=True, slots=True)
class EligibilityTransaction:
    """One 271 transaction set: the payer, the provider asked about and the members."""

    control_number: str
    payer: str | None
    payer_id: str | None
    provider: str | None
    provider_id: str | None
    rejections: tuple[Rejection, ...]
    members: tuple[Member, ...]


@dataclass(frozen=True, slots=True)
class EligibilityResponse:
    transactions: tuple[EligibilityTransaction, ...]
    warnings: tuple[str, ...]

    @property
    def members(self) -> tuple[Member, ...]:
        return tuple(member for t in self.transactions for member in t.members)


def read_271(text: str) -> EligibilityResponse:
    """Every 271 transaction set in `text`."""
    interchange = open_interchange(text, RULES)
    reading = Reading(interchange.separators, interchange.warnings)
    transactions = tuple(
        _Transaction(reading).read(interchange.body(location)) for location in interchange.sets
    )
    return EligibilityResponse(transactions, tuple(reading.warnings))


@dataclass(slots=True)
class _BenefitBuilder:
    eb: Segment
    delivery: list[str] = field(default_factory=list)
    dates: list[Dates] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    related_entity: str | None = None


@dataclass(slots=True)
class _MemberBuilder:
    level: str
    name: str = ""
    member_id: str | None = None
    birth_date: date | None = None
    traces: list[str] = field(default_factory=list)
    dates: list[Dates] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    benefits: list[_BenefitBuilder] = field(default_factory=list)


class _Transaction:
    def __init__(self, reading: Reading) -> None:
        self.reading = reading
        self.level = ""
        self.parties: dict[str, Segment] = {}
        self.rejections: list[Rejection] = []
        self.members: list[_MemberBuilder] = []
        self.member: _MemberBuilder | None = None
        self.benefit: _BenefitBuilder | None = None
        self.in_ls = False

    def read(self, body: list[Segment]) -> EligibilityTransaction:
        for segment in body[1:-1]:
            self._segment(segment)
        payer, provider = self.parties.get("payer"), self.parties.get("receiver")
        return EligibilityTransaction(
            control_number=body[0].get(2),
            payer=payer.get(3) if payer else None,
            payer_id=payer.get(9) or None if payer else None,
            provider=_name(provider) if provider else None,
            provider_id=provider.get(9) or None if provider else None,
            rejections=tuple(self.rejections),
            members=tuple(self._member(member) for member in self.members),
        )

    def _segment(self, segment: Segment) -> None:
        tag = segment.tag
        if tag == "HL":
            self._hl(segment)
        elif tag in {"LS", "LE"}:
            self.in_ls = tag == "LS"
        elif self.in_ls:
            if tag == "NM1" and self.benefit is not None:
                self.benefit.related_entity = _name(segment) or segment.get(9) or None
        elif tag == "EB":
            self._eb(segment)
        elif tag == "AAA":
            self._aaa(segment)
        elif tag in {"NM1", "TRN", "DMG"} or (tag == "DTP" and self.benefit is None):
            self._member_segment(segment)
        elif self.benefit is not None and tag in {"HSD", "DTP", "MSG"}:
            self._benefit_detail(segment)
        elif tag not in {"BHT", "REF", "N3", "N4", "PER", "PRV", "INS", "HI", "DTP", "MPI", "III"}:
            self.reading.warn(segment, f"{tag} is not a 271 segment; skipped")

    def _hl(self, segment: Segment) -> None:
        code = segment.get(3)
        self.level = _LEVELS.get(code, "")
        self.benefit, self.member, self.in_ls = None, None, False
        if not self.level:
            self.reading.warn(segment, f'HL03 "{code}" is not a 271 hierarchical level')
        elif code in {"22", "23"}:
            self.member = _MemberBuilder(self.level)
            self.members.append(self.member)

    def _member_segment(self, segment: Segment) -> None:
        if self.member is None:
            if segment.tag == "NM1" and self.level:
                self.parties[self.level] = segment
            return
        if segment.tag == "NM1":
            self.member.name = _name(segment)
            self.member.member_id = segment.get(9) or None
        elif segment.tag == "TRN" and segment.get(2):
            self.member.traces.append(segment.get(2))
        elif segment.tag == "DMG" and segment.get(1) == "D8":
            self.member.birth_date = self.reading.day(segment, 2)
        elif segment.tag == "DTP":
            self.member.dates.append(self._dates(segment))

    def _dates(self, segment: Segment) -> Dates:
        start, end = self.reading.period(segment, 2)
        return Dates(coded(CodeList.DATES, segment.get(1)), start, end)

    def _aaa(self, segment: Segment) -> None:
        rejection = Rejection(
            level=self.level or "unknown",
            reason=coded_or_none(CodeList.REJECT_REASONS, segment.get(3)),
            follow_up=coded_or_none(CodeList.FOLLOW_UPS, segment.get(4)),
        )
        if self.member is not None:
            self.member.rejections.append(rejection)
        else:
            self.rejections.append(rejection)

    def _eb(self, segment: Segment) -> None:
        if self.member is None:
            raise X12ReadError(f"{segment.where()}: EB outside a subscriber or dependent level")
        if not segment.get(1):
            raise X12ReadError(f"{segment.where()}: EB01 (the benefit information) is missing")
        self.benefit = _BenefitBuilder(segment)
        self.member.benefits.append(self.benefit)

    def _benefit_detail(self, segment: Segment) -> None:
        benefit = self.benefit
        assert benefit is not None  # checked by the caller
        if segment.tag == "MSG" and segment.get(1):
            benefit.messages.append(segment.get(1))
        elif segment.tag == "DTP":
            benefit.dates.append(self._dates(segment))
        elif segment.tag == "HSD":
            benefit.delivery.append(self.reading.separators.element.join(segment.elements[1:]))

    def _member(self, member: _MemberBuilder) -> Member:
        return Member(
            level=member.level,
            name=member.name,
            member_id=member.member_id,
            birth_date=member.birth_date,
            trace_numbers=tuple(member.traces),
            dates=tuple(member.dates),
            rejections=tuple(member.rejections),
            benefits=tuple(self._benefit(b) for b in member.benefits),
        )

    def _benefit(self, built: _BenefitBuilder) -> Benefit:
        eb, reading = built.eb, self.reading
        return Benefit(
            info=coded(CodeList.BENEFITS, eb.get(1)),
            coverage_level=coded_or_none(CodeList.COVERAGE_LEVELS, eb.get(2)),
            service_types=tuple(
                coded(CodeList.SERVICE_TYPES, code) for code in reading.repeats(eb, 3)
            ),
            insurance_type=coded_or_none(CodeList.INSURANCE_TYPES, eb.get(4)),
            plan_description=eb.get(5) or None,
            time_period=coded_or_none(CodeList.TIME_PERIODS, eb.get(6)),
            amount=reading.amount(eb, 7),
            percent=reading.number(eb, 8),
            quantity_qualifier=coded_or_none(CodeList.QUANTITIES, eb.get(9)),
            quantity=reading.number(eb, 10),
            authorization_required=eb.get(11) or None,
            in_network=eb.get(12) or None,
            procedure=eb.get(13) or None,
            delivery=tuple(built.delivery),
            dates=tuple(built.dates),
            messages=tuple(built.messages),
            related_entity=built.related_entity,
        )


def _name(segment: Segment) -> str:
    """NM103 for an organization; "LAST, FIRST MIDDLE" for a person."""
    last, first, middle = segment.get(3), segment.get(4), segment.get(5)
    if segment.get(2) != "1" or not first:
        return last
    return f"{last}, {first} {middle}".rstrip()


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


def eligibility_as_json(response: EligibilityResponse) -> dict[str, Any]:
    """The 271 as a JSON document: codes as {"code", "words"}, money as strings."""
    return {
        "type": "271",
        "transactions": [
            {
                "control_number": t.control_number,
                "payer": {"name": t.payer, "id": t.payer_id},
                "provider": {"name": t.provider, "id": t.provider_id},
                "rejections": [_rejection_json(r) for r in t.rejections],
                "members": [_member_json(member) for member in t.members],
            }
            for t in response.transactions
        ],
    }


def _member_json(member: Member) -> dict[str, Any]:
    therapy = member.therapy
    return {
        "level": member.level,
        "name": member.name,
        "member_id": member.member_id,
        "birth_date": member.birth_date.isoformat() if member.birth_date else None,
        "trace_numbers": list(member.trace_numbers),
        "dates": _dates_json(member.dates),
        "active": therapy.active,
        "plan": therapy.plan,
        "rejections": [_rejection_json(r) for r in member.rejections],
        "therapy": {
            "copay": _text(therapy.copay),
            "coinsurance": _text(therapy.coinsurance),
            "deductible": _text(therapy.deductible),
            "deductible_remaining": _text(therapy.deductible_remaining),
            "visits_limit": _text(therapy.visits_limit),
            "visits_used": _text(therapy.visits_used),
            "visits_remaining": _text(therapy.visits_remaining),
            "therapy_amounts": list(therapy.therapy_amounts),
            "therapy_messages": list(therapy.therapy_messages),
        },
        "benefits": [_benefit_json(benefit) for benefit in member.benefits],
    }


def _benefit_json(benefit: Benefit) -> dict[str, Any]:
    def code(value: Coded | None) -> dict[str, str | None] | None:
        return value.as_json() if value else None

    return {
        "in_words": benefit.in_words(),
        "info": benefit.info.as_json(),
        "coverage_level": code(benefit.coverage_level),
        "service_types": [service.as_json() for service in benefit.service_types],
        "insurance_type": code(benefit.insurance_type),
        "plan_description": benefit.plan_description,
        "time_period": code(benefit.time_period),
        "amount": _text(benefit.amount),
        "percent": _text(benefit.percent),
        "quantity_qualifier": code(benefit.quantity_qualifier),
        "quantity": _text(benefit.quantity),
        "authorization_required": benefit.authorization_required,
        "in_network": benefit.in_network,
        "procedure": benefit.procedure,
        "delivery": list(benefit.delivery),
        "dates": _dates_json(benefit.dates),
        "messages": list(benefit.messages),
        "related_entity": benefit.related_entity,
    }


def _dates_json(dates: tuple[Dates, ...]) -> list[dict[str, Any]]:
    return [
        {
            "qualifier": d.qualifier.as_json(),
            "from": d.start.isoformat() if d.start else None,
            "to": d.end.isoformat() if d.end else None,
        }
        for d in dates
    ]


def _rejection_json(rejection: Rejection) -> dict[str, Any]:
    return {
        "level": rejection.level,
        "reason": rejection.reason.as_json() if rejection.reason else None,
        "follow_up": rejection.follow_up.as_json() if rejection.follow_up else None,
    }


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)
