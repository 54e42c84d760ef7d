"""Reads of patient data: one entry per request, naming every patient shown, written once."""

import base64

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from otclinic.clinic.audit.models import AuditAction, AuditEvent
from otclinic.clinic.audit.reads import collecting, naming_patient, record_reads, saw
from otclinic.clinic.audit.services import audit_verify
from tests.clinic import factories as f

pytestmark = pytest.mark.django_db


def _reads() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=AuditAction.VIEW))


def test_a_search_names_every_patient_it_lists_in_one_entry(client: Client) -> None:
    org = f.OrganizationFactory()
    found = [f.PatientFactory(organization=org, last_name=f"Quist{i}") for i in range(3)]
    f.PatientFactory(organization=org, last_name="Other")
    client.force_login(f.staff_user(organization=org, role="front_desk"))
    assert client.get("/patients/", {"q": "Quist"}).status_code == 200
    (entry,) = _reads()
    assert sorted(entry.object_ids) == sorted(str(p.pk) for p in found)
    assert entry.patient_id is None
    assert entry.object_id == "3 patients"
    # The searched name travels in the query string, which the entry leaves out.
    assert "Quist" not in entry.detail
    assert "patient-search /patients/" in entry.detail


def test_the_api_names_the_patient_it_returns(client: Client) -> None:
    patient = f.PatientFactory()
    biller = f.staff_user(organization=patient.organization, role="biller")
    client.force_login(biller)
    assert client.get(f"/api/v1/patients/{patient.pk}").status_code == 200
    (entry,) = _reads()
    assert (entry.patient_id, entry.actor_id) == (patient.pk, biller.pk)
    assert entry.object_ids == [str(patient.pk)]


def test_the_api_over_http_basic_names_the_user_who_signed_in(client: Client) -> None:
    patient = f.PatientFactory()
    biller = f.staff_user(organization=patient.organization, role="biller")
    response = client.get(
        f"/api/v1/patients/{patient.pk}",
        HTTP_AUTHORIZATION=_basic(biller.username, f.PASSWORD),
    )
    assert response.status_code == 200
    (entry,) = _reads()
    assert entry.actor_id == biller.pk
    assert entry.organization_id == patient.organization_id


def _basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def test_a_chart_which_loads_its_patient_more_than_once_names_them_once(client: Client) -> None:
    patient = f.PatientFactory()
    client.force_login(f.staff_user(organization=patient.organization, role="OT"))
    assert client.get(f"/patients/{patient.pk}/").status_code == 200
    (entry,) = _reads()
    assert entry.object_ids == [str(patient.pk)]
    assert entry.detail.startswith("chart ")


def test_a_refused_or_failed_request_records_no_read(client: Client) -> None:
    patient = f.PatientFactory()
    client.force_login(f.staff_user(organization=patient.organization, role="student"))
    assert client.get(f"/billing/patients/{patient.pk}/balance/").status_code == 403
    assert not _reads()


def test_a_post_records_its_writes_and_no_read(client: Client) -> None:
    patient = f.PatientFactory()
    client.force_login(f.staff_user(organization=patient.organization, role="front_desk"))
    response = client.post(
        f"/patients/{patient.pk}/diagnoses/", {"code": "M62.81", "onset_on": "2026-11-01"}
    )
    assert response.status_code in {200, 302}
    assert not _reads()
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, patient_id=patient.pk).exists()


def test_an_empty_form_for_a_new_patient_names_nobody(client: Client) -> None:
    org = f.OrganizationFactory()
    client.force_login(f.staff_user(organization=org, role="front_desk"))
    assert client.get("/patients/new/").status_code == 200
    assert not _reads()


def test_outside_a_request_a_read_is_recorded_at_once() -> None:
    patient = f.PatientFactory()
    saw([patient.pk], "export")
    (entry,) = _reads()
    assert entry.patient_id == patient.pk
    assert entry.detail == "export"


def test_reads_collected_in_a_block_are_recorded_once_whatever_their_number() -> None:
    org = f.OrganizationFactory()
    patients = f.PatientFactory.create_batch(30, organization=org)
    with collecting() as reads:
        for patient in patients:
            saw([patient.pk], "statement")
        saw([patients[0].pk], "chart")
    assert not _reads()
    with CaptureQueriesContext(connection) as captured:
        record_reads(reads)
    (entry,) = _reads()
    assert len(entry.object_ids) == 30
    assert entry.detail == "statement, chart"
    # One statement, the INSERT of the entry, whatever the number of patients: the chain's head
    # is not touched (the read is sealed into the chain later: audit.seals).
    assert [q["sql"].split(" ")[0] for q in captured.captured_queries] == ["INSERT"]
    assert 'INTO "audit_auditevent"' in captured.captured_queries[0]["sql"]
    assert audit_verify().ok


def test_naming_patient_finds_single_and_several_patient_entries() -> None:
    org = f.OrganizationFactory()
    one, other = f.PatientFactory(organization=org), f.PatientFactory(organization=org)
    saw([one.pk], "chart")
    saw([one.pk, other.pk], "claims list")
    saw([other.pk], "chart")
    found = naming_patient(AuditEvent.objects.filter(action=AuditAction.VIEW), one.pk)
    assert [e.detail for e in found] == ["chart", "claims list"]


@pytest.mark.django_db(transaction=True)
def test_a_committed_page_writes_its_reads_in_one_insert_however_many_patients_it_lists(
    client: Client,
) -> None:
    org = f.OrganizationFactory()
    f.PatientFactory.create_batch(20, organization=org, last_name="Listed")
    client.force_login(f.staff_user(organization=org, role="front_desk"))
    client.get("/patients/", {"q": "Listed"})  # the chain's head exists from here on
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/patients/", {"q": "Listed"}).status_code == 200
    audit = [q["sql"] for q in captured.captured_queries if '"audit_' in q["sql"]]
    # The entry, outside the chain: one INSERT for 20 patients, and the chain's head neither
    # read nor locked nor moved (the sealing job links the read later: audit.seals).
    assert [s.split(" ")[0] for s in audit] == ["INSERT"], audit
    assert "audit_auditchainhead" not in " ".join(audit)
    (entry,) = AuditEvent.objects.filter(action=AuditAction.VIEW).order_by("-seq")[:1]
    assert len(entry.object_ids) == 20


def test_the_htmx_search_partial_names_the_patients_it_lists(client: Client) -> None:
    org = f.OrganizationFactory()
    found = f.PatientFactory(organization=org, last_name="Partial")
    client.force_login(f.staff_user(organization=org, role="OT"))
    response = client.get("/patients/", {"q": "Partial"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "<html" not in response.content.decode()  # the partial, not the page
    (entry,) = _reads()
    assert entry.patient_id == found.pk
