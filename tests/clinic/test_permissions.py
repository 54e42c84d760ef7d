"""Permissions by role: the table in otclinic.domain.access, as the pages, API and services enforce it."""

import base64
import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from otclinic.clinic.patients import services as patient_services
from otclinic.clinic.payers import services as payer_services
from otclinic.clinic.referrals import services as referral_services
from otclinic.domain.access import ROLE_CAPABILITIES, Capability, role_may
from otclinic.domain.codes import Role
from tests.clinic import factories as f

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Door:
    """A page or endpoint guarded by one capability, and a request that uses it."""

    capability: Capability
    method: str
    path: str
    data: dict[str, Any] | None = None

    def __str__(self) -> str:
        return f"{self.capability}:{self.method} {self.path}"


DOORS = [
    Door(Capability.VIEW_CHART, "get", "/patients/{patient}/"),
    Door(Capability.VIEW_CHART, "get", "/patients/?q=Ient"),
    Door(Capability.VIEW_CHART, "get", "/physicians/"),
    Door(Capability.EDIT_DEMOGRAPHICS, "get", "/patients/new/"),
    Door(Capability.EDIT_DIAGNOSES, "post", "/patients/{patient}/diagnoses/", {"code": "I69.351"}),
    Door(Capability.EDIT_COVERAGE, "get", "/patients/{patient}/coverage/new/"),
    Door(Capability.INTAKE_REFERRAL, "get", "/physicians/new/"),
    Door(Capability.USE_API, "get", "/api/v1/patients/?q=Ient"),
    Door(Capability.USE_API, "get", "/api/v1/physicians/"),
    Door(Capability.PORTAL, "get", "/portal/"),
]


def _user(role: Role, organization: Any) -> Any:
    return f.UserFactory(organization=organization, role=role.value)


@pytest.fixture
def patient() -> Any:
    return f.PatientFactory()


@pytest.mark.parametrize("door", DOORS, ids=str)
@pytest.mark.parametrize("role", list(Role), ids=str)
def test_every_page_follows_the_role_table(
    client: Client, patient: Any, role: Role, door: Door
) -> None:
    client.force_login(_user(role, patient.organization))
    path = door.path.format(patient=patient.pk)
    response = getattr(client, door.method)(path, door.data or {})
    if role_may(role, door.capability):
        assert response.status_code in {200, 302}, response.content[:300]
    else:
        assert response.status_code == 403


# The policy itself, in the clinic's words: these are the decisions a reader checks.
POLICY = [
    (Role.FRONT_DESK, Capability.EDIT_DEMOGRAPHICS, True),
    (Role.CLINIC_ADMIN, Capability.EDIT_DEMOGRAPHICS, True),
    (Role.BILLER, Capability.EDIT_DEMOGRAPHICS, False),
    (Role.OT, Capability.EDIT_DEMOGRAPHICS, False),
    (Role.OT, Capability.EDIT_DIAGNOSES, True),
    (Role.OTA, Capability.EDIT_DIAGNOSES, False),
    (Role.OTA, Capability.EVALUATE, False),
    (Role.OTA, Capability.PLAN_OF_CARE, False),
    (Role.OTA, Capability.PROGRESS_REPORT, False),
    (Role.OTA, Capability.DISCHARGE, False),
    (Role.OTA, Capability.WRITE_TREATMENT_NOTE, True),
    (Role.OT, Capability.COSIGN, True),
    (Role.STUDENT, Capability.USE_API, False),
    (Role.BILLER, Capability.EDIT_COVERAGE, True),
    (Role.BILLER, Capability.WRITE_TREATMENT_NOTE, False),
    (Role.OT, Capability.EDIT_COVERAGE, False),
    (Role.OT, Capability.MANAGE_BILLING, False),
    (Role.FRONT_DESK, Capability.INTAKE_REFERRAL, True),
    (Role.OTA, Capability.INTAKE_REFERRAL, False),
    (Role.CLINIC_ADMIN, Capability.VIEW_AUDIT, True),
    (Role.OT, Capability.VIEW_AUDIT, False),
    (Role.PATIENT, Capability.VIEW_CHART, False),
    (Role.CAREGIVER, Capability.USE_API, False),
    (Role.PATIENT, Capability.PORTAL, True),
    (Role.OT, Capability.PORTAL, False),
    (Role.CLINIC_ADMIN, Capability.VIEW_REPORTS, True),
    (Role.OT, Capability.VIEW_REPORTS, True),
    (Role.OTA, Capability.VIEW_REPORTS, False),
    (Role.BILLER, Capability.VIEW_REPORTS, False),
    (Role.FRONT_DESK, Capability.VIEW_REPORTS, False),
]


@pytest.mark.parametrize(("role", "capability", "allowed"), POLICY)
def test_the_role_table_says(role: Role, capability: Capability, allowed: bool) -> None:
    assert role_may(role, capability) is allowed


def test_every_role_has_a_row_in_the_table() -> None:
    assert set(ROLE_CAPABILITIES) == set(Role)


def test_no_role_means_no_capability() -> None:
    assert not any(role_may(None, c) for c in Capability)


def test_portal_roles_have_only_the_portal() -> None:
    for role in (Role.PATIENT, Role.CAREGIVER):
        assert ROLE_CAPABILITIES[role] == {Capability.PORTAL}


# Services refuse on their own, whoever calls them -------------------------------------------


def test_a_biller_cannot_add_a_patient(patient: Any) -> None:
    biller = _user(Role.BILLER, patient.organization)
    data = {"mrn": "NEW1", "first_name": "A", "last_name": "B", "sex": "F"}
    with pytest.raises(PermissionDenied):
        patient_services.patient_create(user=biller, data=data)


def test_an_ota_cannot_add_coverage(patient: Any) -> None:
    ota = _user(Role.OTA, patient.organization)
    payer = f.PayerFactory(organization=patient.organization)
    with pytest.raises(PermissionDenied):
        payer_services.coverage_add(user=ota, patient=patient, data={"payer": payer})
    assert not patient.coverages.exists()


def test_an_ot_cannot_add_a_referring_physician(patient: Any) -> None:
    ot = _user(Role.OT, patient.organization)
    data = {"first_name": "A", "last_name": "B", "npi": f.next_npi()}
    with pytest.raises(PermissionDenied):
        referral_services.physician_create(user=ot, data=data)


def test_an_ota_cannot_add_a_diagnosis(patient: Any) -> None:
    ota = _user(Role.OTA, patient.organization)
    with pytest.raises(PermissionDenied):
        patient_services.diagnosis_add(user=ota, patient=patient, code="I69.351")
    assert not patient.diagnoses.exists()


# The API ----------------------------------------------------------------------------------


def _api_patient(patient: Any) -> str:
    return json.dumps(
        {
            "mrn": "API1",
            "first_name": "Api",
            "last_name": "Made",
            "birth_date": "1944-04-04",
            "sex": "M",
            "home_clinic_id": str(patient.home_clinic_id),
        }
    )


@pytest.mark.parametrize(
    ("role", "status"), [(Role.FRONT_DESK, 201), (Role.BILLER, 403), (Role.OTA, 403)]
)
def test_the_api_checks_the_role_of_each_write(
    client: Client, patient: Any, role: Role, status: int
) -> None:
    client.force_login(_user(role, patient.organization))
    response = client.post(
        "/api/v1/patients/", _api_patient(patient), content_type="application/json"
    )
    assert response.status_code == status
    assert patient.organization.clinics.filter(patients__mrn="API1").exists() is (status == 201)


@pytest.mark.parametrize("role", [Role.PATIENT, Role.CAREGIVER, Role.STUDENT])
def test_the_api_refuses_roles_that_do_not_use_it(client: Client, patient: Any, role: Role) -> None:
    client.force_login(_user(role, patient.organization))
    response = client.get(f"/api/v1/patients/{patient.pk}")
    assert response.status_code == 403
    assert patient.last_name not in response.content.decode()


def test_the_api_accepts_http_basic_for_staff_and_refuses_portal_users(
    client: Client, patient: Any
) -> None:
    staff = _user(Role.OT, patient.organization)
    portal = f.PortalAccessFactory(patient=patient).user

    def basic(user: Any) -> str:
        return "Basic " + base64.b64encode(f"{user.username}:{f.PASSWORD}".encode()).decode()

    url = f"/api/v1/patients/{patient.pk}"
    assert client.get(url, HTTP_AUTHORIZATION=basic(staff)).status_code == 200
    assert client.get(url, HTTP_AUTHORIZATION=basic(portal)).status_code == 403
