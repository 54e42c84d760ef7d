"""Each served resource carries its US Core 6.1 profile's required and must-support elements,
and codes from the value sets those elements are bound to (required bindings, and the US Core
categories the profiles slice on)."""

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from otclinic.domain.fhir import terminology as t
from tests.clinic.fhir.records import Record, ids_by_type

pytestmark = pytest.mark.django_db

# The elements each profile requires or marks must-support that otclinic has data for.
ELEMENTS: dict[str, list[str]] = {
    "Patient": [
        "identifier.0.system",
        "identifier.0.value",
        "name.0.family",
        "name.0.given.0",
        "gender",
        "birthDate",
        "telecom.0.value",
    ],
    "Practitioner": ["identifier.0.system", "identifier.0.value", "name.0.family"],
    "Organization": ["active", "name"],
    "Location": ["name", "address.city", "managingOrganization.reference"],
    "Condition": [
        "clinicalStatus",
        "verificationStatus",
        "category.0",
        "code.coding.0.code",
        "subject.reference",
        "onsetDateTime",
        "recordedDate",
    ],
    "Encounter": [
        "status",
        "class.code",
        "type.0",
        "subject.reference",
        "participant.0.individual.reference",
        "period.start",
        "location.0.location.reference",
        "serviceProvider.reference",
    ],
    "Procedure": ["status", "code.coding.0.code", "subject.reference", "performedDateTime"],
    "Goal": [
        "lifecycleStatus",
        "description.text",
        "subject.reference",
        "target.0.dueDate",
        "startDate",
    ],
    "CarePlan": [
        "text.status",
        "text.div",
        "status",
        "intent",
        "category.0",
        "subject.reference",
        "period.start",
        "period.end",
    ],
    "Observation": ["status", "category.0", "code", "subject.reference", "effectiveDateTime"],
    "DocumentReference": [
        "status",
        "type.coding.0.code",
        "category.0",
        "subject.reference",
        "date",
        "author.0.reference",
        "content.0.attachment.contentType",
        "content.0.attachment.url",
        "context.period.start",
    ],
    "Appointment": [
        "status",
        "start",
        "end",
        "participant.0.actor.reference",
        "participant.0.status",
    ],
    "ServiceRequest": [
        "status",
        "intent",
        "code",
        "subject.reference",
        "authoredOn",
        "requester.reference",
    ],
    "Provenance": [
        "target.0.reference",
        "recorded",
        "agent.0.type",
        "agent.0.who",
        "agent.0.onBehalfOf.reference",
    ],
    "PractitionerRole": [
        "practitioner.reference",
        "organization.reference",
        "code.0.coding.0.code",
        "specialty.0.coding.0.code",
        "location.0.reference",
        "telecom.0.value",
    ],
    "Coverage": [
        "identifier.0.type.coding.0.code",
        "identifier.0.value",
        "status",
        "type.coding.0.code",
        "subscriber.reference",
        "subscriberId",
        "beneficiary.reference",
        "relationship.coding.0.code",
        "period.start",
        "period.end",
        "payor.0.reference",
        "class.0.value",
        "class.1.value",
    ],
    "Consent": [
        "status",
        "scope.coding.0.code",
        "category.0.coding.0.code",
        "patient.reference",
        "dateTime",
        "policyRule.coding.0.code",
        "provision.type",
        "provision.period.start",
        "provision.actor.0.role.coding.0.code",
        "provision.provision.0.code.0.coding.0.code",
    ],
}

# (element, system, allowed codes): required bindings of R4 and the categories US Core slices on.
BINDINGS: dict[str, list[tuple[str, str | None, set[str]]]] = {
    "Patient": [("gender", None, {"male", "female", "other", "unknown"})],
    "Condition": [
        (
            "clinicalStatus.coding.0",
            t.CONDITION_CLINICAL,
            {"active", "recurrence", "relapse", "inactive", "remission", "resolved"},
        ),
        (
            "verificationStatus.coding.0",
            t.CONDITION_VERIFICATION,
            {
                "unconfirmed",
                "provisional",
                "differential",
                "confirmed",
                "refuted",
                "entered-in-error",
            },
        ),
        ("category.0.coding.0", t.CONDITION_CATEGORY, {"problem-list-item", "encounter-diagnosis"}),
        ("code.coding.0", t.ICD10CM, {"I69.351"}),
    ],
    "Encounter": [
        (
            "status",
            None,
            {
                "planned",
                "arrived",
                "triaged",
                "in-progress",
                "onleave",
                "finished",
                "cancelled",
                "entered-in-error",
                "unknown",
            },
        ),
        ("class", t.ACT_CODE, {"AMB"}),
    ],
    "Procedure": [
        (
            "status",
            None,
            {
                "preparation",
                "in-progress",
                "not-done",
                "on-hold",
                "stopped",
                "completed",
                "entered-in-error",
                "unknown",
            },
        ),
        ("code.coding.0", t.CPT, {"97530", "97165"}),
    ],
    "Goal": [
        (
            "lifecycleStatus",
            None,
            {
                "proposed",
                "planned",
                "accepted",
                "active",
                "on-hold",
                "completed",
                "cancelled",
                "entered-in-error",
                "rejected",
            },
        )
    ],
    "CarePlan": [
        (
            "status",
            None,
            {"draft", "active", "on-hold", "revoked", "completed", "entered-in-error", "unknown"},
        ),
        ("intent", None, {"proposal", "plan", "order", "option"}),
        ("text.status", None, {"generated", "extensions", "additional", "empty"}),
        ("category.0.coding.0", t.CAREPLAN_CATEGORY, {"assess-plan"}),
    ],
    "Observation": [("status", None, {"registered", "preliminary", "final", "amended"})],
    "DocumentReference": [
        ("status", None, {"current", "superseded", "entered-in-error"}),
        ("type.coding.0", t.LOINC, {"11507-1", "11488-4", "18842-5"}),
        ("category.0.coding.0", t.DOCUMENT_CATEGORY, {"clinical-note"}),
    ],
    "Appointment": [
        (
            "status",
            None,
            {
                "proposed",
                "pending",
                "booked",
                "arrived",
                "fulfilled",
                "cancelled",
                "noshow",
                "entered-in-error",
                "checked-in",
                "waitlist",
            },
        )
    ],
    "ServiceRequest": [
        (
            "status",
            None,
            {"draft", "active", "on-hold", "revoked", "completed", "entered-in-error", "unknown"},
        ),
        (
            "intent",
            None,
            {
                "proposal",
                "plan",
                "directive",
                "order",
                "original-order",
                "reflex-order",
                "filler-order",
                "instance-order",
                "option",
            },
        ),
    ],
    "Provenance": [("agent.0.type.coding.0", t.PROVENANCE_PARTICIPANT, {"author", "attester"})],
    "Practitioner": [("identifier.0", t.NPI, set())],
    "Organization": [],
    "Location": [("status", None, {"active", "suspended", "inactive"})],
    "PractitionerRole": [("specialty.0.coding.0", t.NUCC_TAXONOMY, {"225X00000X"})],
    "Coverage": [
        ("status", None, {"active", "cancelled", "draft", "entered-in-error"}),
        ("identifier.0.type.coding.0", t.V2_0203, {"MB"}),
        ("type.coding.0", t.SOURCE_OF_PAYMENT, {"121"}),
        (
            "relationship.coding.0",
            t.SUBSCRIBER_RELATIONSHIP,
            {"child", "parent", "spouse", "common", "other", "self", "injured"},
        ),
        ("class.0.type.coding.0", t.COVERAGE_CLASS, {"group"}),
        ("class.1.type.coding.0", t.COVERAGE_CLASS, {"plan"}),
    ],
    "Consent": [
        (
            "status",
            None,
            {"draft", "proposed", "active", "rejected", "inactive", "entered-in-error"},
        ),
        ("scope.coding.0", t.CONSENT_SCOPE, {"adr", "research", "patient-privacy", "treatment"}),
        ("category.0.coding.0", t.LOINC, {"59284-0"}),
        ("provision.type", None, {"deny", "permit"}),
        ("provision.actor.0.role.coding.0", t.PARTICIPATION_TYPE, {"IRCP"}),
    ],
}


def at(resource: Any, path: str) -> Any:
    for step in path.split("."):
        resource = resource[int(step)] if step.isdigit() else resource[step]
    return resource


@pytest.mark.parametrize("resource_type", sorted(ELEMENTS))
def test_each_profile_has_its_elements_and_bound_codes(
    fhir: Client, record: Record, resource_type: str
) -> None:
    for pk in ids_by_type(record)[resource_type]:
        resource = fhir.get(f"/fhir/R4/{resource_type}/{pk}").json()
        for path in ELEMENTS[resource_type]:
            assert at(resource, path) not in (None, "", [], {}), (resource_type, path)
        for path, system, codes in BINDINGS[resource_type]:
            value = at(resource, path)
            if system is not None:
                assert value["system"] == system, (resource_type, path)
                value = value["code"] if codes else value["value"]
            assert not codes or value in codes, (resource_type, path, value)


def test_the_care_plan_period_is_the_certification_period(fhir: Client, record: Record) -> None:
    plan = fhir.get(f"/fhir/R4/CarePlan/{record.plan.pk}").json()
    assert plan["period"]["start"] == record.plan.established_on.isoformat()
    days = record.plan.duration_days
    end = record.plan.established_on.toordinal() + days - 1
    assert plan["period"]["end"] == type(record.plan.established_on).fromordinal(end).isoformat()
    assert plan["addresses"] == [{"reference": f"Condition/{record.diagnosis.pk}"}]
    assert plan["goal"] == [{"reference": f"Goal/{record.goal.pk}"}]


def test_a_procedure_carries_its_cpt_code_and_minutes(fhir: Client, record: Record) -> None:
    procedure = fhir.get(f"/fhir/R4/Procedure/{record.line.pk}").json()
    assert procedure["code"]["coding"][0]["code"] == "97530"
    assert procedure["extension"][0]["valueDuration"]["value"] == 38
    assert procedure["encounter"] == {"reference": f"Encounter/{record.note.pk}"}


def test_a_signed_document_links_its_pdf(fhir: Client, record: Record) -> None:
    document = fhir.get(f"/fhir/R4/DocumentReference/{record.note.pk}").json()
    url = document["content"][0]["attachment"]["url"]
    assert url == f"http://testserver/care/notes/{record.note.pk}/pdf/"


def test_an_unsigned_note_is_an_encounter_but_not_a_document(fhir: Client, record: Record) -> None:
    from tests.clinic import factories as f

    draft = f.TreatmentNoteFactory(episode=record.episode)
    assert fhir.get(f"/fhir/R4/Encounter/{draft.pk}").json()["status"] == "in-progress"
    assert fhir.get(f"/fhir/R4/DocumentReference/{draft.pk}").status_code == 404


def test_the_coverage_names_the_payer_member_and_period(fhir: Client, record: Record) -> None:
    coverage = fhir.get(f"/fhir/R4/Coverage/{record.coverage.pk}").json()
    assert coverage["subscriberId"] == record.coverage.member_id
    assert coverage["identifier"][0]["value"] == record.coverage.member_id
    assert coverage["period"] == {
        "start": record.coverage.starts_on.isoformat(),
        "end": record.coverage.ends_on.isoformat(),
    }
    assert coverage["payor"][0]["reference"] == f"Organization/{record.coverage.payer_id}"
    assert [c["value"] for c in coverage["class"]] == ["GRP-7", "medicare_part_b"]
    assert coverage["order"] == 1
    payer = fhir.get(f"/fhir/R4/{coverage['payor'][0]['reference']}").json()
    assert payer["name"] == record.coverage.payer.name
    assert payer["type"][0]["coding"][0]["code"] == "pay"


def test_a_coverage_for_another_subscriber_names_no_subscriber(
    fhir: Client, record: Record
) -> None:
    record.coverage.subscriber_relationship = "spouse"
    record.coverage.subscriber_name = "Sam Spouse"
    record.coverage.save()
    coverage = fhir.get(f"/fhir/R4/Coverage/{record.coverage.pk}").json()
    assert "subscriber" not in coverage
    assert coverage["relationship"]["coding"][0]["code"] == "spouse"


def test_the_consent_permits_each_shared_scope_as_a_provision(fhir: Client, record: Record) -> None:
    consent = fhir.get(f"/fhir/R4/Consent/{record.consent.pk}").json()
    assert consent["status"] == "active"
    provision = consent["provision"]
    assert provision["period"]["end"] == record.consent.expires_on.isoformat()
    assert provision["actor"][0]["reference"]["display"] == "Rosa Caregiver"
    scopes = {p["code"][0]["coding"][0]["code"]: p.get("class", []) for p in provision["provision"]}
    assert set(scopes) == {"goals", "messages"}
    assert {c["code"] for c in scopes["goals"]} == {"Goal", "Observation"}
    assert scopes["messages"] == []


def test_a_revoked_consent_is_inactive_and_ends_the_day_before(
    fhir: Client, record: Record
) -> None:
    import datetime as dt

    from tests.clock import TODAY

    record.consent.revoked_on = TODAY
    record.consent.save()
    consent = fhir.get(f"/fhir/R4/Consent/{record.consent.pk}").json()
    assert consent["status"] == "inactive"
    day_before = TODAY - dt.timedelta(days=1)
    assert consent["provision"]["period"]["end"] == day_before.isoformat()


def test_a_practitioner_role_names_the_clinics_and_the_practitioner(
    fhir: Client, record: Record
) -> None:
    therapist = record.episode.therapist
    clinic = record.patient.home_clinic
    role = fhir.get(f"/fhir/R4/PractitionerRole/{therapist.pk}").json()
    assert role["practitioner"]["reference"] == f"Practitioner/{therapist.pk}"
    assert role["location"] == [{"reference": f"Location/{clinic.pk}", "display": clinic.name}]
    assert role["code"][0]["coding"][0]["code"] == "OT"


def test_staff_outside_the_clinical_roles_have_no_practitioner_role(
    fhir: Client, record: Record
) -> None:
    from tests.clinic import factories as f

    biller = f.staff_user(organization=record.org, role="biller").staff_profile
    assert fhir.get(f"/fhir/R4/Practitioner/{biller.pk}").status_code == 200
    assert fhir.get(f"/fhir/R4/PractitionerRole/{biller.pk}").status_code == 404


def test_a_goal_s_round_baseline_is_written_without_an_exponent(
    fhir: Client, record: Record
) -> None:
    # Decimal("10.00").normalize() prints as "1E+1".
    record.goal.baseline = Decimal("10.00")
    record.goal.save(update_fields=["baseline"])
    goal = fhir.get(f"/fhir/R4/Goal/{record.goal.pk}").json()
    assert goal["note"] == [{"text": "Baseline 10 kg"}]
