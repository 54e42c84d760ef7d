"""The one door of FHIR writes: SMART scopes it will take, the audit trail, foreign tokens."""

from typing import Any

import pytest
from django.test import Client

from otclinic.clinic.audit.models import AuditEvent
from otclinic.clinic.fhir.write_access import scopes_allow
from otclinic.clinic.patients.models import Patient
from tests.clinic import factories as f
from tests.clinic.fhir.writing import patient_resource, post, put


@pytest.mark.parametrize(
    ("scopes", "resource_type", "interaction", "allowed"),
    [
        (None, "Patient", "c", True),
        (frozenset({"user/ServiceRequest.c"}), "ServiceRequest", "c", True),
        (frozenset({"user/ServiceRequest.c"}), "ServiceRequest", "u", False),
        (frozenset({"user/ServiceRequest.c"}), "Patient", "c", False),
        (frozenset({"system/*.cu"}), "Coverage", "u", True),
        (frozenset({"user/*.rs"}), "Patient", "c", False),
        (frozenset({"user/Patient.write"}), "Patient", "u", True),
        (frozenset({"openid", "launch"}), "Patient", "c", False),
    ],
)
def test_scopes_allow_only_the_interactions_they_name(
    scopes: frozenset[str] | None, resource_type: str, interaction: Any, allowed: bool
) -> None:
    assert scopes_allow(scopes, resource_type, interaction) is allowed


@pytest.mark.django_db
def test_a_write_is_in_the_audit_trail_with_the_tokens_user(client: Client) -> None:
    org = f.OrganizationFactory()
    f.ClinicFactory(organization=org)
    desk = f.staff_user(organization=org, role="front_desk")
    response = post(client, "Patient", patient_resource(), **f.bearer(desk))
    assert response.status_code == 201
    created = AuditEvent.objects.filter(object_type="patients.patient", action="create").get(
        object_id=response.json()["id"]
    )
    assert created.actor_id == desk.pk


@pytest.mark.django_db
def test_another_organizations_token_cannot_change_a_patient(client: Client) -> None:
    chart = f.PatientFactory(phone="555-0100")
    stranger = f.staff_user(organization=f.OrganizationFactory(), role="front_desk")
    body = patient_resource(id=str(chart.pk))
    response = put(client, f"Patient/{chart.pk}", body, **f.bearer(stranger))
    assert response.status_code == 404
    chart.refresh_from_db()
    assert chart.phone == "555-0100"
    assert Patient.objects.count() == 1


@pytest.mark.django_db
def test_a_portal_login_may_not_write(client: Client) -> None:
    access = f.PortalAccessFactory()
    client.force_login(access.user)
    response = post(client, "Patient", patient_resource())
    assert response.status_code == 403
    assert Patient.objects.count() == 1
