"""Sending a document to the physician: by their preferred channel, in a background job, with
the delivery's status recorded (queued, sent, delivered, failed with the reason); again is safe."""

import datetime as dt
import json
import smtplib
import threading
from collections.abc import Iterator, Sequence
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any, ClassVar

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.test import Client, TestCase

from otclinic.clinic.care.models import CertificationRequest, PhysicianDelivery
from otclinic.clinic.care.sending import (
    DirectEmailSender,
    FaxAnswer,
    HttpFaxGateway,
    Outgoing,
    SendFailed,
)
from otclinic.clinic.care.services import clinical as svc
from otclinic.clinic.care.services.delivery import physician_delivery_send
from otclinic.clinic.jobs.worker import run_queued_tasks
from otclinic.clinic.referrals.models import ReferringPhysician
from tests.clinic import factories as f
from tests.clinic.accounts.test_mail import FailingBackend
from tests.clinic.care.clinical.conftest import DAY1, Practice, signed_plan

pytestmark = pytest.mark.django_db
FAKE_GATEWAY = "tests.clinic.care.clinical.test_sending.FakeFaxGateway"


class FakeFaxGateway:
    """A fax gateway that keeps what it was given and answers as told."""

    sent: ClassVar[list[dict[str, Any]]] = []
    answers: ClassVar[list[FaxAnswer | SendFailed]] = []

    def send_fax(self, *, number: str, filename: str, content: bytes) -> FaxAnswer:
        FakeFaxGateway.sent.append({"number": number, "filename": filename, "content": content})
        answer = FakeFaxGateway.answers.pop(0) if FakeFaxGateway.answers else None
        if isinstance(answer, SendFailed):
            raise answer
        return answer or FaxAnswer(reference=f"fax-{len(FakeFaxGateway.sent)}", status="delivered")


@pytest.fixture(autouse=True)
def fake_gateway(settings: Any) -> type[FakeFaxGateway]:
    settings.OTCLINIC_FAX_GATEWAY = FAKE_GATEWAY
    FakeFaxGateway.sent, FakeFaxGateway.answers = [], []
    return FakeFaxGateway


def _send(p: Practice, **given: Any) -> CertificationRequest:
    plan = signed_plan(p)
    plan.certifying_physician = p.physician
    plan.save()
    with TestCase.captureOnCommitCallbacks(execute=True):
        return svc.certification_request_send(
            user=p.ot, plan=plan, sent_on=DAY1 + dt.timedelta(days=1), **given
        )


def _delivery(request: CertificationRequest) -> PhysicianDelivery:
    return PhysicianDelivery.objects.get(document=request.document)


def test_by_fax_the_pdf_goes_to_the_gateway_in_a_job_and_is_recorded_delivered(
    practice: Practice,
) -> None:
    request = _send(practice)
    delivery = _delivery(request)
    assert (delivery.channel, delivery.status, delivery.destination) == (
        "fax",
        "queued",
        "555-0100",
    )
    assert FakeFaxGateway.sent == []  # nothing leaves the request

    assert run_queued_tasks() == 1

    [fax] = FakeFaxGateway.sent
    assert fax["number"] == "555-0100" and fax["content"].startswith(b"%PDF")
    assert request.document is not None
    request.document.file.seek(0)
    assert fax["content"] == request.document.file.read()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.reference, delivery.attempts) == ("delivered", "fax-1", 1)
    assert request.channel == "fax"


def test_by_direct_email_the_pdf_is_attached_and_the_sending_recorded(practice: Practice) -> None:
    practice.physician.direct_address = "dr.ames@direct.example.org"
    practice.physician.preferred_channel = "direct"
    practice.physician.save()
    request = _send(practice)

    assert run_queued_tasks() == 1

    [message] = mail.outbox
    assert message.to == ["dr.ames@direct.example.org"]
    [(filename, content, mimetype)] = message.attachments
    assert filename == "plan_certification.pdf" and mimetype == "application/pdf"
    assert content.startswith(b"%PDF")
    assert practice.patient.last_name not in message.subject + message.body
    delivery = _delivery(request)
    assert (delivery.channel, delivery.status, request.channel) == ("direct", "sent", "direct")
    assert FakeFaxGateway.sent == []


def test_a_refused_fax_fails_at_once_with_the_gateway_reason(practice: Practice) -> None:
    FakeFaxGateway.answers = [FaxAnswer("fax-9", "failed", "Not a fax line")]
    request = _send(practice)

    run_queued_tasks()

    delivery = _delivery(request)
    assert (delivery.status, delivery.reason, delivery.attempts) == (
        "failed",
        "Not a fax line",
        1,
    )


def test_an_unreachable_gateway_is_tried_again_then_delivered(practice: Practice) -> None:
    FakeFaxGateway.answers = [SendFailed("The fax gateway could not be reached.", retry=True)]
    request = _send(practice)
    delivery = _delivery(request)

    assert physician_delivery_send(delivery_id=delivery.pk) == "retrying"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("queued", 1)
    assert "could not be reached" in delivery.reason

    assert physician_delivery_send(delivery_id=delivery.pk) == "delivered"
    assert physician_delivery_send(delivery_id=delivery.pk) == "skipped"  # a job run twice
    assert len(FakeFaxGateway.sent) == 2


def test_a_mail_server_down_is_tried_again(practice: Practice, settings: Any) -> None:
    settings.EMAIL_BACKEND = "tests.clinic.accounts.test_mail.FailingBackend"
    FailingBackend.failures = 1
    practice.physician.direct_address = "dr.ames@direct.example.org"
    practice.physician.save()
    request = _send(practice, channel="direct")
    delivery = _delivery(request)

    assert physician_delivery_send(delivery_id=delivery.pk) == "retrying"
    assert physician_delivery_send(delivery_id=delivery.pk) == "sent"
    assert len(mail.outbox) == 1


def test_without_a_fax_number_the_sending_is_recorded_failed_and_says_why(
    practice: Practice,
) -> None:
    practice.physician.fax = ""
    practice.physician.save()
    request = _send(practice)

    delivery = _delivery(request)
    assert delivery.status == "failed"
    assert delivery.reason == f"No fax number is on file for {practice.physician}."
    assert run_queued_tasks() == 0


def test_sending_again_is_safe_and_a_failed_one_is_sent_again(practice: Practice) -> None:
    practice.physician.fax = ""
    practice.physician.save()
    request = _send(practice)
    delivery = _delivery(request)
    practice.physician.fax = "555-0199"
    practice.physician.save()
    client = Client()
    client.force_login(practice.ot)
    url = f"/care/plans/{request.plan_id}/deliveries/{delivery.pk}/resend/"

    with TestCase.captureOnCommitCallbacks(execute=True):
        assert client.post(url).status_code == 302
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert client.post(url).status_code == 302  # queued already: nothing more

    assert run_queued_tasks() == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.destination) == ("delivered", "555-0199")
    assert PhysicianDelivery.objects.count() == 1 and len(FakeFaxGateway.sent) == 1


def test_the_plan_page_shows_the_delivery_status(practice: Practice) -> None:
    FakeFaxGateway.answers = [FaxAnswer("fax-9", "failed", "Not a fax line")]
    request = _send(practice)
    run_queued_tasks()
    client = Client()
    client.force_login(practice.ot)

    page = client.get(f"/care/plans/{request.plan_id}/").content.decode()

    assert "Fax to" in page and "Failed</span> Not a fax line" in page
    assert "Send again" in page


def test_mail_and_hand_delivery_are_recorded_only(practice: Practice) -> None:
    request = _send(practice, channel="mail")

    assert request.channel == "mail"
    assert not PhysicianDelivery.objects.exists()


class _GatewayHandler(BaseHTTPRequestHandler):
    received: ClassVar[list[dict[str, Any]]] = []
    status = 200

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        body = json.loads(self.rfile.read(length))
        _GatewayHandler.received.append({"auth": self.headers["Authorization"], **body})
        self.send_response(_GatewayHandler.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps({"id": "gw-1", "status": "queued"}).encode())

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def gateway_url(settings: Any) -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), _GatewayHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _GatewayHandler.received, _GatewayHandler.status = [], 200
    settings.OTCLINIC_FAX_GATEWAY_URL = f"http://127.0.0.1:{server.server_port}/faxes"
    settings.OTCLINIC_FAX_GATEWAY_TOKEN = "token-1"
    yield settings.OTCLINIC_FAX_GATEWAY_URL
    server.shutdown()
    server.server_close()


def test_the_http_gateway_posts_the_pdf_with_the_token(gateway_url: str) -> None:
    answer = HttpFaxGateway().send_fax(number="555-0100", filename="plan.pdf", content=b"%PDF-1")

    assert (answer.reference, answer.status) == ("gw-1", "queued")
    [sent] = _GatewayHandler.received
    assert sent["auth"] == "Bearer token-1" and sent["to"] == "555-0100"
    assert sent["pdf"] == "JVBERi0x"  # base64 of %PDF-1


def test_the_http_gateway_failing_with_5xx_is_worth_another_try(gateway_url: str) -> None:
    _GatewayHandler.status = 503
    with pytest.raises(SendFailed) as failed:
        HttpFaxGateway().send_fax(number="555-0100", filename="plan.pdf", content=b"%PDF-1")
    assert failed.value.retry and "503" in failed.value.reason


def test_without_a_gateway_url_a_fax_fails_for_good(settings: Any) -> None:
    settings.OTCLINIC_FAX_GATEWAY_URL = ""
    with pytest.raises(SendFailed) as failed:
        HttpFaxGateway().send_fax(number="555-0100", filename="plan.pdf", content=b"%PDF-1")
    assert not failed.value.retry and "No fax gateway" in failed.value.reason


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses the recipient."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        raise smtplib.SMTPRecipientsRefused({"x@y.org": (550, b"no such user")})


def test_an_smtp_refusal_of_the_address_is_final(settings: Any) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    with pytest.raises(SendFailed) as failed:
        DirectEmailSender().send(Outgoing("x@y.org", "Plan", "Attached.", "a.pdf", b"%PDF"))
    assert not failed.value.retry and "refused" in failed.value.reason


def test_the_physician_form_keeps_the_direct_address_and_the_channel(practice: Practice) -> None:
    client = Client()
    client.force_login(practice.desk)
    npi = f.next_npi()
    base = {"first_name": "Ada", "last_name": "Ames", "npi": npi, "preferred_channel": "direct"}

    refused = client.post("/physicians/new/", base)
    saved = client.post("/physicians/new/", {**base, "direct_address": "ada@direct.example.org"})

    assert refused.status_code == 422
    assert "Give the Direct secure email address" in refused.content.decode()
    assert saved.status_code == 302
    physician = ReferringPhysician.objects.get(npi=npi)
    assert (physician.direct_address, physician.preferred_channel) == (
        "ada@direct.example.org",
        "direct",
    )
