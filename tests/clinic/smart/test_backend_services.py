"""SMART Backend Services: client_credentials with a signed JWT, and what a system token reads."""

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from jwcrypto import jwk

from otclinic.clinic.audit.models import AuditEvent
from otclinic.clinic.smart import services
from tests.clinic import factories as f
from tests.clinic.fhir.records import full_record
from tests.clinic.smart.helpers import (
    admin_of,
    assertion,
    bearer,
    ec_key,
    ids,
    register_backend,
    system_token,
)

pytestmark = pytest.mark.django_db


def test_a_backend_service_reads_every_patient_of_its_organization_and_no_other() -> None:
    record = full_record()
    neighbour = full_record(org=record.org)
    stranger = full_record()
    key = ec_key()
    service = register_backend(record.org, key)
    response = system_token(assertion(service, key), "system/Patient.rs system/Goal.rs")
    assert response.status_code == 200, response.content
    token = response.json()
    assert token["expires_in"] == 300
    assert "refresh_token" not in token
    auth = bearer(token["access_token"])
    patients = Client().get("/fhir/R4/Patient?_count=100", **auth).json()
    assert ids(patients) == {str(record.patient.pk), str(neighbour.patient.pk)}
    goals = Client().get("/fhir/R4/Goal?_count=100", **auth).json()
    assert ids(goals) == {str(record.goal.pk), str(neighbour.goal.pk)}
    # Only the types its scopes name; never another organization's rows.
    assert Client().get("/fhir/R4/Condition", **auth).json()["total"] == 0
    assert Client().get(f"/fhir/R4/Patient/{stranger.patient.pk}", **auth).status_code == 404


def test_an_rs384_key_signs_as_well() -> None:
    record = full_record()
    key = jwk.JWK.generate(kty="RSA", size=2048, alg="RS384", kid="rsa-1")
    service = register_backend(record.org, key)
    response = system_token(assertion(service, key, alg="RS384"))
    assert response.status_code == 200, response.content


def refused(response: Any) -> bool:
    return response.status_code in {400, 401} and response.json()["error"] == "invalid_client"


def test_a_replayed_jti_is_refused() -> None:
    org = f.OrganizationFactory()
    key = ec_key()
    service = register_backend(org, key)
    assert system_token(assertion(service, key, jti="once")).status_code == 200
    assert refused(system_token(assertion(service, key, jti="once")))


def test_an_assertion_signed_by_another_key_is_refused() -> None:
    service = register_backend(f.OrganizationFactory(), ec_key("k1"))
    assert refused(system_token(assertion(service, ec_key("k1"))))


def test_an_assertion_for_another_audience_is_refused() -> None:
    key = ec_key()
    service = register_backend(f.OrganizationFactory(), key)
    assert refused(system_token(assertion(service, key, aud="https://elsewhere.example/token")))


def test_an_expired_assertion_is_refused() -> None:
    key = ec_key()
    service = register_backend(f.OrganizationFactory(), key)
    signed = assertion(service, key, lifetime=60)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=2), tick=False):
        assert refused(system_token(signed))


def test_an_assertion_that_lives_too_long_is_refused() -> None:
    key = ec_key()
    service = register_backend(f.OrganizationFactory(), key)
    assert refused(system_token(assertion(service, key, lifetime=3600)))


def test_a_backend_service_may_not_use_its_client_secret_or_user_scopes() -> None:
    key = ec_key()
    service = register_backend(f.OrganizationFactory(), key)
    by_id = Client().post(
        "/oauth/token",
        {"grant_type": "client_credentials", "client_id": service.application.client_id},
    )
    assert by_id.status_code == 401
    assert system_token(assertion(service, key), "user/*.rs").json()["error"] == "invalid_scope"


def test_an_expired_revoked_or_unknown_token_is_401_with_a_bearer_challenge() -> None:
    record = full_record()
    key = ec_key()
    service = register_backend(record.org, key)
    token = system_token(assertion(service, key)).json()["access_token"]
    url = f"/fhir/R4/Patient/{record.patient.pk}"
    assert Client().get(url, **bearer(token)).status_code == 200
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=6), tick=False):
        expired = Client().get(url, **bearer(token))
    assert expired.status_code == 401
    assert expired["WWW-Authenticate"].startswith("Bearer")
    assert expired.json()["resourceType"] == "OperationOutcome"
    unknown = Client().get(url, **bearer("not-a-token"))
    assert unknown.status_code == 401 and unknown["WWW-Authenticate"].startswith("Bearer")
    services.client_revoke(user=admin_of(record.org), client_id=service.pk)
    assert Client().get(url, **bearer(token)).status_code == 401
    assert refused(system_token(assertion(service, key)))


def test_a_system_read_is_audited_as_the_client_of_its_organization() -> None:
    record = full_record()
    key = ec_key()
    service = register_backend(record.org, key)
    token = system_token(assertion(service, key)).json()["access_token"]
    issued = AuditEvent.objects.get(object_type="smart.accesstoken", object_id=str(service.pk))
    assert (issued.actor_id, issued.actor_role) == (None, "smart-client")
    assert issued.organization_id == record.org.pk
    Client().get(f"/fhir/R4/Patient/{record.patient.pk}", **bearer(token))
    read = AuditEvent.objects.filter(action="view", patient_id=record.patient.pk).latest("seq")
    assert (read.actor_role, read.organization_id) == ("smart-client", record.org.pk)
    assert service.application.client_id in read.detail
