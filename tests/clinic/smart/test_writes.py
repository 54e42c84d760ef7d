"""SMART access tokens that write: a staff member's launched app writes as them, within their
role and the token's `user/` scopes; batches are checked entry by entry; backend services and
portal logins do not write."""

import json
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client

from otclinic.clinic.audit.models import AuditEvent
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.patients.models import Patient
from otclinic.clinic.referrals.models import Referral
from otclinic.clinic.smart import services
from otclinic.clinic.smart.models import ClientKind
from tests.clinic import factories as f
from tests.clinic.fhir.writing import (
    bundle_of,
    issue,
    patient_resource,
    post,
    put,
    referral_resource,
    valid,
)
from tests.clinic.smart.helpers import (
    admin_of,
    assertion,
    authorize_params,
    ec_key,
    launch,
    pkce,
    register_app,
    register_backend,
    system_token,
)

pytestmark = pytest.mark.django_db

WRITES = ("user/*.rs", "user/Patient.cu", "user/ServiceRequest.c", "user/*.write")
PATIENT_URN = "urn:uuid:0b6f1f4e-0000-4000-8000-00000000000a"


def _token_of(user: Any, scope: str) -> tuple[dict[str, str], Any]:
    """The app's Authorization header after `user` launched it granting `scope`, and the app."""
    app = register_app(user.organization, *WRITES)
    browser = Client()
    browser.force_login(user)
    token = launch(browser, app, scope)
    return {"Authorization": f"Bearer {token['access_token']}"}, app


def _front_desk() -> Any:
    org = f.OrganizationFactory()
    f.ClinicFactory(organization=org)
    return f.staff_user(organization=org, role="front_desk")


def _referral_by_app(scope: str) -> tuple[Any, Any, Any]:
    """A front desk's app, granted `scope`, posts a referral of a patient on file: the answer,
    the desk and the app."""
    desk = _front_desk()
    patient = f.PatientFactory(organization=desk.organization)
    physician = f.PhysicianFactory(organization=desk.organization)
    auth, app = _token_of(desk, scope)
    resource = referral_resource(f"Patient/{patient.pk}", physician)
    return post(Client(), "ServiceRequest", resource, **auth), desk, app


def test_a_launched_app_writes_a_service_request_as_its_user_naming_the_client() -> None:
    response, desk, app = _referral_by_app("user/ServiceRequest.c")

    assert response.status_code == 201, response.content
    referral = Referral.objects.get(pk=valid(response.json())["id"])
    assert referral.patient.organization == desk.organization
    entry = AuditEvent.objects.get(
        object_type="referrals.referral", action="create", object_id=str(referral.pk)
    )
    assert entry.actor_id == desk.pk
    assert entry.detail == f"by SMART client {app.application.client_id}"


def test_the_same_app_with_read_scopes_only_is_refused_naming_the_missing_scope() -> None:
    response, _desk, _app = _referral_by_app("user/*.rs")

    assert response.status_code == 403
    assert "user/ServiceRequest.c" in issue(response)["diagnostics"]
    assert not Referral.objects.exists()


@pytest.mark.parametrize("scope", ["user/Patient.cu", "user/*.write", "user/Patient.write"])
def test_a_front_desk_token_with_a_patient_write_scope_registers_a_patient(scope: str) -> None:
    desk = _front_desk()
    auth, _app = _token_of(desk, scope)
    response = post(Client(), "Patient", patient_resource(), **auth)
    assert response.status_code == 201, response.content
    assert Patient.objects.get(pk=valid(response.json())["id"]).organization == desk.organization


def test_a_clinicians_token_cannot_create_what_their_role_cannot() -> None:
    desk = _front_desk()
    clinician = f.staff_user(organization=desk.organization, role="OT")
    auth, _app = _token_of(clinician, "user/Patient.cu")
    response = post(Client(), "Patient", patient_resource(), **auth)
    assert response.status_code == 403
    assert "role" in issue(response)["diagnostics"]
    assert not Patient.objects.exists()


def test_another_organizations_patient_is_404_to_a_valid_token_and_unchanged() -> None:
    desk = _front_desk()
    chart = f.PatientFactory(phone="555-0100")  # another organization's
    auth, _app = _token_of(desk, "user/Patient.cu")
    response = put(Client(), f"Patient/{chart.pk}", patient_resource(id=str(chart.pk)), **auth)
    assert response.status_code == 404
    chart.refresh_from_db()
    assert chart.phone == "555-0100"
    assert Patient.objects.count() == 1


def test_a_revoked_apps_token_is_401_and_writes_nothing() -> None:
    desk = _front_desk()
    auth, app = _token_of(desk, "user/Patient.cu")
    services.client_revoke(user=admin_of(desk.organization), client_id=app.pk)
    response = post(Client(), "Patient", patient_resource(), **auth)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert not Patient.objects.exists()


def test_a_portal_logins_token_never_writes() -> None:
    access = f.PortalAccessFactory()
    auth, _app = _token_of(access.user, "user/Patient.cu")
    response = post(Client(), "Patient", patient_resource(), **auth)
    assert response.status_code == 403
    assert Patient.objects.count() == 1


def test_a_batch_answers_the_refused_entry_403_and_writes_the_others() -> None:
    desk = _front_desk()
    on_file = f.PatientFactory(organization=desk.organization)
    physician = f.PhysicianFactory(organization=desk.organization)
    auth, _app = _token_of(desk, "user/Patient.cu")
    bundle = bundle_of(
        "batch",
        (PATIENT_URN, "Patient", patient_resource()),
        ("", "ServiceRequest", referral_resource(f"Patient/{on_file.pk}", physician)),
    )

    response = post(Client(), "", bundle, **auth)

    assert response.status_code == 200, response.content
    written, refused = valid(response.json())["entry"]
    assert written["response"]["status"] == "201 Created"
    assert Patient.objects.filter(pk=written["resource"]["id"]).exists()
    assert refused["response"]["status"] == "403"
    outcome = valid(refused["response"]["outcome"])
    assert "user/ServiceRequest.c" in outcome["issue"][0]["diagnostics"]
    assert not Referral.objects.exists()


def test_a_transaction_with_one_refused_entry_writes_nothing_and_names_it() -> None:
    desk = _front_desk()
    physician = f.PhysicianFactory(organization=desk.organization)
    auth, _app = _token_of(desk, "user/Patient.cu")
    bundle = bundle_of(
        "transaction",
        (PATIENT_URN, "Patient", patient_resource()),
        ("", "ServiceRequest", referral_resource(PATIENT_URN, physician)),
    )

    response = post(Client(), "", bundle, **auth)

    assert response.status_code == 403
    refused = issue(response)
    assert refused["expression"] == ["Bundle.entry[1]"]
    assert "user/ServiceRequest.c" in refused["diagnostics"]
    assert not Patient.objects.exists()
    assert not Referral.objects.exists()


def test_a_backend_service_may_not_be_registered_to_write() -> None:
    with pytest.raises(ValidationFailed) as refused:
        services.client_register(
            user=admin_of(f.OrganizationFactory()),
            kind=ClientKind.BACKEND,
            name="Scheduler",
            scopes=["system/*.rs", "system/Appointment.cu"],
            jwks={"keys": [json.loads(ec_key().export_public())]},
        )
    assert "only reads" in " ".join(refused.value.errors["scopes"])


def test_a_backend_services_token_is_refused_a_write_saying_why() -> None:
    org = f.OrganizationFactory()
    f.ClinicFactory(organization=org)
    key = ec_key()
    backend = register_backend(org, key)
    token = system_token(assertion(backend, key)).json()["access_token"]
    response = post(Client(), "Patient", patient_resource(), Authorization=f"Bearer {token}")
    assert response.status_code == 403
    assert "backend service does not write" in issue(response)["diagnostics"]
    assert not Patient.objects.exists()


def test_the_consent_page_says_a_staff_members_app_may_change_records() -> None:
    desk = _front_desk()
    app = register_app(desk.organization, *WRITES)
    browser = Client()
    browser.force_login(desk)
    _, challenge = pkce()
    params = authorize_params(app, "user/*.rs user/Patient.cu", challenge)
    text = browser.get(f"/oauth/authorize?{urlencode(params)}").content.decode()
    assert "to read and change your records?" in text
    assert "Create and update Patient records that you may see" in text
    assert "recorded as done by you" in text


def test_the_consent_page_tells_a_portal_login_its_app_changes_nothing() -> None:
    access = f.PortalAccessFactory()
    app = register_app(access.user.organization, *WRITES)
    browser = Client()
    browser.force_login(access.user)
    _, challenge = pkce()
    params = authorize_params(app, "user/*.rs user/Patient.cu", challenge)
    text = browser.get(f"/oauth/authorize?{urlencode(params)}").content.decode()
    assert "to read your records?" in text
    assert "It cannot change any record" in text
