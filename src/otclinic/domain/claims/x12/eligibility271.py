"""Reading a 271 eligibility response (X12 005010X279A1): per subscriber and dependent, whether
the coverage is active, the plan, and the benefits that bear on outpatient occupational therapy,
every code in words.

The hierarchy: the payer (HL03 20, NM1*PR), us (21, NM1*1P), each subscriber (22, NM1*IL) and
dependent (23, NM1*03). A member's benefits are EB segments, each followed by its HSD, REF, DTP,
AAA, MSG and III segments and an LS/LE loop naming a related entity. AAA segments at any level
are rejections of the inquiry, in words with the follow-up action.

Member-level DTP segments (plan and eligibility dates) are kept with their qualifier in words.

`read_271(text)` returns an `EligibilityResponse`, or raises `X12ReadError` naming the segment.
What the benefits mean (each member's `therapy` summary) is `eligibility271_benefits`; the JSON
form is `eligibility271_json.eligibility_as_json`.
"""

from dataclasses import dataclass, field
from datetime import date

from otclinic.domain.claims.x12.code_lists import Coded, CodeList, coded, coded_or_none
from otclinic.domain.claims.x12.eligibility271_benefits import (
    Benefit,
    Dates,
    TherapySummary,
    therapy_summary,
)
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
_LEVELS = {"20": "payer", "21": "receiver", "22": "subscriber", "23": "dependent"}


@dataclass(frozen=True, slots=True)
class Rejection:
    """AAA: the request was not valid (AAA01 N) or could not be answered: why (AAA03) and what
    to do (AAA04), at the level where it was given."""

    level: str
    reason: Coded | None
    follow_up: Coded | None


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
