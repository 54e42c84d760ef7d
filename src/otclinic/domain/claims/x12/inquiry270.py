"""Writing a 270 eligibility inquiry (X12 005010X279A1) for one or many subscribers.

One transaction set per inquiry, as real-time exchanges (CAQH CORE) require and every batch
receiver accepts: the payer (HL 20, NM1*PR), the provider (HL 21, NM1*1P), the subscriber (HL 22)
and, when the patient is a dependent, the dependent (HL 23). (linuxforhealth-x12 0.57, which the
tests validate every 270 with, also refuses a second subscriber under one provider.) The patient's loop carries TRN (our trace number,
which the 271 echoes), NM1, DMG, DTP*291 (the date of service asked about) and EQ with the service types asked about: 30
(health benefit plan coverage) and the OT-relevant types by default.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from otclinic.domain.claims.x12.code_lists import CodeList, code_list
from otclinic.domain.claims.x12.inquiry import (
    Checker,
    InquiryEnvelope,
    Payer,
    Person,
    Provider,
    SetContext,
    WrittenFile,
    begin_set,
    demographics,
    end_set,
    person_nm1,
    provider_nm1,
    write_file,
    write_text,
)
from otclinic.domain.claims.x12.interchange import (
    SEPARATORS,
    ControlNumbers,
    SegmentWriter,
    d8,
)
from otclinic.domain.claims.x12.p837.problems import Problem

IMPLEMENTATION_GUIDE = "005010X279A1"
# 30 health benefit plan coverage, AD occupational therapy, AE physical medicine, 98 office visit.
THERAPY_SERVICE_TYPES = ("30", "AD", "AE", "98")


@dataclass(frozen=True, slots=True)
class EligibilityInquiry:
    """One person asked about: the subscriber, or a dependent patient with their subscriber.

    `trace_number` (TRN02, at most 50 characters) comes back in the 271 to match the answer;
    `originator` (TRN03) is "1" and our EIN, or "9" and an id of our own (10 characters).
    """

    trace_number: str
    originator: str
    subscriber: Person
    service_date: date
    dependent: Person | None = None
    service_types: tuple[str, ...] = THERAPY_SERVICE_TYPES


@dataclass(frozen=True, slots=True)
class EligibilityBatch:
    """The inquiries one provider sends one payer."""

    payer: Payer
    provider: Provider
    inquiries: tuple[EligibilityInquiry, ...]


def write_270(
    *,
    batches: Sequence[EligibilityBatch],
    envelope: InquiryEnvelope,
    numbers: ControlNumbers,
    created_at: datetime,
) -> WrittenFile:
    """A 270 interchange; raises `InvalidInquiry` naming every field that cannot be written."""
    _check(batches, envelope)

    one_each = [
        EligibilityBatch(batch.payer, batch.provider, (inquiry,))
        for batch in batches
        for inquiry in batch.inquiries
    ]
    return write_file(
        batches=one_each,
        write_set=_transaction,
        envelope=envelope,
        numbers=numbers,
        created_at=created_at,
        functional_id="HS",
        version=IMPLEMENTATION_GUIDE,
    )


def _check(batches: Sequence[EligibilityBatch], envelope: InquiryEnvelope) -> None:
    checker = Checker()
    checker.envelope(envelope)
    if not batches:
        checker.add(Problem("batches", "there is nobody to ask about"))
    known_types = code_list(CodeList.SERVICE_TYPES)
    for b, batch in enumerate(batches):
        field = f"batches[{b}]"
        checker.parties(batch.payer, batch.provider, field=field)
        if not batch.inquiries:
            checker.add(Problem(f"{field}.inquiries", "there is nobody to ask about"))
        for i, inquiry in enumerate(batch.inquiries):
            where = f"{field}.inquiries[{i}]"
            checker.text(inquiry.trace_number, field=f"{where}.trace_number", max_length=50)
            if len(inquiry.originator) != 10 or not inquiry.originator.isalnum():
                checker.add(
                    Problem(
                        f"{where}.originator",
                        f"{inquiry.originator!r} is not 10 letters or digits ('1' and the EIN)",
                    )
                )
            checker.person(inquiry.subscriber, field=f"{where}.subscriber", member_id=True)
            if inquiry.dependent is not None:
                checker.person(inquiry.dependent, field=f"{where}.dependent", member_id=False)
            if not inquiry.service_types:
                checker.add(Problem(f"{where}.service_types", "name at least one service type"))
            for code in inquiry.service_types:
                if code not in known_types:
                    checker.add(
                        Problem(f"{where}.service_types", f"{code!r} is not a service type code")
                    )
    checker.raise_if_any()


def _transaction(batch: EligibilityBatch, context: SetContext) -> SegmentWriter:
    out = begin_set(
        context, set_id="270", version=IMPLEMENTATION_GUIDE, structure="0022", payer=batch.payer
    )
    provider_nm1(out, batch.provider)
    number = 3
    for inquiry in batch.inquiries:
        number = _inquiry(out, inquiry, number)
    return end_set(out, context)


def _inquiry(out: SegmentWriter, inquiry: EligibilityInquiry, number: int) -> int:
    """Loop 2000C (and 2000D for a dependent); returns the next HL number."""
    dependent = inquiry.dependent
    out.add("HL", str(number), "2", "22", "1" if dependent else "0")
    if dependent is None:
        _patient(out, inquiry, entity="IL", person=inquiry.subscriber, member_id=True)
        return number + 1
    person_nm1(out, entity="IL", person=inquiry.subscriber, member_id=True)
    out.add("HL", str(number + 1), str(number), "23", "0")
    _patient(out, inquiry, entity="03", person=dependent, member_id=False)
    return number + 2


def _patient(
    out: SegmentWriter, inquiry: EligibilityInquiry, *, entity: str, person: Person, member_id: bool
) -> None:
    out.add("TRN", "1", write_text(inquiry.trace_number), inquiry.originator)
    person_nm1(out, entity=entity, person=person, member_id=member_id)
    demographics(out, person)
    out.add("DTP", "291", "D8", d8(inquiry.service_date))
    # One EQ with EQ01 repeated (X279A1 allows 99 repetitions) rather than one EQ loop per type:
    # both are valid, and linuxforhealth-x12 0.57 fails on a repeated 2110C/2110D loop.
    out.add("EQ", (SEPARATORS.repetition or "^").join(inquiry.service_types))
