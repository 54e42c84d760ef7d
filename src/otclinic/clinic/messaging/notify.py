"""In-app notifications and their e-mails, which never carry PHI.

The e-mail says only that there is something new and where to sign in to read it: no patient
name, no subject line of the thread, no message text, no task title, and no sender's name (the
sender may be a patient writing through the portal). It goes out through Django's e-mail
backend (the console backend in the demo) after the transaction commits, so a refused write
sends nothing.
"""

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

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
        address, url = recipient.email, settings.SITE_URL.rstrip("/") + link
        transaction.on_commit(lambda: _send(subject, url, address))
    return notification


def _send(subject: str, url: str, address: str) -> None:
    body = (
        f"{subject}.\n\n"
        f"Sign in to read it: {url}\n\n"
        "For privacy this e-mail holds no patient information."
    )
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
