"""The demo clinic's certification follow-up: a request per plan sent, reminders, one refusal.

Each plan of care the seed sent to its physician gets its certification request (by fax, from
the plan's author, due 30 days after the evaluation): signed where the plan is certified,
otherwise still waiting, with the reminders the daily command would have sent by today (without
their PDFs). The oldest waiting one is refused with a reason, so the OT's home page shows a
refusal. The first clinic reviews 10% of its assistants' other notes (sampled review). Content
is synthetic. Rows are written with bulk_create (the seed records one audit entry for the whole
run); running it again adds nothing once the organization has a request.
"""

import datetime as dt
import uuid

from otclinic.clinic.care.models import (
    CertificationReminder,
    CertificationRequest,
    CertificationRequestStatus,
    EpisodeStatus,
    PlanOfCare,
)
from otclinic.clinic.organizations.models import Clinic
from otclinic.domain.compliance.certification_reminders import (
    StepKind,
    initial_deadline,
    reminder_schedule,
)

SAMPLE_PERCENT = 10
REFUSAL = "Wants to see the patient before certifying; please call the office to discuss."


def add_certification_followup(organization_id: uuid.UUID, today: dt.date) -> int:
    """Requests and reminders for the demo plans, unless a request exists; the rows added."""
    if CertificationRequest.objects.filter(organization_id=organization_id).exists():
        return 0
    clinic = Clinic.objects.filter(organization_id=organization_id).order_by("name").first()
    if clinic is not None:
        Clinic.objects.filter(pk=clinic.pk).update(cosign_sample_percent=SAMPLE_PERCENT)
    plans = (
        PlanOfCare.objects.filter(
            organization_id=organization_id, version=1, sent_to_physician_on__isnull=False
        )
        .select_related("author__user", "episode")
        .order_by("sent_to_physician_on", "pk")
    )
    requests, reminders = [], []
    refused = False
    for plan in plans:
        request = _request(plan)
        waiting = request.status == CertificationRequestStatus.SENT
        if waiting and not refused and plan.episode.status == EpisodeStatus.OPEN:
            _refuse(request, today)
            refused = True
        elif waiting:
            reminders += _reminders_by(request, today)
        requests.append(request)
    CertificationRequest.objects.bulk_create(requests)
    CertificationReminder.objects.bulk_create(reminders)
    return len(requests) + len(reminders)


def _request(plan: PlanOfCare) -> CertificationRequest:
    assert plan.sent_to_physician_on is not None and plan.certifying_physician_id is not None
    signed = plan.certified_on
    return CertificationRequest(
        organization_id=plan.organization_id,
        plan=plan,
        kind="initial",
        physician_id=plan.certifying_physician_id,
        channel="fax",
        status=CertificationRequestStatus.SIGNED if signed else CertificationRequestStatus.SENT,
        sent_on=plan.sent_to_physician_on,
        sent_by=plan.author.user,
        deadline=initial_deadline(plan.established_on),
        closed_on=signed,
        closed_by=plan.author.user if signed else None,
    )


def _refuse(request: CertificationRequest, today: dt.date) -> None:
    request.status = CertificationRequestStatus.REFUSED
    request.closed_on = min(today, request.sent_on + dt.timedelta(days=3))
    request.closed_by = request.sent_by
    request.refusal_reason = REFUSAL


def _reminders_by(request: CertificationRequest, today: dt.date) -> list[CertificationReminder]:
    steps = [
        s
        for s in reminder_schedule(sent_on=request.sent_on, deadline=request.deadline)
        if s.due_on < today
    ]
    if steps:
        request.status = CertificationRequestStatus.REMINDED
    return [
        CertificationReminder(
            organization_id=request.organization_id,
            request=request,
            step=s.number,
            escalation=s.kind is StepKind.ESCALATION,
            sent_on=s.due_on,
            channel=request.channel,
        )
        for s in steps
    ]
