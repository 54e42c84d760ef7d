"""SMART App Launch: authorization code + PKCE (S256), the consent page, and what the token reads."""

from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client

from otclinic.clinic.audit.models import AuditEvent
from otclinic.clinic.patients.models import PortalScope
from tests.clinic import factories as f
from tests.clinic.fhir.records import full_record
from tests.clinic.portal.helpers import shared_patient
from tests.clinic.smart.helpers import (
    authorize_params,
    bearer,
    code_from,
    consent,
    exchange,
    ids,
    launch,
    pkce,
    register_app,
)

pytestmark = pytest.mark.django_db


def test_a_caregivers_app_reads_only_the_shared_patients_goals_and_appointments(
    client: Client,
) -> None:
    shared = shared_patient()
    shared.consent.scopes = [PortalScope.GOALS, PortalScope.APPOINTMENTS]
    shared.consent.save()
    f.DiagnosisFactory(patient=shared.patient)
    org = shared.patient.organization
    neighbour = full_record(org=org)
    stranger = full_record()
    app = register_app(org)
    client.force_login(shared.caregiver_user)
    token = launch(client, app, "launch/patient patient/*.rs")
    assert token["patient"] == str(shared.patient.pk)
    assert token["token_type"] == "Bearer"
    assert set(token["scope"].split()) == {"launch/patient", "patient/*.rs"}

    app_client = Client()  # the app: no session, only the token
    auth = bearer(token["access_token"])
    assert ids(app_client.get("/fhir/R4/Goal", **auth).json()) == {str(shared.goal.pk)}
    appointments = app_client.get("/fhir/R4/Appointment", **auth).json()
    assert ids(appointments) == {str(shared.appointment.pk), str(shared.past_appointment.pk)}
    # Conditions are not shared with a caregiver, whatever the token's scopes say.
    assert app_client.get("/fhir/R4/Condition", **auth).json()["total"] == 0
    # Nor are another patient's records, nor another organization's.
    for other in (neighbour, stranger):
        assert app_client.get(f"/fhir/R4/Goal/{other.goal.pk}", **auth).status_code == 404
        assert app_client.get(f"/fhir/R4/Patient/{other.patient.pk}", **auth).status_code == 404
    assert ids(app_client.get("/fhir/R4/Patient", **auth).json()) == {str(shared.patient.pk)}


def test_a_token_with_goal_scopes_only_reads_no_appointments(client: Client) -> None:
    shared = shared_patient()
    app = register_app(shared.patient.organization)
    client.force_login(shared.patient_user)
    token = launch(client, app, "patient/Goal.rs")
    auth = bearer(token["access_token"])
    assert ids(Client().get("/fhir/R4/Goal", **auth).json()) == {str(shared.goal.pk)}
    assert Client().get("/fhir/R4/Appointment", **auth).json()["total"] == 0


def test_the_consent_page_names_the_app_and_the_scopes_in_words(client: Client) -> None:
    shared = shared_patient()
    app = register_app(shared.patient.organization)
    client.force_login(shared.patient_user)
    _, challenge = pkce()

    page = client.get(
        f"/oauth/authorize?{urlencode(authorize_params(app, 'patient/Goal.rs', challenge))}"
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "Home exercise tracker" in text
    assert "Read and search Goal records" in text


def test_a_wrong_code_verifier_gets_no_token(client: Client) -> None:
    shared = shared_patient()
    app = register_app(shared.patient.organization)
    client.force_login(shared.patient_user)
    _, challenge = pkce()
    code = code_from(consent(client, app, "patient/*.rs", challenge))
    other_verifier, _ = pkce()
    response = exchange(app, code, other_verifier)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"
    assert "access_token" not in response.json()


def test_the_plain_pkce_method_is_refused_before_consent(client: Client) -> None:
    shared = shared_patient()
    app = register_app(shared.patient.organization)
    client.force_login(shared.patient_user)

    verifier, _ = pkce()
    params = authorize_params(app, "patient/*.rs", verifier, method="plain")
    assert client.get(f"/oauth/authorize?{urlencode(params)}").status_code == 400
    # Nor does posting the consent form by hand issue a code.
    response = client.post("/oauth/authorize", {**params, "allow": "Authorize"})
    assert "code=" not in response.get("Location", "")


def test_scopes_not_registered_for_the_app_are_refused(client: Client) -> None:
    shared = shared_patient()
    app = register_app(shared.patient.organization, "patient/Goal.rs")
    client.force_login(shared.patient_user)
    _, challenge = pkce()

    params = authorize_params(app, "patient/Condition.rs", challenge)
    response = client.get(f"/oauth/authorize?{urlencode(params)}")
    assert response.status_code == 302
    assert "error=invalid_scope" in response["Location"]


def test_a_login_of_another_organization_cannot_authorize_the_app(client: Client) -> None:
    app = register_app(f.OrganizationFactory())
    stranger = shared_patient()
    client.force_login(stranger.patient_user)
    _, challenge = pkce()
    response = consent_page(client, app, challenge)
    assert response.status_code == 403


def consent_page(browser: Client, app: Any, challenge: str) -> Any:

    return browser.get(
        f"/oauth/authorize?{urlencode(authorize_params(app, 'patient/*.rs', challenge))}"
    )


def test_staff_user_scopes_read_what_the_role_reads_on_its_pages(client: Client) -> None:
    record = full_record()
    full_record(org=record.org)
    biller = f.staff_user(organization=record.org, role="biller")
    app = register_app(record.org)
    client.force_login(biller)
    token = launch(client, app, "user/*.rs")
    assert "patient" not in token
    auth = bearer(token["access_token"])
    for resource_type in ("Patient", "Appointment", "Goal", "Condition"):
        by_token = Client().get(f"/fhir/R4/{resource_type}?_count=100", **auth).json()
        by_session = client.get(f"/fhir/R4/{resource_type}?_count=100").json()
        assert ids(by_token) == ids(by_session), resource_type
    # user/Goal.rs reads Goals and nothing else; patient/ scopes give staff nothing.
    narrow = bearer(launch(client, app, "user/Goal.rs patient/*.rs")["access_token"])
    assert Client().get("/fhir/R4/Goal", **narrow).json()["total"] > 0
    assert Client().get("/fhir/R4/Condition", **narrow).json()["total"] == 0


def test_issuing_a_token_and_each_read_are_audited(client: Client) -> None:
    shared = shared_patient()
    app = register_app(shared.patient.organization)
    client.force_login(shared.patient_user)
    token = launch(client, app, "patient/*.rs")
    issued = AuditEvent.objects.filter(object_type="smart.accesstoken", object_id=str(app.pk))
    assert issued.get().actor_id == shared.patient_user.pk
    Client().get(f"/fhir/R4/Goal/{shared.goal.pk}", **bearer(token["access_token"]))
    read = AuditEvent.objects.filter(action="view", patient_id=shared.patient.pk).latest("seq")
    assert read.actor_id == shared.patient_user.pk
    assert app.application.client_id in read.detail


def test_an_app_asking_for_another_fhir_server_is_refused(client: Client) -> None:
    shared = shared_patient()
    app = register_app(shared.patient.organization)
    client.force_login(shared.patient_user)
    _, challenge = pkce()
    params = {
        **authorize_params(app, "patient/*.rs", challenge),
        "aud": "https://other.example/fhir",
    }
    assert client.get(f"/oauth/authorize?{urlencode(params)}").status_code == 400
