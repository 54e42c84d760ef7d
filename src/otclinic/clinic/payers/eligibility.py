"""Eligibility: a 270 inquiry for the patients on a day's schedule, and the payer's 271 answer
onto their coverage (X12 005010X279A1).

`eligibility_inquire_for_day` asks each payer about every coverage behind the day's booked
visits (one 270 file per payer, written with the organization's X12 control numbers, the same
counters as the 837P), once per coverage and date: a second click on the same day writes
nothing new. The file goes to the clearinghouse (download it from the page, or an outbox).
`eligibility_import_271` reads the answer, finds each request by the trace number the 271
echoes (TRN02), and puts the answer in words on the request and on the coverage: active or not,
the plan, copay, coinsurance, deductible left, therapy visits used and left, therapy threshold
amounts and messages. The front desk sees it on the chart and on the day's schedule.
"""

import datetime as dt
import hashlib
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import organization_of, require
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.payers.hooks import control_number_rows, coverage_ids_booked_on
from otclinic.clinic.payers.models import Coverage, EligibilityFile, EligibilityRequest
from otclinic.clinic.payers.selectors import exchange_ids
from otclinic.domain.access import Capability
from otclinic.domain.claims.x12 import inquiry270 as x270
from otclinic.domain.claims.x12.eligibility271 import Member, read_271
from otclinic.domain.claims.x12.eligibility271_benefits import TherapySummary
from otclinic.domain.claims.x12.inbound import decode
from otclinic.domain.claims.x12.inquiry import (
    InquiryEnvelope,
    InvalidInquiry,
    Person,
    Provider,
)
from otclinic.domain.claims.x12.inquiry import Payer as InquiryPayer
from otclinic.domain.claims.x12.interchange import ControlNumbers, InterchangeParty
from otclinic.domain.claims.x12.p837 import PersonName
from otclinic.domain.claims.x12.tokens import X12ReadError


class EligibilityError(ValueError):
    """A 271 that cannot be read, or an inquiry that cannot be written, in one line."""


@dataclass
class InquiryRun:
    files: list[EligibilityFile] = field(default_factory=list)
    asked: int = 0
    already_asked: int = 0
    problems: list[str] = field(default_factory=list)


def _coverages_booked_on(organization_id: uuid.UUID, day: dt.date) -> list[Coverage]:
    ids = coverage_ids_booked_on(organization_id=organization_id, day=day)
    return list(
        Coverage.objects.for_org(organization_id)
        .filter(pk__in=ids)
        .select_related("payer", "patient")
        .order_by("payer__name", "patient__last_name", "pk")
    )


def coverage_people(coverage: Coverage) -> tuple[Person, Person | None]:
    """The subscriber, and the patient when the patient is a dependent (270 and 276 alike)."""
    patient = coverage.patient
    name = PersonName(last=patient.last_name, first=patient.first_name)
    me = Person(
        name=name, member_id=coverage.member_id, birth_date=patient.birth_date, sex=patient.sex
    )
    if coverage.subscriber_relationship == "self" or not coverage.subscriber_name.strip():
        return me, None
    first, _, last = coverage.subscriber_name.strip().partition(" ")
    subscriber = Person(
        name=PersonName(last=last or first, first=first if last else ""),
        member_id=coverage.member_id,
    )
    return subscriber, Person(name=name, birth_date=patient.birth_date, sex=patient.sex)


def next_control_numbers(organization_id: uuid.UUID) -> tuple[ControlNumbers, dict[str, Any]]:
    """The next ISA13/GS06/ST02 and the locked counter rows (the 837P's), to advance after."""
    rows = control_number_rows(organization_id)
    numbers = ControlNumbers(
        interchange=rows["interchange"].last_value + 1,
        group=rows["group"].last_value + 1,
        transaction=rows["transaction"].last_value + 1,
    )
    return numbers, rows


def control_numbers_saved(counters: dict[str, Any], following: ControlNumbers) -> None:
    """Advance the locked counters of `next_control_numbers` past the numbers a file used."""
    for kind in ("interchange", "group", "transaction"):
        counters[kind].last_value = getattr(following, kind) - 1
        counters[kind].save(update_fields=["last_value", "updated_at"])


def inquiry_envelope(org: Any, payer: Any) -> InquiryEnvelope:
    """ISA/GS ids from the payer's clearinghouse settings (payers.selectors.exchange_ids)."""
    sender, receiver = exchange_ids(org, payer)
    return InquiryEnvelope(
        sender=InterchangeParty("ZZ", sender),
        receiver=InterchangeParty("ZZ", receiver),
        application_sender=sender,
        application_receiver=receiver,
    )


@transaction.atomic
def eligibility_inquire_for_day(*, user: User, day: dt.date) -> InquiryRun:
    """270 files (one per payer) for the coverages of the visits booked on `day`."""
    require(user, Capability.EDIT_COVERAGE)
    org = organization_of(user)
    run = InquiryRun()
    asked_before = set(
        EligibilityRequest.objects.for_org(org.pk)
        .filter(service_date=day)
        .values_list("coverage_id", flat=True)
    )
    by_payer: dict[Any, list[Coverage]] = defaultdict(list)
    for coverage in _coverages_booked_on(org.pk, day):
        if coverage.pk in asked_before:
            run.already_asked += 1
        else:
            by_payer[coverage.payer].append(coverage)
    provider = Provider(npi=org.npi, organization=org.name)
    for payer, coverages in by_payer.items():
        traces = {c.pk: uuid.uuid4().hex[:12].upper() for c in coverages}
        inquiries = []
        for c in coverages:
            subscriber, dependent = coverage_people(c)
            inquiries.append(
                x270.EligibilityInquiry(
                    trace_number=traces[c.pk],
                    originator=f"1{org.tax_id}",
                    subscriber=subscriber,
                    dependent=dependent,
                    service_date=day,
                )
            )
        numbers, counters = next_control_numbers(org.pk)
        try:
            written = x270.write_270(
                batches=[
                    x270.EligibilityBatch(
                        payer=InquiryPayer(name=payer.name, payer_id=payer.payer_id),
                        provider=provider,
                        inquiries=tuple(inquiries),
                    )
                ],
                envelope=inquiry_envelope(org, payer),
                numbers=numbers,
                created_at=timezone.localtime(),
            )
        except InvalidInquiry as exc:
            run.problems += [f"{payer.name}: {p.field}: {p.message}" for p in exc.problems]
            continue
        control_numbers_saved(counters, written.next_numbers)
        data = written.text.encode("ascii")
        name = f"270-{written.interchange:09d}-{payer.payer_id}.x12"
        record = EligibilityFile(
            organization=org,
            kind="270",
            payer=payer,
            file_name=name,
            sha256=hashlib.sha256(data).hexdigest(),
            created_by=user,
        )
        record.file.save(name, ContentFile(data), save=True)
        EligibilityRequest.objects.bulk_create(
            EligibilityRequest(
                organization=org,
                coverage=c,
                service_date=day,
                trace_number=traces[c.pk],
                sent_in=record,
            )
            for c in coverages
        )
        run.files.append(record)
        run.asked += len(coverages)
    return run


def summary_in_words(member: Member) -> tuple[bool | None, str]:
    """The answer the front desk reads: active or not, then the therapy figures."""
    if member.rejections:
        reasons = "; ".join(_rejection_words(r) for r in member.rejections)
        return None, f"Not answered: {reasons}"[:500]
    t: TherapySummary = member.therapy
    parts = [{True: "Active", False: "Not active", None: "Status not given"}[t.active]]
    if t.plan:
        parts.append(t.plan)
    money = (
        ("copay", t.copay),
        ("deductible left", t.deductible_remaining),
    )
    parts += [f"{label} ${amount:,.2f}" for label, amount in money if amount is not None]
    if t.coinsurance is not None:
        parts.append(f"coinsurance {t.coinsurance * 100:.0f}%")
    if t.visits_remaining is not None:
        limit = f" of {_n(t.visits_limit)}" if t.visits_limit is not None else ""
        parts.append(f"{_n(t.visits_remaining)}{limit} therapy visits left")
    elif t.visits_used is not None:
        parts.append(f"{_n(t.visits_used)} therapy visits used")
    parts += list(t.therapy_amounts[:2]) + list(t.therapy_messages[:2])
    return t.active, "; ".join(parts)[:500]


def _rejection_words(rejection: Any) -> str:
    reason = rejection.reason
    text = (reason.words or f"reason {reason.code}") if reason else "no reason given"
    if rejection.follow_up is not None:
        text += f" ({rejection.follow_up.words or rejection.follow_up.code})"
    return text


def _n(value: Decimal | None) -> str:
    return f"{value.normalize():f}" if value is not None else ""


@dataclass
class AnswerRun:
    file: EligibilityFile
    already_imported: bool = False
    answered: list[EligibilityRequest] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)


@transaction.atomic
def eligibility_import_271(*, user: User, data: bytes, file_name: str = "") -> AnswerRun:
    """Put a 271's answers on the requests and coverages they answer (by trace number)."""
    require(user, Capability.EDIT_COVERAGE)
    if not data.strip():
        raise ValidationFailed({"file": ["The file is empty."]})
    try:
        response = read_271(decode(data))
    except X12ReadError as exc:
        raise EligibilityError(str(exc)) from None
    org = organization_of(user)
    sha = hashlib.sha256(data).hexdigest()
    existing = EligibilityFile.objects.for_org(org.pk).filter(sha256=sha).first()
    if existing is not None:
        return AnswerRun(existing, already_imported=True)
    record = EligibilityFile(
        organization=org, kind="271", file_name=file_name[:200], sha256=sha, created_by=user
    )
    record.file.save(f"271-{sha[:16]}.x12", ContentFile(data), save=True)
    run = AnswerRun(record)
    members = [m for tx in response.transactions for m in tx.members]
    traces = {t for m in members for t in m.trace_numbers}
    requests = {
        r.trace_number: r
        for r in EligibilityRequest.objects.for_org(org.pk)
        .filter(trace_number__in=traces)
        .select_related("coverage")
    }
    now = timezone.now()
    for member in members:
        request = next((requests[t] for t in member.trace_numbers if t in requests), None)
        if request is None:
            run.unmatched.append(", ".join(member.trace_numbers) or member.name)
            continue
        active, words = summary_in_words(member)
        request.answered_in, request.answered_at = record, now
        request.active, request.summary = active, words
        request.save(update_fields=["answered_in", "answered_at", "active", "summary"])
        coverage = request.coverage
        coverage.eligibility_checked_at = now
        coverage.eligibility_active = active
        coverage.eligibility_summary = words
        coverage.save(
            update_fields=["eligibility_checked_at", "eligibility_active", "eligibility_summary"]
        )
        run.answered.append(request)
    return run
