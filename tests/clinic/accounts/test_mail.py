"""Emails leave the request: queued when the write commits, sent by the worker, retried."""

import datetime as dt
import logging
import smtplib
from collections.abc import Sequence
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMessage
from django.core.mail.backends.locmem import EmailBackend
from django.db import transaction
from django.test import Client, TestCase
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from otclinic.clinic.accounts.mail import BACKOFF, MAX_ATTEMPTS, email_deliver, email_send
from otclinic.clinic.accounts.models import OutboundEmail
from otclinic.clinic.jobs.worker import run_queued_tasks
from tests.clinic import factories as f

pytestmark = pytest.mark.django_db
FAILING = "tests.clinic.accounts.test_mail.FailingBackend"


class FailingBackend(EmailBackend):
    """The test outbox behind a mail server that drops the connection `failures` times."""

    failures = 0

    def send_messages(self, messages: Sequence[EmailMessage]) -> int:
        if FailingBackend.failures > 0:
            FailingBackend.failures -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed: ops@x.org")
        return super().send_messages(messages)


@pytest.fixture
def failing(settings: Any) -> type[FailingBackend]:
    settings.EMAIL_BACKEND = FAILING
    FailingBackend.failures = 0
    return FailingBackend


def _queue(**fields: Any) -> OutboundEmail:
    with TestCase.captureOnCommitCallbacks(execute=True):
        email = email_send(
            to=fields.get("to", ["ann@example.org"]),
            subject=fields.get("subject", "You have a new task in otclinic"),
            body="Sign in to read it.",
            organization_id=fields.get("organization_id"),
        )
    assert email is not None
    return email


def test_the_email_is_queued_when_the_write_commits_and_the_worker_sends_it() -> None:
    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        email = email_send(to=["ann@example.org", ""], subject="Hello", body="Sign in.")
    assert not DBTaskResult.objects.exists()  # nothing queued before the commit
    for callback in callbacks:
        callback()
    assert DBTaskResult.objects.count() == 1 and mail.outbox == []
    assert run_queued_tasks() == 1
    assert [(m.to, m.subject, m.body) for m in mail.outbox] == [
        (["ann@example.org"], "Hello", "Sign in.")
    ]
    assert email is not None
    email.refresh_from_db()
    assert (email.status, email.attempts, email.body) == ("sent", 1, "")


def test_a_rolled_back_write_sends_nothing() -> None:
    def refused_write() -> None:
        with transaction.atomic():
            email_send(to=["ann@example.org"], subject="Hello", body="Sign in.")
            raise RuntimeError("the write was refused")

    with TestCase.captureOnCommitCallbacks(execute=True), pytest.raises(RuntimeError):
        refused_write()
    assert run_queued_tasks() == 0
    assert mail.outbox == [] and not OutboundEmail.objects.exists()


def test_no_address_queues_nothing() -> None:
    assert email_send(to=["", ""], subject="Hello", body="Sign in.") is None
    assert not OutboundEmail.objects.exists()


def test_a_mail_server_that_recovers_gets_the_email_on_a_later_attempt(
    failing: type[FailingBackend],
) -> None:
    failing.failures = 2
    email = _queue()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert run_queued_tasks() == 1
        assert run_queued_tasks() == 0  # the next attempt waits for its pause
    with time_machine.travel(start + BACKOFF[0], tick=False):
        assert run_queued_tasks() == 1
    with time_machine.travel(start + BACKOFF[0] + BACKOFF[1], tick=False):
        assert run_queued_tasks() == 1
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == ("sent", 3, "SMTPServerDisconnected")
    assert len(mail.outbox) == 1


def test_after_the_last_attempt_the_failure_is_recorded_and_shown_on_the_jobs_page(
    failing: type[FailingBackend], client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    org = f.OrganizationFactory()
    failing.failures = MAX_ATTEMPTS
    email = _queue(organization_id=org.pk, subject="Set your otclinic password")
    later = timezone.now()
    with caplog.at_level(logging.INFO):
        for attempt in range(MAX_ATTEMPTS):
            with time_machine.travel(later, tick=False):
                assert run_queued_tasks() == 1, attempt
            later += BACKOFF[attempt] if attempt < len(BACKOFF) else dt.timedelta(0)
    email.refresh_from_db()
    assert (email.status, email.attempts, email.body) == ("failed", MAX_ATTEMPTS, "")
    assert email.last_error == "SMTPServerDisconnected" and email.finished_at is not None
    # The queue records the task's failure too, without the server's words (an address).
    last = DBTaskResult.objects.order_by("-enqueued_at").first()
    assert last is not None and last.status == "FAILED"
    assert "ops@x.org" not in str(last.traceback) + str(last.exception_class_path)
    assert mail.outbox == []
    logged = caplog.text
    assert "ann@example.org" not in logged and "Set your otclinic password" not in logged
    assert "ops@x.org" not in logged
    client.force_login(f.staff_user(organization=org, role="clinic_admin"))
    page = client.get("/jobs/").content.decode()
    assert "Emails not sent" in page and "a***@example.org" in page
    assert "Set your otclinic password" in page and "SMTPServerDisconnected" in page
    client.force_login(f.staff_user(organization=f.OrganizationFactory(), role="clinic_admin"))
    assert "Emails not sent" not in client.get("/jobs/").content.decode()


def test_an_email_sent_already_is_not_sent_twice() -> None:
    email = _queue()
    assert email_deliver(email_id=email.pk) == "sent"
    assert email_deliver(email_id=email.pk) == "skipped"
    assert len(mail.outbox) == 1
