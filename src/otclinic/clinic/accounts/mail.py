"""Email leaves the request: it is written down, and a background job sends it.

`email_send` records the message (an `OutboundEmail`) in the caller's transaction and queues
the `send_email` task (here) when that transaction commits, so a write that is rolled back sends
nothing and the request never waits on the mail server. The worker sends it
(`email_deliver`); a mail server that refuses or cannot be reached is tried again after a
growing pause (`BACKOFF`), and after `MAX_ATTEMPTS` the email is marked not sent, which the jobs
page shows the organization. The log carries the email's id and the error's class only: never
an address, a subject or a body. The body is blanked once the email is sent or given up on.
"""

import datetime as dt
import logging
import smtplib
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from otclinic.clinic.accounts.models import EmailStatus, OutboundEmail

log = logging.getLogger(__name__)

# The pause before each next attempt: 1 minute, 5 minutes, 30 minutes, 2 hours.
BACKOFF = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
)
MAX_ATTEMPTS = len(BACKOFF) + 1
MAIL_ERRORS = (smtplib.SMTPException, OSError)


class EmailNotSent(RuntimeError):
    """The email was given up on after its last attempt (recorded on its `OutboundEmail`)."""


def email_send(
    *, to: Iterable[str], subject: str, body: str, organization_id: uuid.UUID | None = None
) -> OutboundEmail | None:
    """Queue one email to `to` (blank addresses dropped; none left: nothing is queued)."""
    recipients = sorted({address for address in to if address})
    if not recipients:
        return None
    email = OutboundEmail.objects.create(
        organization_id=organization_id, to=recipients, subject=subject[:200], body=body
    )
    transaction.on_commit(lambda: _enqueue(email.pk))
    return email


@task()
def send_email(email_id: str) -> str:
    """The background job: send one queued email (`email_deliver`)."""
    return email_deliver(email_id=uuid.UUID(email_id))


def _enqueue(email_id: uuid.UUID, *, after: dt.timedelta | None = None) -> None:
    task = send_email
    # A backend that cannot defer (the immediate one, for development) tries again at once.
    if after is not None and send_email.get_backend().supports_defer:
        task = send_email.using(run_after=timezone.now() + after)
    task.enqueue(str(email_id))


def email_deliver(*, email_id: uuid.UUID) -> str:
    """Send one queued email (the worker's side); what became of it: sent, retrying, skipped.

    Raises `EmailNotSent` after the last attempt, so the task queue records the failure too.
    """
    email = OutboundEmail.objects.filter(pk=email_id, status=EmailStatus.QUEUED).first()
    if email is None:
        return "skipped"  # already sent or given up on: a task delivered twice sends once
    message = EmailMessage(email.subject, email.body, settings.DEFAULT_FROM_EMAIL, email.to)
    email.attempts += 1
    try:
        message.send()
    except MAIL_ERRORS as exc:
        return _failed(email, exc)
    _finish(email, EmailStatus.SENT)
    log.info("email sent email=%s attempts=%d", email.pk, email.attempts)
    return "sent"


def _failed(email: OutboundEmail, exc: Exception) -> str:
    email.last_error = type(exc).__name__[:100]
    if email.attempts >= MAX_ATTEMPTS:
        _finish(email, EmailStatus.FAILED)
        log.error(
            "email not sent email=%s attempts=%d error=%s",
            email.pk,
            email.attempts,
            email.last_error,
        )
        raise EmailNotSent(
            f"email {email.pk} not sent after {email.attempts} attempts: {email.last_error}"
        ) from None
    email.save(update_fields=["attempts", "last_error"])
    pause = BACKOFF[email.attempts - 1]
    _enqueue(email.pk, after=pause)
    log.warning(
        "email not sent, trying again email=%s attempts=%d error=%s in=%ds",
        email.pk,
        email.attempts,
        email.last_error,
        pause.total_seconds(),
    )
    return "retrying"


def _finish(email: OutboundEmail, status: EmailStatus) -> None:
    email.status, email.body, email.finished_at = status, "", timezone.now()
    email.save(update_fields=["status", "body", "attempts", "last_error", "finished_at"])


def mask(address: str) -> str:
    """An address shown only as far as a person needs to tell two apart: a***@example.org."""
    if "@" in address:
        local, _, domain = address.partition("@")
        return f"{local[:1]}***@{domain}"
    digits = [c for c in address if c.isdigit()]
    return "***" + "".join(digits[-2:])


def undelivered_for_organization(*, organization_id: uuid.UUID) -> list[OutboundEmail]:
    """The organization's emails given up on, newest first (the jobs page lists them)."""
    return list(
        OutboundEmail.objects.filter(
            organization_id=organization_id, status=EmailStatus.FAILED
        ).order_by("-created_at")[:50]
    )
