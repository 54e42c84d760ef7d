"""The interchange around the claims: ISA/IEA, one GS/GE functional group, and one ST/SE
transaction set per payer (split further past `max_claims_per_transaction` claims).

Batching: a file goes to one receiver (a clearinghouse or a payer), so it holds one interchange
with one functional group. Inside it, each payer gets its own transaction sets: a 999 accepts or
rejects per transaction set, so one payer's rejected batch does not hold up another's. The
implementation guide asks senders to keep a transaction set to 5,000 claims (sec. 1.4.3), which
is the default limit.

Control numbers are supplied by the caller, who persists `WrittenInterchange.next_numbers` in the
same database transaction that records the file, so that numbers are never reused.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from otclinic.domain.claims.x12.interchange import (
    ControlNumbers,
    GroupHeader,
    InterchangeParty,
    wrap_interchange,
)
from otclinic.domain.claims.x12.p837.claim import Claim
from otclinic.domain.claims.x12.p837.codes import Usage
from otclinic.domain.claims.x12.p837.parties import Receiver, Submitter
from otclinic.domain.claims.x12.p837.problems import InvalidClaims
from otclinic.domain.claims.x12.p837.segments import SegmentWriter
from otclinic.domain.claims.x12.p837.transaction import (
    IMPLEMENTATION_GUIDE,
    TransactionHeader,
    write_transaction,
)
from otclinic.domain.claims.x12.p837.validate import validate_claims
from otclinic.domain.claims.x12.p837.validate_envelope import envelope_problems

CLAIMS_PER_TRANSACTION = 5_000


@dataclass(frozen=True, slots=True)
class Envelope:
    """Everything about a file that is not a claim.

    `application_sender`/`application_receiver` are GS02/GS03, often the same as the ISA ids.
    """

    sender: InterchangeParty
    receiver: InterchangeParty
    application_sender: str
    application_receiver: str
    submitter: Submitter
    claims_receiver: Receiver
    usage: Usage
    acknowledgment_requested: bool = False
    max_claims_per_transaction: int = CLAIMS_PER_TRANSACTION
    segment_end: str = "\n"


@dataclass(frozen=True, slots=True)
class WrittenTransaction:
    """One ST/SE transaction set in the file: its control number, payer and claims."""

    control_number: int
    payer_id: str
    patient_control_numbers: tuple[str, ...]
    segment_count: int


@dataclass(frozen=True, slots=True)
class WrittenInterchange:
    """The file's text and the control numbers it used; persist `next_numbers`."""

    text: str
    interchange: int
    group: int
    transactions: tuple[WrittenTransaction, ...]
    next_numbers: ControlNumbers


def write_interchange(
    *,
    claims: Sequence[Claim],
    envelope: Envelope,
    numbers: ControlNumbers,
    created_at: datetime,
) -> WrittenInterchange:
    """An 837P interchange for `claims`, batched by payer; raises `InvalidClaims` naming every
    field that cannot be written, before anything is written."""
    _check_inputs(claims=claims, envelope=envelope, created_at=created_at)
    batches = batch_by_payer(claims, max_claims=envelope.max_claims_per_transaction)
    numbers.check(transactions=len(batches))
    header = TransactionHeader(
        submitter=envelope.submitter, receiver=envelope.claims_receiver, created_at=created_at
    )
    body = SegmentWriter(segment_end=envelope.segment_end)
    written: list[WrittenTransaction] = []
    for number, batch in enumerate(batches, start=numbers.transaction):
        transaction = write_transaction(
            header=header,
            control_number=f"{number:04d}",
            reference=f"{numbers.interchange:09d}{number:04d}",
            claims=batch,
            segment_end=envelope.segment_end,
        )
        body.extend(transaction)
        written.append(_summary(number, batch, transaction.count))
    text = _wrap(body, envelope=envelope, numbers=numbers, created_at=created_at, sets=len(batches))
    return WrittenInterchange(
        text=text,
        interchange=numbers.interchange,
        group=numbers.group,
        transactions=tuple(written),
        next_numbers=numbers.after(len(batches)),
    )


def _check_inputs(*, claims: Sequence[Claim], envelope: Envelope, created_at: datetime) -> None:
    if created_at.tzinfo is None:
        raise ValueError("created_at must be timezone-aware (ISA09/ISA10 and GS04/GS05)")
    if not claims:
        raise ValueError("there are no claims to write")
    problems = envelope_problems(envelope)
    if problems:
        raise InvalidClaims(problems)
    validate_claims(claims)


def batch_by_payer(claims: Iterable[Claim], *, max_claims: int) -> list[list[Claim]]:
    """The claims grouped by payer id in order of first appearance, each payer's claims grouped
    by billing provider (so that each provider has one 2000A), cut into runs of `max_claims`."""
    if max_claims < 1:
        raise ValueError(f"max_claims_per_transaction must be at least 1, not {max_claims}")
    by_payer: dict[str, dict[str, list[Claim]]] = {}
    for claim in claims:
        providers = by_payer.setdefault(claim.payer.payer_id, {})
        providers.setdefault(claim.billing_provider.npi, []).append(claim)
    batches: list[list[Claim]] = []
    for providers in by_payer.values():
        ordered = [claim for group in providers.values() for claim in group]
        batches += [ordered[i : i + max_claims] for i in range(0, len(ordered), max_claims)]
    return batches


def _summary(number: int, batch: list[Claim], segments: int) -> WrittenTransaction:
    return WrittenTransaction(
        control_number=number,
        payer_id=batch[0].payer.payer_id,
        patient_control_numbers=tuple(claim.patient_control_number for claim in batch),
        segment_count=segments,
    )


def _wrap(
    body: SegmentWriter,
    *,
    envelope: Envelope,
    numbers: ControlNumbers,
    created_at: datetime,
    sets: int,
) -> str:
    """ISA and GS before the transaction sets, GE and IEA after, with their counts."""
    header = GroupHeader(
        sender=envelope.sender,
        receiver=envelope.receiver,
        application_sender=envelope.application_sender,
        application_receiver=envelope.application_receiver,
        usage=envelope.usage,
        functional_id="HC",
        version=IMPLEMENTATION_GUIDE,
        acknowledgment_requested=envelope.acknowledgment_requested,
    )
    return wrap_interchange(
        body,
        header=header,
        numbers=numbers,
        created_at=created_at,
        sets=sets,
        segment_end=envelope.segment_end,
    )
