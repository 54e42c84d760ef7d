"""Automatic logoff after the organization's minutes without use (HIPAA 164.312(a)(2)(iii))."""

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client

from otclinic.clinic.audit.models import AuditEvent
from tests import clock
from tests.clinic import factories as f
from tests.clinic.accounts.helpers import organization, sign_in

pytestmark = pytest.mark.django_db


def _later(minutes: float) -> time_machine.travel:
    return time_machine.travel(clock.now() + dt.timedelta(minutes=minutes), tick=False)


@pytest.fixture
def ot() -> Any:
    return f.staff_user(organization=organization(roles=[], idle_minutes=10), role="OT")


def test_a_session_idle_longer_than_the_organizations_minutes_ends(client: Client, ot: Any) -> None:
    sign_in(client, ot)
    with _later(10.5):
        response = client.get("/patients/")
    assert response.status_code == 302
    assert response["Location"] == "/signed-out/?idle=10"
    page = client.get(response["Location"])
    assert "was not used for 10 minutes" in page.content.decode()
    assert client.get("/patients/")["Location"].startswith("/login/")
    assert AuditEvent.objects.filter(action="logout", object_id=str(ot.pk)).exists()


def test_a_session_used_within_the_minutes_stays_open(client: Client, ot: Any) -> None:
    sign_in(client, ot)
    for minutes in (6, 12, 18):
        with _later(minutes):
            assert client.get("/patients/").status_code == 200


def test_htmx_is_sent_to_the_signed_out_page_and_the_api_gets_401(client: Client, ot: Any) -> None:
    sign_in(client, ot)
    with _later(11):
        htmx = client.get("/patients/", headers={"HX-Request": "true"})
    assert htmx.status_code == 204
    assert htmx["HX-Redirect"] == "/signed-out/?idle=10"
    other = Client()
    sign_in(other, ot)
    with _later(11):
        api = other.get("/api/v1/patients/")
    assert api.status_code == 401


def test_polling_by_the_page_itself_does_not_keep_the_session_open(client: Client, ot: Any) -> None:
    sign_in(client, ot)
    for minutes in (4, 8):
        with _later(minutes):
            polled = client.get("/ping/", headers={"X-Otclinic-Background": "1"})
            assert polled.status_code == 200
    with _later(10.5):
        assert client.get("/patients/").status_code == 302


def test_stay_signed_in_counts_as_activity(client: Client, ot: Any) -> None:
    sign_in(client, ot)
    with _later(9):
        assert client.post("/session/keepalive/").status_code == 204
    with _later(18):
        assert client.get("/patients/").status_code == 200


def test_the_page_carries_the_timeout_for_its_warning(client: Client, ot: Any) -> None:
    sign_in(client, ot)
    body = client.get("/patients/").content.decode()
    assert 'data-idle-seconds="600"' in body
    assert 'id="idle-warning"' in body


def test_the_fhir_server_answers_an_idle_session_with_an_operation_outcome(
    client: Client, ot: Any
) -> None:
    sign_in(client, ot)
    with _later(11):
        response = client.get("/fhir/R4/Patient")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/fhir+json"
    assert response.json()["resourceType"] == "OperationOutcome"
    assert response.json()["issue"][0]["code"] == "login"
