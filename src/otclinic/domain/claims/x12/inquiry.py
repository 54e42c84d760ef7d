"""What the 270 eligibility inquiry and the 276 claim status inquiry writers share: the input
facts (the payer asked, the provider asking, the people asked about), the envelope, the checks
that refuse bad input naming its field, and the written file.

Every text is checked against the X12 character set (`charset.x12_text`) and written in its
X12 form (Zoë as Zoe); a character that cannot be written is a `Problem` naming the field.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeVar

from otclinic.domain.claims.x12.charset import CharacterSetRefusal, x12_text
from otclinic.domain.claims.x12.interchange import (
    ControlNumbers,
    GroupHeader,
    InterchangeParty,
    SegmentWriter,
    hhmm,
    wrap_interchange,
)
from otclinic.domain.claims.x12.p837 import checks
from otclinic.domain.claims.x12.p837.parties import PersonName
from otclinic.domain.claims.x12.p837.problems import InvalidClaims, Problem

Batch = TypeVar("Batch")
USAGES = frozenset({"P", "T"})
SEXES = frozenset({"F", "M", "U"})
ISA_QUALIFIERS = frozenset({"01", "14", "20", "27", "28", "29", "30", "33", "ZZ"})


class InvalidInquiry(InvalidClaims):
    """Raised before anything is written; `problems` names every field to fix."""


@dataclass(frozen=True, slots=True)
class InquiryEnvelope:
    """ISA and GS: who sends (ISA06, GS02) and receives (ISA08, GS03), and ISA15 usage (P
    production or T test)."""

    sender: InterchangeParty
    receiver: InterchangeParty
    application_sender: str
    application_receiver: str
    usage: str = "P"
    segment_end: str = "\n"


@dataclass(frozen=True, slots=True)
class Payer:
    """Loop 2100A: the payer asked (NM1*PR, PI payer id)."""

    name: str
    payer_id: str


@dataclass(frozen=True, slots=True)
class Provider:
    """The provider asking (NM1*1P, XX NPI): an organization unless `name` is a person's."""

    npi: str
    organization: str = ""
    person: PersonName | None = None


@dataclass(frozen=True, slots=True)
class Person:
    """A subscriber or a dependent patient: name, member id (subscriber), birth date and sex
    (F, M or U; DMG)."""

    name: PersonName
    member_id: str = ""
    birth_date: date | None = None
    sex: str = ""


@dataclass(frozen=True, slots=True)
class WrittenFile:
    """The file's text, its transaction sets' control numbers and the numbers to persist."""

    text: str
    interchange: int
    group: int
    transactions: tuple[int, ...]
    next_numbers: ControlNumbers


@dataclass(frozen=True, slots=True)
class SetContext:
    """What a transaction set's writer needs besides its facts: ST02, the BHT03 reference, the
    creation time (BHT04/BHT05) and what follows each segment terminator."""

    control: str
    reference: str
    created_at: datetime
    segment_end: str


class Checker:
    """Collects problems and the X12 form of every text checked."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, problem: Problem | None) -> None:
        if problem is not None:
            self.problems.append(problem)

    def text(self, value: str, *, field: str, max_length: int, required: bool = True) -> None:
        if required:
            self.add(checks.required(value, field=field, max_length=max_length))
        elif len(value) > max_length:
            self.add(Problem(field, f"is {len(value)} characters; X12 allows at most {max_length}"))
        try:
            x12_text(value, field=field)
        except CharacterSetRefusal as exc:
            self.add(Problem(field, str(exc).partition(": ")[2]))

    def person(self, person: Person, *, field: str, member_id: bool) -> None:
        self.text(person.name.last, field=f"{field}.name.last", max_length=60)
        self.text(person.name.first, field=f"{field}.name.first", max_length=35)
        self.text(person.name.middle, field=f"{field}.name.middle", max_length=25, required=False)
        if member_id:
            self.text(person.member_id, field=f"{field}.member_id", max_length=80)
        if person.sex and person.sex not in SEXES:
            self.add(Problem(f"{field}.sex", f"{person.sex!r} is not F, M or U"))

    def parties(self, payer: Payer, provider: Provider, *, field: str) -> None:
        self.text(payer.name, field=f"{field}.payer.name", max_length=60)
        self.text(payer.payer_id, field=f"{field}.payer.payer_id", max_length=80)
        self.add(checks.npi(provider.npi, field=f"{field}.provider.npi"))
        if provider.person is not None:
            self.person(Person(provider.person), field=f"{field}.provider", member_id=False)
        else:
            self.text(provider.organization, field=f"{field}.provider.organization", max_length=60)

    def envelope(self, envelope: InquiryEnvelope) -> None:
        for role, party in (("sender", envelope.sender), ("receiver", envelope.receiver)):
            if party.qualifier not in ISA_QUALIFIERS:
                self.add(
                    Problem(
                        f"envelope.{role}.qualifier",
                        f"{party.qualifier!r} is not an ISA id qualifier",
                    )
                )
            self.text(party.identifier, field=f"envelope.{role}.identifier", max_length=15)
        for name in ("application_sender", "application_receiver"):
            self.text(getattr(envelope, name), field=f"envelope.{name}", max_length=15)
        if envelope.usage not in USAGES:
            self.add(
                Problem("envelope.usage", f"{envelope.usage!r} is not P (production) or T (test)")
            )
        if envelope.segment_end not in {"", "\n", "\r\n"}:
            self.add(Problem("envelope.segment_end", "is nothing or a line break"))

    def raise_if_any(self) -> None:
        if self.problems:
            raise InvalidInquiry(self.problems)


def write_text(value: str) -> str:
    """The X12 form of a value that the checks have passed."""
    return x12_text(value, field="value").value


def person_nm1(out: SegmentWriter, *, entity: str, person: Person, member_id: bool) -> None:
    """NM1 for a person (NM102 = 1), with the member id (MI) when asked for."""
    name = person.name
    out.add(
        "NM1",
        entity,
        "1",
        write_text(name.last),
        write_text(name.first),
        write_text(name.middle),
        "",
        "",
        "MI" if member_id else "",
        write_text(person.member_id) if member_id else "",
    )


def provider_nm1(out: SegmentWriter, provider: Provider) -> None:
    """NM1*1P with the NPI: a person (1) or an organization (2)."""
    if provider.person is not None:
        name = provider.person
        parts = ("1", write_text(name.last), write_text(name.first), write_text(name.middle))
    else:
        parts = ("2", write_text(provider.organization), "", "")
    out.add("NM1", "1P", *parts, "", "", "XX", provider.npi)


def payer_nm1(out: SegmentWriter, payer: Payer) -> None:
    out.add(
        "NM1", "PR", "2", write_text(payer.name), "", "", "", "", "PI", write_text(payer.payer_id)
    )


def demographics(out: SegmentWriter, person: Person) -> None:
    """DMG: birth date and sex, when known."""
    if person.birth_date is not None:
        out.add("DMG", "D8", _d8(person.birth_date), person.sex)


def begin_set(
    context: SetContext, *, set_id: str, version: str, structure: str, payer: Payer
) -> SegmentWriter:
    """ST, BHT (`structure` is BHT01; BHT02 13 = request), and the payer's level: HL 1 and
    NM1*PR, with HL 2 (level 21) opened under it."""
    out = SegmentWriter(segment_end=context.segment_end)
    out.add("ST", set_id, context.control, version)
    moment = context.created_at
    out.add("BHT", structure, "13", context.reference, _d8(moment), hhmm(moment))
    out.add("HL", "1", "", "20", "1")
    payer_nm1(out, payer)
    out.add("HL", "2", "1", "21", "1")
    return out


def end_set(out: SegmentWriter, context: SetContext) -> SegmentWriter:
    """SE with the set's segment count."""
    out.add("SE", str(out.count + 1), context.control)
    return out


def _d8(day: date) -> str:
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def write_file(
    *,
    batches: Sequence[Batch],
    write_set: Callable[[Batch, SetContext], SegmentWriter],
    envelope: InquiryEnvelope,
    numbers: ControlNumbers,
    created_at: datetime,
    functional_id: str,
    version: str,
) -> WrittenFile:
    """The interchange around one transaction set per batch, each written by `write_set(batch,
    context)`."""
    check_moment(created_at)
    numbers.check(transactions=len(batches))
    body = SegmentWriter(segment_end=envelope.segment_end)
    written: list[int] = []
    for number, batch in enumerate(batches, start=numbers.transaction):
        context = SetContext(
            control=f"{number:04d}",
            reference=f"{numbers.interchange:09d}{number:04d}",
            created_at=created_at,
            segment_end=envelope.segment_end,
        )
        body.extend(write_set(batch, context))
        written.append(number)
    header = GroupHeader(
        sender=envelope.sender,
        receiver=envelope.receiver,
        application_sender=envelope.application_sender,
        application_receiver=envelope.application_receiver,
        usage=envelope.usage,
        functional_id=functional_id,
        version=version,
    )
    text = wrap_interchange(
        body,
        header=header,
        numbers=numbers,
        created_at=created_at,
        sets=len(batches),
        segment_end=envelope.segment_end,
    )
    return WrittenFile(
        text=text,
        interchange=numbers.interchange,
        group=numbers.group,
        transactions=tuple(written),
        next_numbers=numbers.after(len(batches)),
    )


def check_moment(created_at: datetime) -> None:
    if created_at.tzinfo is None:
        raise ValueError("created_at must be timezone-aware (ISA09/ISA10, GS04/GS05 and BHT)")
