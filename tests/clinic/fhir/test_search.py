"""Searching: the US Core parameters, paging by Bundle.link, includes, and refusals."""

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from otclinic.clinic.audit.models import AuditEvent
from tests.clinic import factories as f
from tests.clinic.fhir.records import Record
from tests.clock import TODAY

pytestmark = pytest.mark.django_db


def ids(bundle: dict[str, Any], mode: str = "match") -> set[str]:
    return {e["resource"]["id"] for e in bundle["entry"] if e["search"]["mode"] == mode}


def link(bundle: dict[str, Any], relation: str) -> str | None:
    return next((x["url"] for x in bundle["link"] if x["relation"] == relation), None)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Patient?name={family}", "patient"),
        ("Patient?family={family}&birthdate=1950-05-17", "patient"),
        ("Patient?gender=female&name={family}", "patient"),
        ("Patient?identifier={mrn}", "patient"),
        (
            "Condition?patient={patient}&category=problem-list-item&clinical-status=active",
            "diagnosis",
        ),
        ("Encounter?patient={patient}&date=ge{note_day}&status=finished", "note"),
        ("Goal?patient={patient}&lifecycle-status=active", "goal"),
        ("CarePlan?patient={patient}&category=assess-plan&status=active", "plan"),
        ("Procedure?patient={patient}&code=http://www.ama-assn.org/go/cpt|97530", "line"),
        ("DocumentReference?patient={patient}&type=http://loinc.org|18842-5", "discharge"),
        ("ServiceRequest?patient=Patient/{patient}&status=completed", "referral"),
        ("Coverage?patient={patient}&type=urn:oid:2.16.840.1.113883.3.221.5|121", "coverage"),
        ("Coverage?beneficiary={patient}&payor=Organization/{payer}", "coverage"),
        ("Consent?patient={patient}&status=active&date=ge{consent_day}", "consent"),
    ],
)
def test_a_search_with_the_us_core_parameters_finds_exactly_the_record(
    fhir: Client, record: Record, query: str, expected: str
) -> None:
    values = {
        "family": record.patient.last_name,
        "mrn": record.patient.mrn,
        "patient": record.patient.pk,
        "note_day": record.note.date_of_service,
        "payer": record.coverage.payer_id,
        "consent_day": record.consent.signed_on,
    }
    bundle = fhir.get("/fhir/R4/" + query.format(**values)).json()
    assert ids(bundle) == {str(getattr(record, expected).pk)}


@pytest.mark.parametrize(
    "query",
    [
        "Patient?name=Nobody",
        "Patient?birthdate=lt1900",
        "Encounter?patient={patient}&date=gt2099-01-01",
        "Goal?patient={patient}&lifecycle-status=completed",
        "Condition?patient={patient}&category=health-concern",
        "Coverage?patient={patient}&type=2",
        "Consent?patient={patient}&status=inactive",
    ],
)
def test_a_search_that_matches_nothing_answers_an_empty_bundle(
    fhir: Client, record: Record, query: str
) -> None:
    response = fhir.get("/fhir/R4/" + query.format(patient=record.patient.pk))
    assert response.status_code == 200
    assert response.json()["total"] == 0


def test_paging_walks_every_match_once_across_pages_and_sources(
    fhir: Client, record: Record
) -> None:
    # Encounters come from two tables (notes, evaluations): pages cross from one to the other.
    f.TreatmentNoteFactory(episode=record.episode, date_of_service=TODAY)
    url: str | None = f"/fhir/R4/Encounter?patient={record.patient.pk}&_count=2"
    seen: list[str] = []
    pages = 0
    while url:
        bundle = fhir.get(url).json()
        assert bundle["total"] == 3
        assert len(bundle["entry"]) <= 2
        seen += [e["resource"]["id"] for e in bundle["entry"]]
        url = link(bundle, "next")
        pages += 1
    assert pages == 2
    assert sorted(seen) == sorted({*seen})
    assert len(seen) == 3


def test_last_updated_filters_by_the_rows_change_time(fhir: Client, record: Record) -> None:
    later = fhir.get(f"/fhir/R4/Goal?_lastUpdated=gt{TODAY}").json()
    today = fhir.get(f"/fhir/R4/Goal?_lastUpdated={TODAY}").json()
    assert ids(later) == set()
    assert ids(today) == {str(record.goal.pk)}


def test_revinclude_provenance_brings_the_signers_of_each_document(
    fhir: Client, record: Record
) -> None:
    query = f"patient={record.patient.pk}&_revinclude=Provenance:target"
    bundle = fhir.get(f"/fhir/R4/DocumentReference?{query}").json()
    assert ids(bundle, "include") == {
        str(record.author_signature.pk),
        str(record.cosignature.pk),
    }
    types = {
        e["resource"]["agent"][0]["type"]["coding"][0]["code"]
        for e in bundle["entry"]
        if e["search"]["mode"] == "include"
    }
    assert types == {"author", "attester"}


def test_include_patient_brings_the_subject_once(fhir: Client, record: Record) -> None:
    bundle = fhir.get("/fhir/R4/Observation?_include=Observation:patient").json()
    assert ids(bundle, "include") == {str(record.patient.pk)}


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("Patient?colour=blue", "colour"),
        ("Patient?birthdate=yesterday", "birthdate"),
        ("Patient?birthdate=xx2026-01-01", "birthdate"),
        ("Patient?name:exact=Ada", "name:exact"),
        ("Goal?lifecycle-status=sleeping", "lifecycle-status"),
        ("Goal?_count=many", "_count"),
        ("Goal?patient=Practitioner/1", "patient"),
        ("Patient?_revinclude=Provenance:target", "_revinclude"),
        ("Goal?_include=Goal:author", "_include"),
        ("Goal?_include=PractitionerRole:practitioner", "_include"),
        ("Consent?status=sleeping", "status"),
        ("PractitionerRole?specialty=nobody", "specialty"),
    ],
)
def test_a_bad_parameter_answers_400_naming_it(fhir: Client, query: str, parameter: str) -> None:
    response = fhir.get("/fhir/R4/" + query)
    assert response.status_code == 400
    issue = response.json()["issue"][0]
    assert response.json()["resourceType"] == "OperationOutcome"
    assert issue["expression"] == [parameter]
    assert parameter in issue["diagnostics"]


@pytest.mark.parametrize(
    ("read", "search"),
    [
        ("Goal/{goal}", "Observation?patient={patient}"),
        ("Coverage/{coverage}", "Consent?patient={patient}"),
    ],
)
def test_a_read_and_a_search_of_phi_are_in_the_audit_trail(
    fhir: Client, record: Record, read: str, search: str
) -> None:
    values = {"goal": record.goal.pk, "coverage": record.coverage.pk, "patient": record.patient.pk}
    before = AuditEvent.objects.count()
    assert fhir.get("/fhir/R4/" + read.format(**values)).status_code == 200
    assert fhir.get("/fhir/R4/" + search.format(**values)).status_code == 200
    events = list(AuditEvent.objects.order_by("pk")[before:])
    assert len(events) == 2
    assert all(str(record.patient.pk) in e.object_ids for e in events)


def test_dates_in_the_past_and_future_follow_the_prefixes(fhir: Client, record: Record) -> None:
    day = record.note.date_of_service
    before = fhir.get(f"/fhir/R4/Encounter?date=lt{day}").json()
    on_or_after = fhir.get(f"/fhir/R4/Encounter?date=ge{day}").json()
    assert ids(before) == {str(record.evaluation.pk)}
    assert ids(on_or_after) == {str(record.note.pk)}
    assert record.evaluation.performed_on < day - dt.timedelta(days=1)


def test_practitioner_roles_are_found_by_practitioner_specialty_and_location(
    fhir: Client, record: Record, staff: Any
) -> None:
    therapist, clinic = record.episode.therapist, record.patient.home_clinic
    nucc = "http://nucc.org/provider-taxonomy"
    mine = fhir.get(f"/fhir/R4/PractitionerRole?practitioner=Practitioner/{therapist.pk}").json()
    assert ids(mine) == {str(therapist.pk)}
    at_clinic = fhir.get(f"/fhir/R4/PractitionerRole?location={clinic.pk}").json()
    assert ids(at_clinic) == {str(therapist.pk)}
    ots = fhir.get(f"/fhir/R4/PractitionerRole?specialty={nucc}|225X00000X").json()
    assert str(therapist.pk) in ids(ots)
    f.staff_user(organization=record.org, role="PT")
    pts = fhir.get(f"/fhir/R4/PractitionerRole?specialty={nucc}|225100000X").json()
    assert pts["total"] == 1
    assert not ids(pts) & ids(ots)


def test_a_consent_that_has_ended_is_found_as_inactive(fhir: Client, record: Record) -> None:
    record.consent.expires_on = TODAY - dt.timedelta(days=1)
    record.consent.save()
    active = fhir.get(f"/fhir/R4/Consent?patient={record.patient.pk}&status=active").json()
    inactive = fhir.get(f"/fhir/R4/Consent?patient={record.patient.pk}&status=inactive").json()
    assert ids(active) == set()
    assert ids(inactive) == {str(record.consent.pk)}


def test_only_portal_sharing_consents_are_served(fhir: Client, record: Record) -> None:
    from otclinic.clinic.patients.models import Consent

    treatment = Consent.objects.create(
        organization=record.org, patient=record.patient, kind="treatment", signed_on=TODAY
    )
    assert fhir.get(f"/fhir/R4/Consent/{treatment.pk}").status_code == 404
    found = fhir.get(f"/fhir/R4/Consent?patient={record.patient.pk}").json()
    assert ids(found) == {str(record.consent.pk)}


def test_include_practitioner_brings_each_roles_practitioner(fhir: Client, record: Record) -> None:
    therapist = record.episode.therapist
    query = f"practitioner={therapist.pk}&_include=PractitionerRole:practitioner"
    bundle = fhir.get(f"/fhir/R4/PractitionerRole?{query}").json()
    assert ids(bundle, "include") == {str(therapist.pk)}
    included = [e["resource"] for e in bundle["entry"] if e["search"]["mode"] == "include"]
    assert included[0]["resourceType"] == "Practitioner"
