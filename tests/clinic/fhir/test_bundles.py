"""POST [base]: transaction Bundles (all or nothing, urn:uuid references) and batches."""

from typing import Any

import pytest
from django.test import Client

from otclinic.clinic.patients.models import Patient
from otclinic.clinic.payers.models import Coverage
from otclinic.clinic.referrals.models import Referral
from otclinic.domain.fhir.terminology import LOCAL_PAYER_ID
from tests.clinic import factories as f
from tests.clinic.fhir.writing import (
    bundle_of,
    issue,
    patient_resource,
    post,
    referral_resource,
    valid,
)

pytestmark = pytest.mark.django_db

PATIENT_URN = "urn:uuid:0b6f1f4e-0000-4000-8000-00000000000a"


@pytest.fixture
def desk(client: Client, db: Any) -> Any:
    org = f.OrganizationFactory()
    f.ClinicFactory(organization=org)
    user = f.staff_user(organization=org, role="front_desk")
    client.force_login(user)
    return user


def test_a_transaction_resolves_its_urn_references_and_answers_each_entry(
    client: Client, desk: Any
) -> None:
    physician = f.PhysicianFactory(organization=desk.organization)
    bundle = bundle_of(
        "transaction",
        (PATIENT_URN, "Patient", patient_resource()),
        (
            "urn:uuid:0b6f1f4e-0000-4000-8000-00000000000b",
            "ServiceRequest",
            referral_resource(PATIENT_URN, physician),
        ),
    )
    response = post(client, "", bundle)
    assert response.status_code == 200, response.content
    answer = valid(response.json())
    assert answer["type"] == "transaction-response"
    patient_entry, referral_entry = answer["entry"]
    assert patient_entry["response"]["status"] == "201 Created"
    assert patient_entry["response"]["location"].startswith(
        f"Patient/{patient_entry['resource']['id']}/_history/"
    )
    assert patient_entry["response"]["etag"].startswith('W/"')
    referral = Referral.objects.get(pk=referral_entry["resource"]["id"])
    assert str(referral.patient_id) == patient_entry["resource"]["id"]


def test_a_transaction_with_one_bad_entry_writes_nothing_and_names_the_entry(
    client: Client, desk: Any
) -> None:
    physician = f.PhysicianFactory(organization=desk.organization)
    bad = referral_resource(PATIENT_URN, physician, authoredOn="someday")
    bundle = bundle_of(
        "transaction",
        (PATIENT_URN, "Patient", patient_resource()),
        ("urn:uuid:0b6f1f4e-0000-4000-8000-00000000000b", "ServiceRequest", bad),
    )
    response = post(client, "", bundle)
    assert response.status_code == 400
    assert issue(response)["expression"] == ["Bundle.entry[1].resource.authoredOn"]
    assert not Patient.objects.exists()
    assert not Referral.objects.exists()


def test_a_refusal_by_a_service_late_in_a_transaction_undoes_the_earlier_entries(
    client: Client, desk: Any
) -> None:
    physician = f.PhysicianFactory(organization=desk.organization)
    f.PatientFactory(
        organization=desk.organization,
        first_name="Adaeze",
        last_name="Okafor",
        birth_date="1948-02-11",
    )
    bundle = bundle_of(
        "transaction",
        (
            "urn:uuid:0b6f1f4e-0000-4000-8000-00000000000c",
            "Patient",
            patient_resource(name=[{"family": "Nwosu", "given": ["Ifeoma"]}]),
        ),
        (PATIENT_URN, "Patient", patient_resource()),  # a likely duplicate: 409
        (
            "urn:uuid:0b6f1f4e-0000-4000-8000-00000000000b",
            "ServiceRequest",
            referral_resource(PATIENT_URN, physician),
        ),
    )
    response = post(client, "", bundle)
    assert response.status_code == 409
    assert issue(response)["expression"] == ["Bundle.entry[1].resource"]
    assert Patient.objects.count() == 1
    assert not Referral.objects.exists()


def test_a_transaction_by_a_role_that_may_not_write_one_entry_writes_nothing(
    client: Client, desk: Any
) -> None:
    client.force_login(f.staff_user(organization=desk.organization, role="biller"))
    response = post(
        client, "", bundle_of("transaction", (PATIENT_URN, "Patient", patient_resource()))
    )
    assert response.status_code == 403
    assert not Patient.objects.exists()


def test_a_batch_answers_each_entry_on_its_own(client: Client, desk: Any) -> None:
    bundle = bundle_of(
        "batch",
        (PATIENT_URN, "Patient", patient_resource()),
        (
            "urn:uuid:0b6f1f4e-0000-4000-8000-00000000000c",
            "Patient",
            patient_resource(birthDate="soon"),
        ),
    )
    response = post(client, "", bundle)
    assert response.status_code == 200
    written, refused = valid(response.json())["entry"]
    assert written["response"]["status"] == "201 Created"
    assert refused["response"]["status"] == "400"
    assert refused["response"]["outcome"]["issue"][0]["expression"] == ["Patient.birthDate"]
    assert Patient.objects.count() == 1


def test_a_batch_refuses_only_the_entries_the_role_may_not_write(client: Client, desk: Any) -> None:
    biller = f.staff_user(organization=desk.organization, role="biller")
    client.force_login(biller)
    patient = f.PatientFactory(organization=desk.organization)
    payer = f.PayerFactory(organization=desk.organization)
    coverage = {
        "resourceType": "Coverage",
        "status": "active",
        "beneficiary": {"reference": f"Patient/{patient.pk}"},
        "payor": [{"identifier": {"system": LOCAL_PAYER_ID, "value": payer.payer_id}}],
        "subscriberId": "1EG4-TE5-MK73",
        "relationship": {"coding": [{"code": "self"}]},
        "period": {"start": "2026-01-01"},
        "order": 1,
    }
    bundle = bundle_of(
        "batch", (PATIENT_URN, "Patient", patient_resource()), ("", "Coverage", coverage)
    )
    response = post(client, "", bundle)
    assert response.status_code == 200, response.content
    refused, written = valid(response.json())["entry"]
    assert refused["response"]["status"] == "403"
    assert "role" in refused["response"]["outcome"]["issue"][0]["diagnostics"]
    assert written["response"]["status"] == "201 Created"
    assert Coverage.objects.filter(pk=written["resource"]["id"], patient=patient).exists()
    assert Patient.objects.count() == 1


def test_anything_but_a_transaction_or_batch_is_400(client: Client, desk: Any) -> None:
    response = post(client, "", {"resourceType": "Bundle", "type": "collection"})
    assert response.status_code == 400
    assert issue(response)["expression"] == ["Bundle.type"]


def test_metadata_lists_the_write_interactions(client: Client, desk: Any) -> None:
    rest = valid(client.get("/fhir/R4/metadata").json())["rest"][0]
    assert {i["code"] for i in rest["interaction"]} == {"transaction", "batch"}
    kinds = {r["type"]: {i["code"] for i in r["interaction"]} for r in rest["resource"]}
    assert {"create", "update"} <= kinds["Patient"]
    assert "create" in kinds["ServiceRequest"] and "update" not in kinds["ServiceRequest"]
    assert kinds["Goal"] == {"read", "search-type"}
    patient = next(r for r in rest["resource"] if r["type"] == "Patient")
    assert patient["versioning"] == "versioned-update"
    assert patient["conditionalCreate"] is True
