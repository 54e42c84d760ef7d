"""The scheduled certification reminders: `otclinic care certification-reminders` (run daily).

For every open request with a reminder step due, re-send the cover sheet and plan as a PDF marked
"Reminder" (or "Final reminder" on the escalation step), record the reminder, and give the plan's
OT a task (messaging) to call the physician's office. One reminder a day
per request: running the command twice on a day sends nothing the second time.
"""

import datetime as dt
import logging

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from otclinic.clinic.care.hooks import staff_task_create
from otclinic.clinic.care.models import CertificationReminder, CertificationRequest
from otclinic.clinic.care.selectors_certification import (
    CertificationFollowUp,
    due_certification_reminders,
)
from otclinic.clinic.care.services.clinical.certification_requests import (
    certification_reminder_record,
)
from otclinic.clinic.care.services.clinical_reports import plan_certification_document
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.common.progress import Progress
from otclinic.domain.compliance.certification_reminders import StepKind

log = logging.getLogger(__name__)


def certification_reminders_send(
    *, today: dt.date, progress: Progress | None = None
) -> list[CertificationReminder]:
    """Send every reminder due on `today`, each request in its own transaction."""
    sent = []
    due = list(due_certification_reminders(as_of=today))
    if progress is not None:
        progress.begin(total=len(due), step="Re-sending plans awaiting certification")
    for follow_up in due:
        reminder = _send_one(follow_up, today)
        if reminder is not None:
            sent.append(reminder)
        if progress is not None:
            progress.advance()
    return sent


def reminder_notice(follow_up: CertificationFollowUp) -> str:
    """The line that heads the reminder's cover sheet."""
    step, request = follow_up.due, follow_up.request
    assert step is not None
    first = "Final reminder" if step.kind is StepKind.ESCALATION else f"Reminder {step.number}"
    return f"{first}: please sign and return by {request.deadline:%B %d, %Y}"


@transaction.atomic
def _send_one(follow_up: CertificationFollowUp, today: dt.date) -> CertificationReminder | None:
    request = follow_up.request
    if request.reminders.filter(sent_on=today).exists():
        return None  # another run got here first
    plan = request.plan
    document = plan_certification_document(
        user=request.sent_by,  # the document is kept in the name of whoever sent the plan
        plan=plan,
        sent_on=today,
        title=f"Reminder: plan of care v{plan.version} to {request.physician} on {today}",
        notice=reminder_notice(follow_up),
    )
    reminder = certification_reminder_record(
        user=None, request=request, sent_on=today, document=document
    )
    _call_task(request)
    # Ids only: no names in the log.
    log.info(
        "certification reminder request=%s step=%s escalation=%s",
        request.pk,
        reminder.step,
        reminder.escalation,
    )
    return reminder


def call_task_title(request: CertificationRequest) -> str:
    physician = request.physician
    doctor = "Dr " if physician.credentials.upper() in {"MD", "DO"} else ""
    return (
        f"Call {doctor}{physician.first_name} {physician.last_name}'s office for the plan signature"
    )


def _call_task(request: CertificationRequest) -> None:
    """A task for the plan's OT to call the physician's office, set by whoever sent the plan.

    A task that cannot be set (the sender has left, the OT may no longer see the patient) does
    not hold back the reminder itself: it is logged, by ids, and the due list still shows it.
    """
    episode = request.plan.episode
    deadline = request.deadline
    try:
        with transaction.atomic():
            staff_task_create(
                user=request.sent_by,
                title=call_task_title(request),
                assignee=episode.therapist.user,
                due_on=deadline if deadline >= timezone.localdate() else None,
                patient=episode.patient,
            )
    except (PermissionDenied, ValidationFailed):
        log.warning("certification reminder call task not set request=%s", request.pk)
