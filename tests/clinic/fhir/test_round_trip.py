"""Issue 16's round trip: a partner's referral arrives as FHIR, becomes an episode through the
services the pages use, the OT's evaluation and plan are signed, and the partner reads them
back as a DocumentReference and a CarePlan linked to its ServiceRequest."""

from typing import Any

import pytest
from django.test import Client

from otclinic.clinic.care.services import clinical as svc
from otclinic.clinic.referrals.models import Referral
from otclinic.domain.fhir.terminology import NPI
from tests.clinic import factories as f
from tests.clinic.fhir.writing import patient_resource, post, referral_resource, valid
from tests.clinic.plans import signed_plan
from tests.clock import TODAY

pytestmark = pytest.mark.django_db


def _referral_bundle() -> dict[str, Any]:
    """A new patient and their referral, from a physician the clinic has never heard of."""
    doctor = {
        "resourceType": "Practitioner",
        "id": "dr",
        "identifier": [{"system": NPI, "value": f.next_npi()}],
        "name": [{"family": "Ames", "given": ["Ruth"], "suffix": ["MD"]}],
    }
    referral = referral_resource("urn:uuid:9d4c6a1e-0000-4000-8000-000000000001", None)
    referral |= {"contained": [doctor], "requester": {"reference": "#dr"}}
    return {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            {
                "fullUrl": "urn:uuid:9d4c6a1e-0000-4000-8000-000000000002",
                "resource": referral,
                "request": {"method": "POST", "url": "ServiceRequest"},
            },
            {
                "fullUrl": "urn:uuid:9d4c6a1e-0000-4000-8000-000000000001",
                "resource": patient_resource(),
                "request": {"method": "POST", "url": "Patient"},
            },
        ],
    }


def _evaluate_and_plan(ot: Any, episode: Any) -> None:
    evaluation = svc.evaluation_create(
        user=ot,
        episode=episode,
        performed_on=TODAY,
        occupational_profile="Retired teacher; wants to cook and dress on her own.",
        history="Left CVA in November; lives with spouse.",
        performance_deficits="Dressing, grooming, meal preparation.",
        history_review="expanded",
        deficit_count=4,
        decision_making="moderate",
    )
    svc.evaluation_sign(user=ot, evaluation=evaluation)
    signed_plan(
        user=ot,
        episode=episode,
        established_on=TODAY,
        diagnoses=list(episode.patient.diagnoses.all()),
    )


def test_a_referral_posted_as_fhir_comes_back_as_the_signed_evaluation_and_plan(
    client: Client,
) -> None:
    org = f.OrganizationFactory()
    f.ClinicFactory(organization=org)
    desk = f.staff_user(organization=org, role="front_desk")
    ot = f.staff_user(organization=org, role="OT")
    partner = f.bearer(desk)

    sent = post(client, "", _referral_bundle(), **partner)
    assert sent.status_code == 200, sent.content
    answer = valid(sent.json())
    assert [e["response"]["status"] for e in answer["entry"]] == ["201 Created", "201 Created"]
    request_id = answer["entry"][0]["resource"]["id"]
    patient_id = answer["entry"][1]["resource"]["id"]
    assert answer["entry"][0]["resource"]["subject"]["reference"] == f"Patient/{patient_id}"

    referral = Referral.objects.get(pk=request_id)
    assert referral.physician.last_name == "Ames"
    assert list(referral.patient.diagnoses.values_list("code", flat=True)) == ["I69.351"]
    episode = svc.episode_open(
        user=desk, referral=referral, therapist=ot.staff_profile, started_on=TODAY
    )
    _evaluate_and_plan(ot, episode)

    documents = client.get(f"/fhir/R4/DocumentReference?patient={patient_id}", headers=partner)
    (document,) = [e["resource"] for e in valid(documents.json())["entry"]]
    assert document["type"]["coding"][0]["code"] == "11488-4"  # the evaluation (consult note)
    assert document["context"]["related"] == [{"reference": f"ServiceRequest/{request_id}"}]
    plans = client.get(f"/fhir/R4/CarePlan?patient={patient_id}", headers=partner)
    (plan,) = [e["resource"] for e in valid(plans.json())["entry"]]
    assert plan["status"] == "active"
    assert plan["supportingInfo"] == [{"reference": f"ServiceRequest/{request_id}"}]
    taken_up = client.get(f"/fhir/R4/ServiceRequest/{request_id}", headers=partner)
    assert valid(taken_up.json())["status"] == "completed"
