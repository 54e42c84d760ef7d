"""Reading a 277CA claim acknowledgment (X12 005010X214) or a 277 claim status response
(005010X212): per claim, its status category and status codes in words and what they point to.

Both are the same hierarchy of HL levels: the payer or clearinghouse (HL03 20), the receiver,
us (21), the billing provider (19), then each claim under its subscriber (22), dependent (23) or
patient (PT, 277CA). A claim opens with TRN (TRN02: in a 277CA our claim number, CLM01; in a
277 the trace number of our 276) and carries STC statuses, REF numbers (1K the payer's claim
number, D9 the clearinghouse's, EJ our patient account, BLT the bill type), DTP dates and SVC
service lines with their own STC. The 277CA also gives a verdict on the whole batch at the
receiver and provider levels (`LevelStatus`).

`read_277(text)` returns a `ClaimStatusReport` (kind "277CA" or "277", from ST03 or GS08) or
raises `X12ReadError` naming the segment; `status277_json.status_report_as_json` gives its JSON
form.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from otclinic.domain.claims.x12.code_lists import Coded, CodeList, coded, coded_or_none
from otclinic.domain.claims.x12.era_envelope import EnvelopeRules
from otclinic.domain.claims.x12.inbound import Interchange, Reading, open_interchange
from otclinic.domain.claims.x12.tokens import Segment, X12ReadError

ACKNOWLEDGMENT_GUIDE = "005010X214"
STATUS_GUIDE = "005010X212"
RULES = EnvelopeRules(
    set_ids=frozenset({"277"}),
    group_ids=frozenset({"HN"}),
    what="277 claim acknowledgment or claim status response",
    error=X12ReadError,
    lenient=True,
)
# Category codes that say the claim did not get into the payer's system (277CA).
REJECTED = frozenset({"A3", "A4", "A6", "A7", "A8"})
ACCEPTED = frozenset({"A0", "A1", "A2", "A5"})
_LEVELS = {"20": "information source", "21": "information receiver", "19": "service provider"}
_CLAIM_LEVELS = frozenset({"22", "23", "PT"})


@dataclass(frozen=True, slots=True)
class StatusCode:
    """One C043 composite: the category (STCxx-1), the status (-2) and the entity it points to
    (-3), e.g. A7 rejected for invalid information / 164 contract/member number / IL subscriber.
    `code_list` (-4) is set when the status code comes from another list than the claim status
    codes (RX: an NCPDP reject/payment code), whose words are then not looked up."""

    category: Coded
    status: Coded | None
    entity: Coded | None
    code_list: str | None = None

    def in_words(self) -> str:
        """ "Category words: status words (entity words)", codes shown where words are unknown."""
        text = self.category.words or f"category {self.category.code}"
        if self.status is not None:
            listed = f"code {self.status.code} of list {self.code_list}" if self.code_list else ""
            text += f": {self.status.words or listed or f'status code {self.status.code}'}"
        if self.entity is not None:
            text += f" ({self.entity.words or f'entity {self.entity.code}'})"
        return text


@dataclass(frozen=True, slots=True)
class Status:
    """One STC: up to three status codes (STC01, STC10, STC11), the status date (STC02), the
    action (STC03: WQ accepted, U rejected), the amounts (STC04 charge, STC05 paid), the
    payment's date and check or EFT number (STC08, STC09) and a free-form message (STC12)."""

    codes: tuple[StatusCode, ...]
    effective: date | None
    action: str | None
    charge: Decimal | None
    paid: Decimal | None
    payment_date: date | None
    check_number: str | None
    message: str | None


@dataclass(frozen=True, slots=True)
class Party:
    """NM1: who a level is about, its entity code (in words), name and identifier."""

    entity: Coded
    name: str
    identifier: str | None


@dataclass(frozen=True, slots=True)
class LevelStatus:
    """A status above the claims: the information source, receiver or provider level."""

    level: str
    party: Party | None
    trace_number: str | None
    statuses: tuple[Status, ...]


@dataclass(frozen=True, slots=True)
class ServiceStatus:
    """SVC and its statuses: procedure (SVC01 as qualifier:code:modifiers), charge, paid,
    units, service dates and line item control number (REF*FJ)."""

    procedure: str
    charge: Decimal | None
    paid: Decimal | None
    units: Decimal | None
    service_from: date | None
    service_to: date | None
    line_control_number: str | None
    statuses: tuple[Status, ...]


@dataclass(frozen=True, slots=True)
class ClaimStatus:
    """One claim's answer. `claim_number` is TRN02; `references` the REF numbers by qualifier."""

    claim_number: str
    payer_claim_number: str | None
    clearinghouse_trace: str | None
    references: tuple[tuple[str, str], ...]
    subscriber: Party | None
    patient: Party | None
    provider: Party | None
    statuses: tuple[Status, ...]
    service_from: date | None
    service_to: date | None
    services: tuple[ServiceStatus, ...]

    @property
    def categories(self) -> frozenset[str]:
        found = {code.category.code for status in self.statuses for code in status.codes}
        for service in self.services:
            found |= {code.category.code for s in service.statuses for code in s.codes}
        return frozenset(found)

    @property
    def rejected(self) -> bool:
        """A 277CA rejection: any status category A3, A4, A6, A7 or A8."""
        return bool(self.categories & REJECTED)

    @property
    def accepted(self) -> bool:
        """A 277CA acceptance: an A0, A1, A2 or A5 category and no rejection."""
        return bool(self.categories & ACCEPTED) and not self.rejected


@dataclass(frozen=True, slots=True)
class StatusTransaction:
    """One 277 transaction set: BHT03 reference and BHT04 date, the levels and the claims."""

    control_number: str
    reference: str | None
    created: date | None
    levels: tuple[LevelStatus, ...]
    claims: tuple[ClaimStatus, ...]


@dataclass(frozen=True, slots=True)
class ClaimStatusReport:
    """A 277CA ("277CA") or 277 ("277") file: its transaction sets and warnings."""

    kind: str
    transactions: tuple[StatusTransaction, ...]
    warnings: tuple[str, ...]

    @property
    def claims(self) -> tuple[ClaimStatus, ...]:
        return tuple(claim for t in self.transactions for claim in t.claims)


def read_277(text: str) -> ClaimStatusReport:
    """Every 277 transaction set in `text`, as a 277CA or a 277 by its ST03 (or GS08)."""
    interchange = open_interchange(text, RULES)
    reading = Reading(interchange.separators, interchange.warnings)
    kinds = {_kind(interchange, location.group, location.start) for location in interchange.sets}
    if len(kinds) > 1:
        raise X12ReadError(
            f"{interchange.segment(interchange.sets[0].start).where()}: the file mixes 277CA"
            " acknowledgments and 277 status responses; read them as separate files"
        )
    transactions = tuple(
        _Transaction(reading).read(interchange.body(location)) for location in interchange.sets
    )
    return ClaimStatusReport(kinds.pop(), transactions, tuple(reading.warnings))


def kind_of(version: str) -> str | None:
    """ "277CA" for 005010X214, "277" for 005010X212, None for anything else."""
    if version.startswith(ACKNOWLEDGMENT_GUIDE):
        return "277CA"
    if version.startswith(STATUS_GUIDE):
        return "277"
    return None


def _kind(interchange: Interchange, group: int, start: int) -> str:
    st, gs = interchange.segment(start), interchange.segment(group)
    kind = kind_of(st.get(3)) or kind_of(gs.get(8))
    if kind is None:
        raise X12ReadError(
            f'{st.where()}: neither ST03 "{st.get(3)}" nor GS08 "{gs.get(8)}" names'
            f" {ACKNOWLEDGMENT_GUIDE} (277CA) or {STATUS_GUIDE} (277)"
        )
    if st.get(3) and gs.get(8) and kind_of(gs.get(8)) != kind:
        interchange.warnings.append(
            f'{gs.where()}: GS08 "{gs.get(8)}" does not match ST03 "{st.get(3)}" at {st.where()};'
            " read as ST03 says"
        )
    return kind


@dataclass(slots=True)
class _Level:
    level: str
    party: Party | None = None
    trace: str | None = None
    statuses: list[Status] = field(default_factory=list)


@dataclass(slots=True)
class _Service:
    svc: Segment
    statuses: list[Status] = field(default_factory=list)
    dates: tuple[date | None, date | None] = (None, None)
    line_control_number: str | None = None


@dataclass(slots=True)
class _Claim:
    trn: Segment
    subscriber: Party | None
    patient: Party | None
    provider: Party | None
    statuses: list[Status] = field(default_factory=list)
    references: list[tuple[str, str]] = field(default_factory=list)
    dates: tuple[date | None, date | None] = (None, None)
    services: list[_Service] = field(default_factory=list)


class _Transaction:
    """Reads one 277 transaction set, segment by segment, keeping the open HL level, claim and
    service line."""

    def __init__(self, reading: Reading) -> None:
        self.reading = reading
        self.levels: list[_Level] = []
        self.claims: list[_Claim] = []
        self.hl_code = ""
        self.level: _Level | None = None
        self.claim: _Claim | None = None
        self.service: _Service | None = None
        self.subscriber: Party | None = None
        self.patient: Party | None = None
        self.provider: Party | None = None

    def read(self, body: list[Segment]) -> StatusTransaction:
        bht: Segment | None = None
        for segment in body[1:-1]:
            if segment.tag == "BHT":
                bht = segment
            else:
                self._segment(segment)
        st = body[0]
        if bht is None:
            self.reading.warn(st, "the transaction set has no BHT")
        return StatusTransaction(
            control_number=st.get(2),
            reference=bht.get(3) or None if bht else None,
            created=self.reading.day(bht, 4) if bht else None,
            levels=tuple(
                LevelStatus(level.level, level.party, level.trace, tuple(level.statuses))
                for level in self.levels
            ),
            claims=tuple(_claim(claim, self.reading) for claim in self.claims),
        )

    def _segment(self, segment: Segment) -> None:
        tag = segment.tag
        if tag == "HL":
            self._hl(segment)
        elif tag == "NM1":
            self._nm1(segment)
        elif tag == "TRN":
            self._trn(segment)
        elif tag == "STC":
            self._stc(segment)
        elif tag == "SVC":
            self._svc(segment)
        elif tag == "REF":
            self._ref(segment)
        elif tag == "DTP":
            self._dtp(segment)
        elif tag not in {"QTY", "AMT", "PER", "DMG"}:
            self.reading.warn(segment, f"{tag} is not a 277 segment; skipped")

    def _hl(self, segment: Segment) -> None:
        code = segment.get(3)
        self.hl_code, self.claim, self.service, self.level = code, None, None, None
        if code in _LEVELS:
            self.level = _Level(_LEVELS[code])
            self.levels.append(self.level)
            if code == "19":
                self.provider = None
        elif code == "22":
            self.subscriber, self.patient = None, None
        elif code not in _CLAIM_LEVELS:
            self.reading.warn(segment, f'HL03 "{code}" is not a 277 hierarchical level')

    def _nm1(self, segment: Segment) -> None:
        party = Party(
            entity=coded(CodeList.ENTITIES, segment.get(1)),
            name=_name(segment),
            identifier=segment.get(9) or None,
        )
        if self.level is not None:
            self.level.party = party
            if self.hl_code == "19":
                self.provider = party
        elif self.hl_code == "22":
            self.subscriber = party
        elif self.hl_code in {"23", "PT"}:
            self.patient = party

    def _trn(self, segment: Segment) -> None:
        if self.level is not None:
            self.level.trace = segment.get(2) or None
            return
        if self.hl_code not in _CLAIM_LEVELS:
            self.reading.warn(segment, "TRN outside any HL level; skipped")
            return
        if not segment.get(2):
            raise X12ReadError(f"{segment.where()}: TRN02 (the claim's trace number) is missing")
        self.service = None
        self.claim = _Claim(segment, self.subscriber, self.patient, self.provider)
        self.claims.append(self.claim)

    def _stc(self, segment: Segment) -> None:
        status = _status(segment, self.reading)
        if self.service is not None:
            self.service.statuses.append(status)
        elif self.claim is not None:
            self.claim.statuses.append(status)
        elif self.level is not None:
            self.level.statuses.append(status)
        else:
            self.reading.warn(segment, "STC before any claim's TRN; skipped")

    def _svc(self, segment: Segment) -> None:
        if self.claim is None:
            raise X12ReadError(f"{segment.where()}: SVC outside a claim (no TRN before it)")
        self.service = _Service(segment)
        self.claim.services.append(self.service)

    def _ref(self, segment: Segment) -> None:
        qualifier, value = segment.get(1), segment.get(2)
        if self.service is not None and qualifier == "FJ":
            self.service.line_control_number = value or None
        elif self.claim is not None and self.service is None:
            self.claim.references.append((qualifier, value))

    def _dtp(self, segment: Segment) -> None:
        if segment.get(1) != "472":
            return
        dates = self.reading.period(segment, 2)
        if self.service is not None:
            self.service.dates = dates
        elif self.claim is not None:
            self.claim.dates = dates


def _name(segment: Segment) -> str:
    """NM103 for an organization; "LAST, FIRST MIDDLE" for a person."""
    last, first, middle = segment.get(3), segment.get(4), segment.get(5)
    if segment.get(2) != "1" or not first:
        return last
    return f"{last}, {first} {middle}".rstrip()


def _status(segment: Segment, reading: Reading) -> Status:
    codes = tuple(
        _status_code(reading.components(segment, index))
        for index in (1, 10, 11)
        if segment.get(index)
    )
    if not codes:
        raise X12ReadError(f"{segment.where()}: STC01 (the claim status) is missing")
    return Status(
        codes=codes,
        effective=reading.day(segment, 2),
        action=segment.get(3) or None,
        charge=reading.amount(segment, 4),
        paid=reading.amount(segment, 5),
        payment_date=reading.day(segment, 8),
        check_number=segment.get(9) or None,
        message=segment.get(12) or None,
    )


def _status_code(parts: list[str]) -> StatusCode:
    parts = [*parts, "", "", ""]
    other_list = parts[3] or None
    status = coded_or_none(CodeList.STATUS_CODES, parts[1])
    if other_list and status is not None:
        status = Coded(status.code, None)
    return StatusCode(
        category=coded(CodeList.STATUS_CATEGORIES, parts[0]),
        status=status,
        entity=coded_or_none(CodeList.ENTITIES, parts[2]),
        code_list=other_list,
    )


def _claim(claim: _Claim, reading: Reading) -> ClaimStatus:
    references = dict(claim.references)
    return ClaimStatus(
        claim_number=claim.trn.get(2),
        payer_claim_number=references.get("1K") or None,
        clearinghouse_trace=references.get("D9") or None,
        references=tuple(claim.references),
        subscriber=claim.subscriber,
        patient=claim.patient,
        provider=claim.provider,
        statuses=tuple(claim.statuses),
        service_from=claim.dates[0],
        service_to=claim.dates[1],
        services=tuple(_service(service, reading) for service in claim.services),
    )


def _service(service: _Service, reading: Reading) -> ServiceStatus:
    svc = service.svc
    return ServiceStatus(
        procedure=svc.get(1),
        charge=reading.amount(svc, 2),
        paid=reading.amount(svc, 3),
        units=reading.number(svc, 7),
        service_from=service.dates[0],
        service_to=service.dates[1],
        line_control_number=service.line_control_number,
        statuses=tuple(service.statuses),
    )
