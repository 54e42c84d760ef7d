"""Claim and ExplanationOfBenefit: the billing office reads them, with money exact to the cent;
clinicians, the front desk and portal logins do not; another organization's are 404."""

import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from fhir.resources.R4B import get_fhir_model_class

from otclinic.clinic.revenue.models import RemittanceClaim
from otclinic.domain.fhir import financial as fin
from tests.clinic import factories as f
from tests.clinic.fhir.records import Record, full_record
from tests.clinic.portal.helpers import shared_patient
from tests.clinic.revenue.remittance.helpers import make_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def billing(client: Client, record: Record) -> Client:
    client.force_login(f.staff_user(organization=record.org, role="biller"))
    return client


def exact(response: Any) -> dict[str, Any]:
    """The body with its numbers read as Decimals, as written (no float in between)."""
    assert response.status_code == 200, response.content[:400]
    body: dict[str, Any] = json.loads(response.content, parse_float=Decimal)
    get_fhir_model_class(body["resourceType"]).model_validate(json.loads(response.content))
    return body


def test_a_claim_carries_its_lines_and_total_exactly(billing: Client, record: Record) -> None:
    claim = exact(billing.get(f"/fhir/R4/Claim/{record.claim.pk}"))
    assert b'"value": 170.30' in billing.get(f"/fhir/R4/Claim/{record.claim.pk}").content
    assert claim["total"] == {"value": Decimal("170.30"), "currency": "USD"}
    nets = [item["net"]["value"] for item in claim["item"]]
    assert nets == [Decimal("150.10"), Decimal("20.20")]
    assert sum(nets) == claim["total"]["value"]
    assert claim["status"] == "active" and claim["use"] == "claim"
    assert claim["type"]["coding"][0]["code"] == "professional"
    assert claim["patient"]["reference"] == f"Patient/{record.patient.pk}"
    assert claim["insurance"][0]["coverage"]["reference"] == f"Coverage/{record.coverage.pk}"
    assert claim["identifier"][0]["value"] == record.claim.patient_control_number
    first, second = claim["item"]
    assert first["productOrService"]["coding"][0] == {"system": t_cpt(), "code": "97530"}
    assert [m["coding"][0]["system"] for m in first["modifier"]] == [fin.HCPCS, t_cpt()]
    assert first["quantity"] == {"value": 3}
    assert second["productOrService"]["coding"][0]["system"] == fin.HCPCS
    assert claim["diagnosis"][0]["diagnosisCodeableConcept"]["coding"][0]["code"] == "M62.81"


def t_cpt() -> str:
    return "http://www.ama-assn.org/go/cpt"


def test_an_explanation_of_benefit_adjudicates_each_line_with_its_carc_and_rarc(
    billing: Client, record: Record
) -> None:
    eob = exact(billing.get(f"/fhir/R4/ExplanationOfBenefit/{record.eob.pk}"))
    assert eob["claim"]["reference"] == f"Claim/{record.claim.pk}"
    assert eob["outcome"] == "complete"
    assert eob["payment"]["amount"]["value"] == Decimal("120.08")
    totals = {t["category"]["coding"][0]["code"]: t["amount"]["value"] for t in eob["total"]}
    assert totals == {"submitted": Decimal("170.30"), "benefit": Decimal("120.08")}
    paid, denied = eob["item"]
    reasons = [
        (a["category"]["coding"][0]["code"], a["reason"]["coding"][0]["code"], a.get("amount"))
        for a in denied["adjudication"]
        if "reason" in a
    ]
    assert reasons == [
        ("adjustmentreason", "50", {"value": Decimal("20.20"), "currency": "USD"}),
        ("remark", "N115", None),
    ]
    assert paid["adjudication"][2]["reason"]["text"] == "CO-45"
    # What was charged, less the adjustments, is what was paid: to the cent.
    for item in eob["item"]:
        amounts = {
            a["category"]["coding"][0]["code"]: a["amount"]["value"]
            for a in item["adjudication"]
            if a["category"]["coding"][0]["code"] in {"submitted", "benefit"}
        }
        adjusted = sum(
            a["amount"]["value"]
            for a in item["adjudication"]
            if a["category"]["coding"][0]["code"] == "adjustmentreason"
        )
        assert amounts["submitted"] - adjusted == amounts["benefit"]


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("Claim?patient={patient}", True),
        ("Claim?status=active&use=claim", True),
        ("Claim?status=draft", False),
        ("Claim?identifier={pcn}", True),
        ("Claim?identifier=NOPE", False),
        ("Claim?created=ge2000-01-01", True),
        ("Claim?created=lt2000-01-01", False),
        ("ExplanationOfBenefit?patient={patient}&status=active", True),
        ("ExplanationOfBenefit?claim=Claim/{claim}", True),
        ("ExplanationOfBenefit?identifier=PCN-77", True),
        ("ExplanationOfBenefit?identifier={pcn}", True),
        ("ExplanationOfBenefit?use=preauthorization", False),
    ],
)
def test_searches_find_the_claim_and_its_payment(
    billing: Client, record: Record, query: str, found: bool
) -> None:
    url = query.format(
        patient=record.patient.pk, pcn=record.claim.patient_control_number, claim=record.claim.pk
    )
    bundle = exact(billing.get(f"/fhir/R4/{url}"))
    assert (bundle["total"] == 1) is found, bundle["total"]


@pytest.mark.parametrize("role", ["OT", "OTA", "front_desk"])
def test_clinicians_and_the_front_desk_do_not_read_financial_types(
    client: Client, record: Record, role: str
) -> None:
    client.force_login(f.staff_user(organization=record.org, role=role))
    assert client.get(f"/fhir/R4/Claim/{record.claim.pk}").status_code == 404
    assert client.get(f"/fhir/R4/ExplanationOfBenefit/{record.eob.pk}").status_code == 404
    assert client.get("/fhir/R4/Claim").json()["total"] == 0
    assert client.get("/fhir/R4/ExplanationOfBenefit").json()["total"] == 0


def test_a_clinic_admin_reads_them(client: Client, record: Record) -> None:
    client.force_login(f.staff_user(organization=record.org, role="clinic_admin"))
    assert client.get(f"/fhir/R4/Claim/{record.claim.pk}").status_code == 200
    assert client.get(f"/fhir/R4/ExplanationOfBenefit/{record.eob.pk}").status_code == 200


def test_a_patient_does_not_read_their_own_claims_on_the_portal(client: Client) -> None:
    shared = shared_patient()
    claim = make_claim(
        organization=shared.patient.organization,
        coverage=f.CoverageFactory(patient=shared.patient),
        episode=shared.episode,
    )
    client.force_login(shared.self_access.user)
    assert client.get(f"/fhir/R4/Claim/{claim.pk}").status_code == 404
    assert client.get("/fhir/R4/Claim").json()["total"] == 0


def test_another_organizations_claims_and_payments_are_404(billing: Client, record: Record) -> None:
    other = full_record()
    assert billing.get(f"/fhir/R4/Claim/{other.claim.pk}").status_code == 404
    assert billing.get(f"/fhir/R4/ExplanationOfBenefit/{other.eob.pk}").status_code == 404
    ids = {e["resource"]["id"] for e in billing.get("/fhir/R4/Claim").json()["entry"]}
    assert ids == {str(record.claim.pk)}
    searched = billing.get(f"/fhir/R4/ExplanationOfBenefit?patient={other.patient.pk}").json()
    assert searched["total"] == 0


def test_a_payment_waiting_in_the_unmatched_queue_is_not_served(
    billing: Client, record: Record
) -> None:
    queued = RemittanceClaim.objects.create(
        organization=record.org,
        remittance=record.eob.remittance,
        patient_control_number="UNMATCHED",
        status_code="1",
        charge=Decimal("10.00"),
        paid=Decimal("10.00"),
    )
    assert billing.get(f"/fhir/R4/ExplanationOfBenefit/{queued.pk}").status_code == 404
