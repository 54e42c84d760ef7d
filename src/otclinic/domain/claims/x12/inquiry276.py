"""Writing a 276 claim status inquiry (X12 005010X212) for one or many claims.

One transaction set per `ClaimStatusBatch` (one payer, asked by one receiver about one billing
provider's claims): the payer (HL 20, NM1*PR), the information receiver (HL 21, NM1*41 with our
submitter id), the provider (HL 19, NM1*1P), then each claim under its subscriber (HL 22) or
dependent patient (HL 23): DMG, NM1, TRN (our trace number, echoed in the 277), REF*1K (the
payer's claim number, when known), REF*EJ (our claim number, CLM01), AMT*T3 (the claim's
charge) and DTP*472 (the dates of service).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

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
from otclinic.domain.claims.x12.interchange import ControlNumbers, SegmentWriter, d8
from otclinic.domain.claims.x12.p837 import checks
from otclinic.domain.claims.x12.p837.problems import Problem
from otclinic.domain.claims.x12.p837.segments import amount

IMPLEMENTATION_GUIDE = "005010X212"


@dataclass(frozen=True, slots=True)
class InformationReceiver:
    """Loop 2100B: who asks and receives the answer (NM1*41; 46 = our ETIN at the payer)."""

    name: str
    identifier: str


@dataclass(frozen=True, slots=True)
class ClaimInquiry:
    """One claim asked about. `claim_number` is our CLM01; `trace_number` (TRN02) comes back in
    the 277; `payer_claim_number` is the payer's (REF*1K) when a 277CA or 835 gave it."""

    trace_number: str
    claim_number: str
    subscriber: Person
    charge: Decimal
    service_from: date
    service_to: date
    patient: Person | None = None
    payer_claim_number: str = ""


@dataclass(frozen=True, slots=True)
class ClaimStatusBatch:
    """The claims one receiver asks one payer about, for one billing provider."""

    payer: Payer
    receiver: InformationReceiver
    provider: Provider
    claims: tuple[ClaimInquiry, ...]


def write_276(
    *,
    batches: Sequence[ClaimStatusBatch],
    envelope: InquiryEnvelope,
    numbers: ControlNumbers,
    created_at: datetime,
) -> WrittenFile:
    """A 276 interchange; raises `InvalidInquiry` naming every field that cannot be written."""
    _check(batches, envelope)

    return write_file(
        batches=batches,
        write_set=_transaction,
        envelope=envelope,
        numbers=numbers,
        created_at=created_at,
        functional_id="HR",
        version=IMPLEMENTATION_GUIDE,
    )


def _check(batches: Sequence[ClaimStatusBatch], envelope: InquiryEnvelope) -> None:
    checker = Checker()
    checker.envelope(envelope)
    if not batches:
        checker.add(Problem("batches", "there are no claims to ask about"))
    for b, batch in enumerate(batches):
        field = f"batches[{b}]"
        checker.parties(batch.payer, batch.provider, field=field)
        checker.text(batch.receiver.name, field=f"{field}.receiver.name", max_length=60)
        checker.text(batch.receiver.identifier, field=f"{field}.receiver.identifier", max_length=80)
        if not batch.claims:
            checker.add(Problem(f"{field}.claims", "there are no claims to ask about"))
        for c, claim in enumerate(batch.claims):
            _check_claim(checker, claim, field=f"{field}.claims[{c}]")
    checker.raise_if_any()


def _check_claim(checker: Checker, claim: ClaimInquiry, *, field: str) -> None:
    checker.text(claim.trace_number, field=f"{field}.trace_number", max_length=50)
    checker.text(claim.claim_number, field=f"{field}.claim_number", max_length=50)
    checker.text(
        claim.payer_claim_number, field=f"{field}.payer_claim_number", max_length=50, required=False
    )
    checker.person(claim.subscriber, field=f"{field}.subscriber", member_id=True)
    if claim.patient is not None:
        checker.person(claim.patient, field=f"{field}.patient", member_id=False)
    checker.add(checks.money(claim.charge, field=f"{field}.charge"))
    if claim.service_to < claim.service_from:
        checker.add(Problem(f"{field}.service_to", "is before service_from"))


def _transaction(batch: ClaimStatusBatch, context: SetContext) -> SegmentWriter:
    out = begin_set(
        context, set_id="276", version=IMPLEMENTATION_GUIDE, structure="0010", payer=batch.payer
    )
    receiver = batch.receiver
    out.add(
        "NM1",
        "41",
        "2",
        write_text(receiver.name),
        "",
        "",
        "",
        "",
        "46",
        write_text(receiver.identifier),
    )
    out.add("HL", "3", "2", "19", "1")
    provider_nm1(out, batch.provider)
    number = 4
    for claim in batch.claims:
        number = _claim(out, claim, number)
    return end_set(out, context)


def _claim(out: SegmentWriter, claim: ClaimInquiry, number: int) -> int:
    """Loop 2000D (and 2000E for a dependent patient); returns the next HL number."""
    patient = claim.patient
    out.add("HL", str(number), "3", "22", "1" if patient else "0")
    if patient is None:
        demographics(out, claim.subscriber)
        person_nm1(out, entity="IL", person=claim.subscriber, member_id=True)
        _status_request(out, claim)
        return number + 1
    person_nm1(out, entity="IL", person=claim.subscriber, member_id=True)
    out.add("HL", str(number + 1), str(number), "23")
    demographics(out, patient)
    person_nm1(out, entity="QC", person=patient, member_id=False)
    _status_request(out, claim)
    return number + 2


def _status_request(out: SegmentWriter, claim: ClaimInquiry) -> None:
    out.add("TRN", "1", write_text(claim.trace_number))
    if claim.payer_claim_number:
        out.add("REF", "1K", write_text(claim.payer_claim_number))
    out.add("REF", "EJ", write_text(claim.claim_number))
    out.add("AMT", "T3", amount(claim.charge))
    if claim.service_from == claim.service_to:
        out.add("DTP", "472", "D8", d8(claim.service_from))
    else:
        out.add("DTP", "472", "RD8", f"{d8(claim.service_from)}-{d8(claim.service_to)}")
