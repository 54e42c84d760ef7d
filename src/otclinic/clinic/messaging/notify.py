"""In-app notifications and their e-mails, which never carry PHI.

The e-mail says only that there is something new and where to sign in to read it: no patient
name, no subject line of the thread, no message text, no task title, and no sender's name (the
sender may be a patient writing through the portal). It is queued with `accounts.mail.email_send`
and sent by a background job after the transaction commits, so a refused write sends nothing.
"""

from typing import Any

from django.conf import settings

from otclinic.clinic.accounts.mail import email_send
from otclinic.clinic.messaging.models import Notification, NotificationKind, Task, Thread

EMAIL_SUBJECTS = {
    NotificationKind.MENTION: "You have a new message in otclinic",
    NotificationKind.TASK: "You have a new task in otclinic",
}


def notify(
    *,
    recipient: Any,
    kind: NotificationKind,
    text: str,
    link: str,
    thread: Thread | None = None,
    task: Task | None = None,
) -> Notification:
    """One notification for `recipient`; mentions and tasks are also e-mailed (without PHI)."""
    notification = Notification.objects.create(
        organization_id=recipient.organization_id,
        recipient=recipient,
        kind=kind,
        text=text[:200],
        link=link,
        thread=thread,
        task=task,
    )
    subject = EMAIL_SUBJECTS.get(kind)
    if subject and recipient.email:
        url = settings.SITE_URL.rstrip("/") + link
        body = (
            f"{subject}.\n\n"
            f"Sign in to read it: {url}\n\n"
            "For privacy this e-mail holds no patient information."
        )
        email_send(
            to=[recipient.email],
            subject=subject,
            body=body,
            organization_id=recipient.organization_id,
        )
    return notification
