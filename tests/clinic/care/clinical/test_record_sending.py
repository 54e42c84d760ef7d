"""Sending a signed progress report, discharge summary or evaluation to the physician from its
own page, and the fax gateway's delivery reports that the pages then show."""

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, TestCase

from otclinic.clinic.care.models import DocumentKind, EpisodeDocument, PhysicianDelivery
from otclinic.clinic.care.sending import FaxAnswer
from otclinic.clinic.care.services import clinical as svc
from otclinic.clinic.care.services import clinical_reports as reports
from otclinic.clinic.care.services.record_sending import record_send_to_physician
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.jobs.worker import run_queued_tasks
from tests.clinic.care.clinical.conftest import DAY1, Practice, evaluate, signed_notes, signed_plan
from tests.clinic.care.clinical.test_sending import FakeFaxGateway, fake_gateway

pytestmark = pytest.mark.django_db
__all__ = ["fake_gateway"]  # the autouse fixture: faxes go to FakeFaxGateway
SECRET = "s3cret-of-the-acme-gateway"


@pytest.fixture(autouse=True)
def callback_secret(settings: Any) -> None:
    settings.OTCLINIC_FAX_CALLBACK_SECRETS = {"acme": SECRET, "other": "another-secret"}


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _report(p: Practice, *, sign: bool = True) -> Any:
    plan = signed_plan(p)
    signed_notes(p, [DAY1 + dt.timedelta(days=2)])
    report = reports.progress_report_draft(
        user=p.ot,
        episode=p.episode,
        report_date=DAY1 + dt.timedelta(days=20),
        objective_findings="Barthel 70; grip right 15 kg.",
    )
    if not sign:
        return report
    return reports.progress_report_complete(
        user=p.ot,
        report=report,
        assessment="Steady gains.",
        plan="Continue twice a week.",
        goal_assessments=[
            reports.GoalAssessmentInput(g, "active", Decimal(70)) for g in plan.goals.all()
        ],
    )


def _discharge(p: Practice) -> Any:
    plan = signed_plan(p)
    return reports.discharge_create(
        user=p.ot,
        episode=p.episode,
        discharge_date=DAY1 + dt.timedelta(days=40),
        reason="goals_met",
        summary="Dresses her upper body on her own.",
        outcomes=[reports.GoalAssessmentInput(g, "met", Decimal(85)) for g in plan.goals.all()],
        recommendations="Keep the home program.",
    )


def _send(p: Practice, record: Any, **given: Any) -> PhysicianDelivery:
    with TestCase.captureOnCommitCallbacks(execute=True):
        return record_send_to_physician(user=p.ot, record=record, **given)


# --- the service ----------------------------------------------------------------------------


def test_a_signed_progress_report_is_queued_for_the_physician_by_fax(practice: Practice) -> None:
    report = _report(practice)
    delivery = _send(practice, report)
    assert (delivery.channel, delivery.status, delivery.destination) == (
        "fax",
        "queued",
        "555-0100",
    )
    assert delivery.physician_id == practice.physician.pk
    document = delivery.document
    assert (document.kind, document.source_id) == (DocumentKind.PROGRESS_REPORT, report.pk)

    assert run_queued_tasks() == 1
    [fax] = FakeFaxGateway.sent
    assert fax["content"].startswith(b"%PDF") and fax["filename"] == "progress_report.pdf"
    delivery.refresh_from_db()
    assert delivery.status == "delivered"


def test_sending_again_sends_the_same_pdf_once(practice: Practice) -> None:
    report = _report(practice)
    first = _send(practice, report)
    again = _send(practice, report)
    assert again.pk == first.pk
    assert EpisodeDocument.objects.filter(source_id=report.pk).count() == 1


def test_a_draft_is_not_sent(practice: Practice) -> None:
    report = _report(practice, sign=False)
    with pytest.raises(ValidationFailed) as refused:
        _send(practice, report)
    assert refused.value.errors == {"__all__": ["Sign the progress report before sending it."]}
    assert not PhysicianDelivery.objects.exists()


def test_without_a_physician_on_file_the_refusal_names_the_field(practice: Practice) -> None:
    practice.episode.referral = None
    practice.episode.save()
    evaluation = svc.evaluation_sign(user=practice.ot, evaluation=evaluate(practice))
    with pytest.raises(ValidationFailed) as refused:
        _send(practice, evaluation)
    assert "No physician is on file" in refused.value.errors["physician"][0]


def test_an_assistant_may_not_send_it(practice: Practice) -> None:
    report = _report(practice)
    with pytest.raises(PermissionDenied):
        record_send_to_physician(user=practice.ota, record=report)


# --- the pages ------------------------------------------------------------------------------


def test_the_progress_report_page_sends_it_and_shows_the_status(practice: Practice) -> None:
    report = _report(practice)
    client = _client(practice.ot)
    page = client.get(f"/care/progress/{report.pk}/").content.decode()
    assert "Send to physician" in page and str(practice.physician) in page

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(f"/care/progress/{report.pk}/send/", {"send-channel": ""})
    assert response.status_code == 302
    page = client.get(f"/care/progress/{report.pk}/").content.decode()
    assert "Fax to" in page and "Queued</span>" in page


def test_the_discharge_summary_has_a_page_that_sends_it(practice: Practice) -> None:
    discharge = _discharge(practice)
    client = _client(practice.ot)
    episode_page = client.get(f"/care/episodes/{practice.episode.pk}/").content.decode()
    assert f"/care/discharges/{discharge.pk}/" in episode_page
    page = client.get(f"/care/discharges/{discharge.pk}/").content.decode()
    assert "Dresses her upper body on her own." in page and "Send to physician" in page

    response = client.post(f"/care/discharges/{discharge.pk}/send/", {"send-channel": "direct"})
    assert response.status_code == 302
    [delivery] = PhysicianDelivery.objects.all()
    assert delivery.document.kind == DocumentKind.DISCHARGE_SUMMARY
    assert (delivery.status, delivery.channel) == ("failed", "direct")
    page = client.get(f"/care/discharges/{discharge.pk}/").content.decode()
    assert "Failed</span> No Direct secure email address is on file" in page


def test_the_evaluation_page_sends_it_and_a_wrong_channel_names_the_field(
    practice: Practice,
) -> None:
    evaluation = svc.evaluation_sign(user=practice.ot, evaluation=evaluate(practice))
    client = _client(practice.ot)
    response = client.post(f"/care/evaluations/{evaluation.pk}/send/", {"send-channel": "pigeon"})
    assert response.status_code == 422
    assert "How to send it: Select a valid choice." in response.content.decode()
    response = client.post(f"/care/evaluations/{evaluation.pk}/send/", {"send-channel": "fax"})
    assert response.status_code == 302
    assert PhysicianDelivery.objects.get().document.kind == DocumentKind.EVALUATION


def test_an_assistant_sees_the_status_but_no_send_form(practice: Practice) -> None:
    report = _report(practice)
    client = _client(practice.ota)
    page = client.get(f"/care/progress/{report.pk}/").content.decode()
    assert "Send to physician" in page and f'action="/care/progress/{report.pk}/send/"' not in page
    assert client.post(f"/care/progress/{report.pk}/send/").status_code == 403
    assert not PhysicianDelivery.objects.exists()


# --- the fax gateway's delivery reports ------------------------------------------------------


def _callback(body: Any, *, secret: str = SECRET, gateway: str = "acme") -> Any:
    return Client().post(
        f"/care/fax/{gateway}/status/",
        json.dumps(body) if not isinstance(body, bytes) else body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )


def _faxed(p: Practice) -> tuple[Any, PhysicianDelivery]:
    """A progress report faxed, the gateway having taken it (queued on its side)."""
    FakeFaxGateway.answers = [FaxAnswer("gw-77", "queued")]
    report = _report(p)
    delivery = _send(p, report)
    run_queued_tasks()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.reference) == ("sent", "gw-77")
    return report, delivery


def test_the_gateway_reports_a_fax_delivered_and_the_page_shows_it(practice: Practice) -> None:
    report, delivery = _faxed(practice)
    response = _callback({"id": "gw-77", "status": "delivered"})
    assert response.status_code == 200
    assert response.json() == {"id": "gw-77", "status": "delivered"}
    page = _client(practice.ot).get(f"/care/progress/{report.pk}/").content.decode()
    assert "Delivered</span>" in page and "Send again" not in page
    # The same report again (gateways retry their callbacks) changes nothing.
    finished = PhysicianDelivery.objects.get(pk=delivery.pk).finished_at
    assert _callback({"id": "gw-77", "status": "delivered"}).status_code == 200
    assert PhysicianDelivery.objects.get(pk=delivery.pk).finished_at == finished


def test_a_failed_fax_shows_the_reason_and_can_be_sent_again(practice: Practice) -> None:
    report, delivery = _faxed(practice)
    response = _callback({"id": "gw-77", "status": "failed", "reason": "Busy line, 3 tries"})
    assert response.json()["status"] == "failed"
    client = _client(practice.ot)
    page = client.get(f"/care/progress/{report.pk}/").content.decode()
    assert "Failed</span> Busy line, 3 tries" in page and "Send again" in page
    # A late "delivered" for the same id does not undo the failure shown.
    _callback({"id": "gw-77", "status": "delivered"})
    assert PhysicianDelivery.objects.get(pk=delivery.pk).status == "failed"

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(f"/care/deliveries/{delivery.pk}/resend/")
    assert response.status_code == 302
    assert response["Location"] == f"/care/progress/{report.pk}/#send-to-physician"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.reason, delivery.reference) == ("queued", "", "")
    assert run_queued_tasks() == 1
    assert len(FakeFaxGateway.sent) == 2


@pytest.mark.parametrize(
    ("secret", "gateway"),
    [("wrong", "acme"), ("", "acme"), ("another-secret", "acme"), (SECRET, "unknown")],
)
def test_a_report_without_the_gateways_own_secret_is_refused(
    practice: Practice, secret: str, gateway: str
) -> None:
    _, delivery = _faxed(practice)
    response = _callback({"id": "gw-77", "status": "failed"}, secret=secret, gateway=gateway)
    assert response.status_code == 401
    assert PhysicianDelivery.objects.get(pk=delivery.pk).status == "sent"


def test_an_unknown_fax_id_is_404(practice: Practice) -> None:
    response = _callback({"id": "gw-nope", "status": "delivered"})
    assert response.status_code == 404 and response.json()["field"] == "id"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"id": "gw-77", "status": "lost"}, "status"),
        ({"status": "delivered"}, "id"),
        ({"id": "gw-77", "status": "failed", "reason": 7}, "reason"),
        ([1, 2], ""),
        (b"{not json", ""),
    ],
)
def test_a_malformed_report_names_what_is_wrong(practice: Practice, body: Any, field: str) -> None:
    _, delivery = _faxed(practice)
    response = _callback(body)
    assert response.status_code == 400
    assert response.json().get("field", "") == field and response.json()["error"]
    assert PhysicianDelivery.objects.get(pk=delivery.pk).status == "sent"


def test_a_report_that_the_fax_is_still_on_its_way_changes_nothing(practice: Practice) -> None:
    _faxed(practice)
    assert _callback({"id": "gw-77", "status": "sending"}).json()["status"] == "sent"
