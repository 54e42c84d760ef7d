"""The scheduled certification reminders: `otclinic care certification-reminders` (run daily).

For every open request with a reminder step due, re-send the cover sheet and plan as a PDF marked
"Reminder" (or "Final reminder" on the escalation step), record the reminder, and give the plan's
OT a task to call the physician's office when the messaging app is installed. One reminder a day
per request: running the command twice on a day sends nothing the second time.
"""

import datetime as dt
import logging

from django.db import transaction

from otclinic.clinic.care.models import CertificationReminder
from otclinic.clinic.care.selectors_certification import (
    CertificationFollowUp,
    due_certification_reminders,
)
from otclinic.clinic.care.services.clinical.certification_requests import (
    certification_reminder_record,
)
from otclinic.clinic.care.services.clinical_reports import plan_certification_document
from otclinic.domain.compliance.certification_reminders import StepKind

log = logging.getLogger(__name__)


def certification_reminders_send(*, today: dt.date) -> list[CertificationReminder]:
    """Send every reminder due on `today`, each request in its own transaction."""
    sent = []
    for follow_up in due_certification_reminders(as_of=today):
        reminder = _send_one(follow_up, today)
        if reminder is not None:
            sent.append(reminder)
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
    # Ids only: no names in the log.
    log.info(
        "certification reminder request=%s step=%s escalation=%s",
        request.pk,
        reminder.step,
        reminder.escalation,
    )
    return reminder
