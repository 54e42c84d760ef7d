"""API tokens: made on the user's page (shown once), sent as a bearer token, scoped by their
scopes and their user's role and organization, throttled per token, revoked at once."""

import base64
import datetime as dt
import json
import logging
from typing import Any

import pytest
import time_machine
from django.test import Client

from otclinic.clinic.accounts import api_tokens
from otclinic.clinic.accounts.models import ApiToken
from otclinic.clinic.audit.models import AuditEvent
from otclinic.clinic.common.errors import ValidationFailed
from tests.clinic import factories as f

pytestmark = pytest.mark.django_db

PATIENTS = "/api/v1/patients/"


@pytest.fixture
def patient() -> Any:
    return f.PatientFactory(last_name="Tokenson")


@pytest.fixture
def desk(patient: Any) -> Any:
    return f.staff_user(organization=patient.organization, role="front_desk")


def _token(user: Any, *scopes: str) -> str:
    _row, secret = api_tokens.token_create(
        user=user, name="Scheduler", scopes=scopes or ("read",), lifetime_days=90
    )
    return secret


def _bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def _new_patient(patient: Any, mrn: str = "TOK1") -> str:
    return json.dumps(
        {
            "mrn": mrn,
            "first_name": "Token",
            "last_name": "Made",
            "birth_date": "1950-05-05",
            "sex": "F",
            "home_clinic_id": str(patient.home_clinic_id),
        }
    )


def _made(patient: Any, mrn: str = "TOK1") -> bool:
    return patient.organization.clinics.filter(patients__mrn=mrn).exists()


# The page ------------------------------------------------------------------------------------


def test_a_token_is_shown_once_and_only_its_digest_is_kept(client: Client, desk: Any) -> None:
    client.force_login(desk)
    response = client.post(
        "/account/api-tokens/", {"name": "Phone app", "scopes": ["read"], "lifetime_days": "30"}
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(user=desk)
    secret = response.context["made"][1]
    assert secret.startswith("otc_") and secret in response.content.decode()
    assert secret not in json.dumps(list(ApiToken.objects.values()), default=str)
    assert token.scopes == ["read"]
    assert round((token.expires_at - token.created_at) / dt.timedelta(days=1)) == 30
    listing = client.get("/account/api-tokens/").content.decode()
    assert "Phone app" in listing and token.prefix in listing
    assert secret not in listing


def test_the_token_form_names_the_field_it_refuses(client: Client, desk: Any) -> None:
    client.force_login(desk)
    response = client.post("/account/api-tokens/", {"name": "", "lifetime_days": "7"})
    assert response.status_code == 422
    body = response.content.decode()
    assert "Name:" in body and "Expires after:" in body and "May:" in body
    assert not ApiToken.objects.exists()


def test_revoking_on_the_page_stops_the_token_at_once(
    client: Client, desk: Any, patient: Any
) -> None:
    secret = _token(desk)
    token = ApiToken.objects.get(user=desk)
    assert client.get(PATIENTS, headers=_bearer(secret)).status_code == 200
    client.force_login(desk)
    assert client.post(f"/account/api-tokens/{token.pk}/revoke/").status_code == 302
    client.logout()
    response = client.get(PATIENTS, headers=_bearer(secret))
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


def test_a_colleagues_token_cannot_be_revoked(client: Client, desk: Any, patient: Any) -> None:
    _token(desk)
    token = ApiToken.objects.get(user=desk)
    colleague = f.staff_user(organization=patient.organization, role="clinic_admin")
    client.force_login(colleague)
    assert client.post(f"/account/api-tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_role_that_does_not_use_the_api_gets_no_token(client: Client, patient: Any) -> None:
    student = f.staff_user(organization=patient.organization, role="student")
    client.force_login(student)
    assert client.get("/account/api-tokens/").status_code == 403
    with pytest.raises(Exception, match="your role may not use api"):
        api_tokens.token_create(user=student, name="x", scopes=["read"], lifetime_days=30)


def test_scopes_must_be_known(desk: Any) -> None:
    with pytest.raises(ValidationFailed) as refused:
        api_tokens.token_create(user=desk, name="x", scopes=["admin"], lifetime_days=30)
    assert list(refused.value.errors) == ["scopes"]


def test_a_write_token_can_also_read(desk: Any) -> None:
    row, _secret = api_tokens.token_create(user=desk, name="x", scopes=["write"], lifetime_days=30)
    assert row.scopes == ["read", "write"]


# Bearer authentication -----------------------------------------------------------------------


def test_a_write_token_posts_without_a_csrf_token(desk: Any, patient: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        PATIENTS,
        _new_patient(patient),
        content_type="application/json",
        headers=_bearer(_token(desk, "read", "write")),
    )
    assert response.status_code == 201, response.content
    assert _made(patient)


def test_a_session_still_needs_its_csrf_token_to_post(desk: Any, patient: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(desk)
    response = client.post(PATIENTS, _new_patient(patient), content_type="application/json")
    assert response.status_code == 403
    assert response.json() == {"detail": "CSRF check Failed"}
    assert not _made(patient)


def test_http_basic_may_read_but_not_write(client: Client, desk: Any, patient: Any) -> None:
    basic = "Basic " + base64.b64encode(f"{desk.username}:{f.PASSWORD}".encode()).decode()
    assert client.get(PATIENTS, headers={"Authorization": basic}).status_code == 200
    response = client.post(
        PATIENTS,
        _new_patient(patient),
        content_type="application/json",
        headers={"Authorization": basic},
    )
    assert response.status_code == 403
    assert "API token" in response.json()["detail"]
    assert not _made(patient)


def test_a_read_token_gets_403_on_a_write_and_nothing_is_saved(
    client: Client, desk: Any, patient: Any
) -> None:
    response = client.post(
        PATIENTS,
        _new_patient(patient),
        content_type="application/json",
        headers=_bearer(_token(desk)),
    )
    assert response.status_code == 403
    assert "write scope" in response.json()["detail"]
    assert not _made(patient)


def test_a_read_token_may_call_the_checks_that_save_nothing(client: Client, desk: Any) -> None:
    response = client.post(
        "/api/v1/billing/check",
        b"{}",
        content_type="application/json",
        headers=_bearer(_token(desk)),
    )
    assert response.status_code == 422  # the check ran, and found the visit's fields missing
    assert isinstance(response.json()["errors"], list)


def test_a_token_acts_with_its_users_organization(client: Client, desk: Any, patient: Any) -> None:
    other = f.PatientFactory(last_name="Elsewhere")
    secret = _token(desk)
    mine = client.get(PATIENTS, {"q": patient.last_name}, headers=_bearer(secret))
    assert patient.last_name in mine.content.decode()
    theirs = client.get(PATIENTS, {"q": other.last_name}, headers=_bearer(secret))
    assert theirs.json() == []
    response = client.get(f"{PATIENTS}{other.pk}", headers=_bearer(secret))
    assert response.status_code == 404


def test_a_token_acts_with_its_users_current_role(client: Client, desk: Any) -> None:
    secret = _token(desk)
    type(desk).objects.filter(pk=desk.pk).update(role="student")
    response = client.get(PATIENTS, headers=_bearer(secret))
    assert response.status_code == 403
    assert response.json() == {"detail": "your role may not use the API"}


@pytest.mark.parametrize(
    "header",
    ["Bearer otc_not-a-token", "Bearer ", "Bearer somebody-elses-format"],
)
def test_an_unknown_token_is_401(client: Client, header: str) -> None:
    response = client.get(PATIENTS, headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


def test_an_expired_token_is_401(client: Client, desk: Any) -> None:
    secret = _token(desk)
    with time_machine.travel(dt.timedelta(days=91)):
        assert client.get(PATIENTS, headers=_bearer(secret)).status_code == 401


def test_a_deactivated_users_token_is_401(client: Client, desk: Any) -> None:
    secret = _token(desk)
    type(desk).objects.filter(pk=desk.pk).update(is_active=False)
    assert client.get(PATIENTS, headers=_bearer(secret)).status_code == 401


def test_a_token_records_when_it_was_last_used(client: Client, desk: Any) -> None:
    secret = _token(desk)
    token = ApiToken.objects.get(user=desk)
    assert token.last_used_at is None
    client.get(PATIENTS, headers=_bearer(secret))
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_write_by_token_is_audited_as_its_user(client: Client, desk: Any, patient: Any) -> None:
    client.post(
        PATIENTS,
        _new_patient(patient),
        content_type="application/json",
        headers=_bearer(_token(desk, "write")),
    )
    made = patient.home_clinic.patients.get(mrn="TOK1")
    created = AuditEvent.objects.filter(action="create", object_id=str(made.pk))
    assert [event.actor_id for event in created] == [desk.pk]


def test_the_token_is_never_logged_nor_audited(
    client: Client, desk: Any, patient: Any, caplog: pytest.LogCaptureFixture, settings: Any
) -> None:
    settings.DEBUG = True  # ninja logs an unexpected Authorization header when DEBUG is on
    secret = _token(desk, "write")
    basic = "Basic " + base64.b64encode(f"{desk.username}:{f.PASSWORD}".encode()).decode()
    with caplog.at_level(logging.DEBUG):
        client.get(PATIENTS, headers=_bearer(secret))
        client.get(PATIENTS, headers={"Authorization": basic})
        client.get(PATIENTS, headers=_bearer(secret + "x"))
        client.post(
            PATIENTS,
            _new_patient(patient),
            content_type="application/json",
            headers=_bearer(secret),
        )
    assert secret not in caplog.text
    assert f.PASSWORD not in caplog.text and basic not in caplog.text
    audited = json.dumps(list(AuditEvent.objects.values()), default=str)
    assert secret not in audited


def test_each_token_has_its_own_throttle(client: Client, desk: Any, settings: Any) -> None:
    settings.OTCLINIC_THROTTLE_RATES = {**settings.OTCLINIC_THROTTLE_RATES, "api": "2/m"}
    first, second = _token(desk), _token(desk)
    statuses = [client.get(PATIENTS, headers=_bearer(first)).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    throttled = client.get(PATIENTS, headers=_bearer(first))
    assert throttled.json() == {"detail": "Too many requests."}
    assert int(throttled["Retry-After"]) > 0
    assert client.get(PATIENTS, headers=_bearer(second)).status_code == 200
