"""Who reads what: sign-in, roles, another organization's records, and the portal's sharing."""

from typing import Any

import pytest
from django.test import Client

from otclinic.clinic.fhir.catalog import TYPES
from otclinic.clinic.patients.models import PortalScope
from tests.clinic import factories as f
from tests.clinic.factories import PASSWORD
from tests.clinic.fhir.records import Record, full_record, ids_by_type
from tests.clinic.portal.helpers import shared_patient

pytestmark = pytest.mark.django_db


def outcome_code(response: Any) -> str:
    body = response.json()
    assert body["resourceType"] == "OperationOutcome"
    return str(body["issue"][0]["code"])


def test_nobody_signed_in_gets_401_with_an_operation_outcome(
    client: Client, record: Record
) -> None:
    response = client.get(f"/fhir/R4/Patient/{record.patient.pk}")
    assert response.status_code == 401
    assert outcome_code(response) == "login"
    assert response["WWW-Authenticate"].startswith("Basic")


def test_http_basic_reads_as_the_staff_member(client: Client, record: Record, staff: Any) -> None:
    import base64

    token = base64.b64encode(f"{staff.username}:{PASSWORD}".encode()).decode()
    response = client.get(
        f"/fhir/R4/Patient/{record.patient.pk}", HTTP_AUTHORIZATION=f"Basic {token}"
    )
    assert response.status_code == 200
    assert response.json()["id"] == str(record.patient.pk)


def test_a_role_that_may_not_use_the_api_gets_403(client: Client, record: Record) -> None:
    client.force_login(f.staff_user(organization=record.org, role="student"))
    response = client.get(f"/fhir/R4/Patient/{record.patient.pk}")
    assert response.status_code == 403
    assert outcome_code(response) == "forbidden"


def test_writing_is_refused_with_405(fhir: Client, record: Record) -> None:
    response = fhir.post(f"/fhir/R4/Patient/{record.patient.pk}", {})
    assert response.status_code == 405
    assert outcome_code(response) == "not-supported"


def test_an_unknown_type_is_404_not_supported(fhir: Client) -> None:
    response = fhir.get("/fhir/R4/Medication/123")
    assert response.status_code == 404
    assert outcome_code(response) == "not-found"


def test_another_organizations_ids_are_404_like_missing_ones_and_never_searched(
    fhir: Client, record: Record
) -> None:
    other = full_record()
    for resource_type, pks in ids_by_type(other).items():
        for pk in pks:
            response = fhir.get(f"/fhir/R4/{resource_type}/{pk}")
            assert response.status_code == 404, (resource_type, pk)
            assert outcome_code(response) == "not-found"
        bundle = fhir.get(f"/fhir/R4/{resource_type}").json()
        found = {e["resource"]["id"] for e in bundle["entry"]}
        assert not found & {str(pk) for pk in pks}, resource_type
        by_patient = fhir.get(f"/fhir/R4/{resource_type}?_id={pks[0]}").json()
        assert by_patient["total"] == 0, resource_type
    searched = fhir.get(f"/fhir/R4/Goal?patient={other.patient.pk}").json()
    assert searched["total"] == 0
    assert other.patient.last_name not in str(searched)


def test_a_caregiver_reads_only_what_the_consent_shares(client: Client) -> None:
    shared = shared_patient()
    shared.consent.scopes = [PortalScope.GOALS]
    shared.consent.save()
    client.force_login(shared.caregiver_user)
    goals = client.get("/fhir/R4/Goal").json()
    assert {e["resource"]["id"] for e in goals["entry"]} == {str(shared.goal.pk)}
    assert client.get("/fhir/R4/Appointment").json()["total"] == 0
    assert client.get("/fhir/R4/Encounter").json()["total"] == 0
    assert client.get(f"/fhir/R4/Appointment/{shared.appointment.pk}").status_code == 404
    assert client.get(f"/fhir/R4/Patient/{shared.patient.pk}").status_code == 200
    # Payment and the consent itself are the patient's own business, whatever is shared.
    shared.consent.scopes = list(PortalScope.values)
    shared.consent.save()
    f.CoverageFactory(patient=shared.patient)
    assert client.get("/fhir/R4/Coverage").json()["total"] == 0
    assert client.get("/fhir/R4/Consent").json()["total"] == 0
    assert client.get(f"/fhir/R4/Consent/{shared.consent.pk}").status_code == 404


def test_a_patient_reads_their_own_record_and_no_one_elses(client: Client) -> None:
    shared = shared_patient()
    stranger = full_record(org=shared.patient.organization)
    client.force_login(shared.patient_user)
    assert client.get("/fhir/R4/Appointment").json()["total"] == 2
    assert client.get("/fhir/R4/Encounter").json()["total"] >= 1
    assert client.get(f"/fhir/R4/Goal/{stranger.goal.pk}").status_code == 404
    patients = client.get("/fhir/R4/Patient").json()
    assert {e["resource"]["id"] for e in patients["entry"]} == {str(shared.patient.pk)}
    coverage = f.CoverageFactory(patient=shared.patient)
    assert client.get(f"/fhir/R4/Coverage/{coverage.pk}").status_code == 200
    assert client.get(f"/fhir/R4/Consent/{shared.consent.pk}").status_code == 200
    assert client.get(f"/fhir/R4/Coverage/{stranger.coverage.pk}").status_code == 404
    assert client.get(f"/fhir/R4/Consent/{stranger.consent.pk}").status_code == 404


def test_smart_scopes_limit_the_types_read(record: Record, staff: Any) -> None:
    from otclinic.clinic.fhir.access import fhir_access

    access = fhir_access(
        organization_id=record.org.pk, user=staff, scopes=frozenset({"user/Goal.rs", "openid"})
    )
    assert access.may_read("Goal")
    assert not access.may_read("Condition")
    assert not access.patients("Condition").exists()
    assert set(TYPES) - {"Goal"}
