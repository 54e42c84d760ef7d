"""Claim status: a 276 inquiry (X12 005010X212) for the claims the payer has not answered N
days after they were submitted, and the payer's 277 answer into each claim's payer status.

`status_inquire` writes one 276 per payer into the outbox for every submitted or accepted claim
without a remittance, submitted at least `status_after_days` days ago (a clinic setting,
default 30) and not asked about within that many days: a second click writes nothing.
`status_import_277` reads the answer and finds each claim by the trace number our 276 sent
(TRN02), or, for a 277 the payer sent unasked, by our claim number (REF*EJ, else TRN02); it
keeps the status category and status codes with their words (X12 external code lists 507 and
508, domain/claims/x12/codes). One transaction; the same file twice changes nothing.
"""

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import organization_id_of, organization_of, require
from otclinic.clinic.audit.models import AuditAction
from otclinic.clinic.audit.services import audit_bulk
from otclinic.clinic.clearinghouse.files import inbox_put, outbox_put
from otclinic.clinic.clearinghouse.models import (
    ClaimStatusInquiry,
    ClearinghouseProfile,
    ExchangeFile,
    FileState,
)
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.organizations.models import Organization
from otclinic.clinic.payers.eligibility import (
    control_numbers_saved,
    coverage_people,
    inquiry_envelope,
    next_control_numbers,
)
from otclinic.clinic.payers.models import Payer
from otclinic.clinic.payers.selectors import connection_of, exchange_ids
from otclinic.clinic.revenue.acknowledgments import reasons_of
from otclinic.clinic.revenue.models import Claim, ClaimStatus
from otclinic.domain.access import Capability
from otclinic.domain.claims.x12 import inquiry276 as x276
from otclinic.domain.claims.x12.inbound import decode
from otclinic.domain.claims.x12.inquiry import InvalidInquiry, Provider
from otclinic.domain.claims.x12.inquiry import Payer as InquiryPayer
from otclinic.domain.claims.x12.status277 import ClaimStatus as AnsweredClaim
from otclinic.domain.claims.x12.status277 import read_277
from otclinic.domain.claims.x12.tokens import X12ReadError

WAITING_FOR_AN_ANSWER = (ClaimStatus.SUBMITTED, ClaimStatus.ACCEPTED)


class ClaimStatusError(ValueError):
    """A 277 that cannot be read (the message names the segment), or is not a 277."""


def profile_for(organization_id: uuid.UUID) -> ClearinghouseProfile:
    """The clinic's clearinghouse settings, made with the defaults the first time."""
    profile, _ = ClearinghouseProfile.objects.get_or_create(organization_id=organization_id)
    return profile


def claims_to_ask_about(
    organization_id: uuid.UUID, *, today: dt.date, after_days: int
) -> list[Claim]:
    """Submitted or accepted claims without a remittance, submitted `after_days` or more days
    before `today`, and not asked about in the last `after_days` days."""
    tz = timezone.get_current_timezone()
    cutoff = dt.datetime.combine(today - dt.timedelta(days=after_days - 1), dt.time.min, tz)
    asked = ClaimStatusInquiry.objects.for_org(organization_id).filter(
        asked_on__gt=today - dt.timedelta(days=after_days)
    )
    return list(
        Claim.objects.for_org(organization_id)
        .filter(status__in=WAITING_FOR_AN_ANSWER, submitted_at__lt=cutoff, remittances=None)
        .exclude(pk__in=asked.values("claim_id"))
        .select_related("coverage__payer", "patient", "organization")
        .order_by("coverage__payer__name", "submitted_at", "patient_control_number")
    )


@dataclass
class StatusRun:
    files: list[ExchangeFile] = field(default_factory=list)
    asked: int = 0
    problems: list[str] = field(default_factory=list)


@transaction.atomic
def status_inquire(*, user: User, today: dt.date | None = None) -> StatusRun:
    """276 files in the outbox (one per payer) for the claims without an answer."""
    require(user, Capability.MANAGE_BILLING)
    today = today or timezone.localdate()
    org = organization_of(user)
    after = profile_for(org.pk).status_after_days
    by_payer: dict[Payer, list[Claim]] = defaultdict(list)
    for claim in claims_to_ask_about(org.pk, today=today, after_days=after):
        by_payer[claim.coverage.payer].append(claim)
    run = StatusRun()
    for payer, claims in by_payer.items():
        connection = connection_of(payer)
        if connection is not None and not connection.sends("276"):
            continue
        _write_for_payer(user=user, org=org, payer=payer, claims=claims, today=today, run=run)
    return run


def _claim_inquiry(claim: Claim, trace: str) -> x276.ClaimInquiry:
    subscriber, patient = coverage_people(claim.coverage)
    return x276.ClaimInquiry(
        trace_number=trace,
        claim_number=claim.patient_control_number,
        subscriber=subscriber,
        patient=patient,
        charge=claim.total_charge,
        service_from=claim.first_service_on,
        service_to=claim.last_service_on,
        payer_claim_number=claim.payer_claim_number,
    )


def _write_for_payer(
    *,
    user: User,
    org: Organization,
    payer: Payer,
    claims: list[Claim],
    today: dt.date,
    run: StatusRun,
) -> None:
    traces = {c.pk: uuid.uuid4().hex[:15].upper() for c in claims}
    sender, _ = exchange_ids(org, payer)
    batch = x276.ClaimStatusBatch(
        payer=InquiryPayer(name=payer.name, payer_id=payer.payer_id),
        receiver=x276.InformationReceiver(name=org.name, identifier=sender),
        provider=Provider(npi=org.npi, organization=org.name),
        claims=tuple(_claim_inquiry(c, traces[c.pk]) for c in claims),
    )
    numbers, counters = next_control_numbers(org.pk)
    try:
        written = x276.write_276(
            batches=[batch],
            envelope=inquiry_envelope(org, payer),
            numbers=numbers,
            created_at=timezone.localtime(),
        )
    except InvalidInquiry as exc:
        run.problems += [
            f"{payer.name}: {_field_words(p.field, claims)}: {p.message}" for p in exc.problems
        ]
        return
    control_numbers_saved(counters, written.next_numbers)
    record = outbox_put(
        organization_id=org.pk,
        kind="276",
        payer=payer,
        name=f"276-{written.interchange:09d}-{payer.payer_id}.x12",
        data=written.text.encode("ascii"),
    )
    asked = ClaimStatusInquiry.objects.bulk_create(
        ClaimStatusInquiry(
            organization=org, claim=c, trace_number=traces[c.pk], asked_on=today, sent_in=record
        )
        for c in claims
    )
    audit_bulk(
        object_type="clearinghouse.claimstatusinquiry",
        object_ids=[i.pk for i in asked],
        organization_id=org.pk,
        action=AuditAction.CREATE,
        detail=f"276 {record.file_name}",
    )
    run.files.append(record)
    run.asked += len(claims)


def _field_words(path: str, claims: list[Claim]) -> str:
    """`batches[0].claims[3].subscriber.member_id` as `claim OT00000012: subscriber.member_id`."""
    _, _, rest = path.partition("].claims[")
    if not rest:
        return path
    index, _, tail = rest.partition("]")
    if index.isdigit() and int(index) < len(claims):
        return f"claim {claims[int(index)].patient_control_number}: {tail.lstrip('.')}"
    return path


@dataclass
class StatusAnswerRun:
    file: ExchangeFile
    already_imported: bool = False
    answered: list[ClaimStatusInquiry] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)


def read_status_answer(data: bytes) -> Any:
    """The 277 claim status answer in `data`; anything else is refused in one line."""
    if not data.strip():
        raise ValidationFailed({"file": ["The file is empty."]})
    try:
        report = read_277(decode(data))
    except X12ReadError as exc:
        raise ClaimStatusError(str(exc)) from None
    if report.kind != "277":
        raise ClaimStatusError(
            f"this is a {report.kind}, not a claim status answer (277, 005010X212): "
            "import it as an acknowledgment"
        )
    return report


@transaction.atomic
def status_import_277(
    *, user: User, data: bytes, file_name: str = "", inbox: ExchangeFile | None = None
) -> StatusAnswerRun:
    """Put a 277's answers on the claims they answer; the same file twice changes nothing."""
    require(user, Capability.MANAGE_BILLING)
    report = read_status_answer(data)
    org = organization_id_of(user)
    record = inbox or inbox_put(organization_id=org, name=file_name or "answer.277", data=data)
    if record.state == FileState.IMPORTED:
        return StatusAnswerRun(record, already_imported=True)
    run = StatusAnswerRun(record)
    answers = list(report.claims)
    by_trace = {
        i.trace_number: i
        for i in ClaimStatusInquiry.objects.for_org(org)
        .select_for_update()
        .filter(trace_number__in=[a.claim_number for a in answers])
    }
    numbers = [_our_claim_number(a) for a in answers if a.claim_number not in by_trace]
    claims = {
        c.patient_control_number: c
        for c in Claim.objects.for_org(org).filter(patient_control_number__in=numbers)
    }
    now = timezone.now()
    for answer in answers:
        inquiry = by_trace.get(answer.claim_number)
        if inquiry is None:
            claim = claims.get(_our_claim_number(answer))
            if claim is None:
                run.unmatched.append(answer.claim_number)
                continue
            inquiry = ClaimStatusInquiry(
                organization_id=org,
                claim=claim,
                trace_number=answer.claim_number[:30],
                asked_on=timezone.localdate(),
            )
        _answer(inquiry, answer, record=record, now=now)
        run.answered.append(inquiry)
    record.kind, record.state, record.done_at = "277", FileState.IMPORTED, now
    record.outcome = _outcome(run)
    record.save(update_fields=["kind", "state", "done_at", "outcome", "updated_at"])
    return run


def _our_claim_number(answer: AnsweredClaim) -> str:
    """REF*EJ (the patient account number: our CLM01), else TRN02."""
    return dict(answer.references).get("EJ") or answer.claim_number


def _answer(
    inquiry: ClaimStatusInquiry, answer: AnsweredClaim, *, record: ExchangeFile, now: dt.datetime
) -> None:
    first = next((s for s in answer.statuses if s.codes), None)
    code = first.codes[0] if first is not None else None
    inquiry.answered_in, inquiry.answered_at = record, now
    inquiry.category = code.category.code[:3] if code else ""
    inquiry.status_code = code.status.code[:5] if code and code.status else ""
    inquiry.status_date = first.effective if first is not None else None
    inquiry.words = reasons_of(answer)
    inquiry.save()


def _outcome(run: StatusAnswerRun) -> str:
    text = f"{len(run.answered)} claim status answer(s) put on the claims"
    if run.unmatched:
        text += f"; not ours: {', '.join(run.unmatched)}"
    return text[:500]
