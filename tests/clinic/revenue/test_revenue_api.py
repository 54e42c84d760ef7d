"""The revenue cycle over the JSON API: claims, remittances and denials, with the pages' checks
(roles, organization) and services (an 835 posts once)."""

import datetime as dt
import json
import uuid
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from otclinic.clinic.accounts import api_tokens
from otclinic.clinic.revenue.models import (
    Claim,
    ClaimStatus,
    Denial,
    DenialStatus,
    LedgerEntry,
    Remittance,
)
from tests.clinic import factories as f
from tests.clinic.revenue.remittance.helpers import era, make_claim

pytestmark = pytest.mark.django_db

API = "/api/v1"
DENIED = (
    "CLP*{pcn}*4*150.00*0*0*12*PAYER{pcn}~SVC*HC:97530:GO*150.00*0**2~DTM*472*20260312~"
    "CAS*CO*97*150.00~LQ*HE*N362"
)
PAID = "CLP*{pcn}*1*150.10*120.08*0*12*PAYER{pcn}~SVC*HC:97530*150.10*120.08~DTM*472*20260312~CAS*CO*45*30.02"


def token(user: Any, *scopes: str) -> dict[str, str]:
    _row, secret = api_tokens.token_create(
        user=user, name="t", scopes=list(scopes or ("read", "write")), lifetime_days=30
    )
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def org() -> Any:
    return f.OrganizationFactory()


@pytest.fixture
def biller(org: Any) -> dict[str, str]:
    return token(f.staff_user(organization=org, role="biller"))


def post(client: Client, url: str, body: Any, headers: dict[str, str]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json", headers=headers)


def _835(*claims: str, control: str = "0001", payment: str = "0.00") -> str:
    return era(list(claims), control=control, payment=payment)


def test_the_claims_list_searches_pages_and_keeps_money_exact(
    client: Client, org: Any, biller: dict[str, str]
) -> None:
    one = make_claim(organization=org, lines=[("97530", "150.10", dt.date(2026, 3, 12))])
    two = make_claim(organization=org, lines=[("97110", "20.20", dt.date(2026, 4, 2))])
    make_claim(organization=f.OrganizationFactory())  # another organization's: never listed
    listed = client.get(f"{API}/claims/", headers=biller).json()
    assert [c["id"] for c in listed] == [str(two.pk), str(one.pk)]
    assert listed[1]["total_charge"] == "150.10"
    page = client.get(f"{API}/claims/", {"limit": 1, "offset": 1}, headers=biller).json()
    assert [c["id"] for c in page] == [str(one.pk)]
    found = client.get(
        f"{API}/claims/", {"q": one.patient_control_number, "status": "submitted"}, headers=biller
    ).json()
    assert [c["id"] for c in found] == [str(one.pk)]
    april = client.get(f"{API}/claims/", {"service_from": "2026-04-01"}, headers=biller).json()
    assert [c["id"] for c in april] == [str(two.pk)]
    backwards = client.get(
        f"{API}/claims/", {"service_from": "2026-04-01", "service_to": "2026-03-01"}, headers=biller
    )
    assert backwards.status_code == 422
    assert list(backwards.json()["errors"]) == ["service_to"]


def test_a_claim_shows_its_lines_payments_and_denials(
    client: Client, org: Any, biller: dict[str, str]
) -> None:
    claim = make_claim(organization=org, control_number="DEN1")
    assert (
        post(
            client,
            f"{API}/remittances/",
            {"file_name": "d.835", "content": _835(DENIED.format(pcn="DEN1"))},
            biller,
        ).status_code
        == 200
    )
    body = client.get(f"{API}/claims/{claim.pk}", headers=biller).json()
    assert [line["code"] for line in body["lines"]] == ["97530"]
    assert body["lines"][0]["amount"] == "150.00"
    assert [p["status_code"] for p in body["payments"]] == ["4"]
    assert [(d["group_code"], d["reason_code"], d["amount"]) for d in body["denials"]] == [
        ("CO", "97", "150.00")
    ]


def test_another_organizations_claim_is_404_and_its_actions_change_nothing(
    client: Client, biller: dict[str, str]
) -> None:
    other = make_claim(organization=f.OrganizationFactory())
    assert client.get(f"{API}/claims/{other.pk}", headers=biller).status_code == 404
    for action in ("scrub", "ready", "correct", "void", "secondary"):
        assert post(client, f"{API}/claims/{other.pk}/{action}", {}, biller).status_code == 404
    answer = post(client, f"{API}/claims/{other.pk}/status", {"status": "void"}, biller)
    assert answer.status_code == 404
    assert Claim.objects.get(pk=other.pk).status == ClaimStatus.SUBMITTED
    assert Claim.objects.filter(organization=other.organization).count() == 1


def test_status_moves_along_the_allowed_transitions_only(
    client: Client, org: Any, biller: dict[str, str]
) -> None:
    claim = make_claim(organization=org)
    moved = post(client, f"{API}/claims/{claim.pk}/status", {"status": "accepted"}, biller)
    assert moved.status_code == 200, moved.content
    assert moved.json()["status"] == "accepted"
    refused = post(client, f"{API}/claims/{claim.pk}/status", {"status": "draft"}, biller)
    assert refused.status_code == 422
    assert "cannot become draft" in refused.json()["errors"]["status"][0]
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.ACCEPTED


def test_void_makes_a_frequency_8_claim_for_a_claim_the_payer_has(
    client: Client, org: Any, biller: dict[str, str]
) -> None:
    claim = make_claim(organization=org)
    unknown = post(client, f"{API}/claims/{claim.pk}/void", {}, biller)
    assert unknown.status_code == 422
    assert "payer's claim number is not known" in unknown.json()["errors"]["claim"][0]
    Claim.objects.filter(pk=claim.pk).update(payer_claim_number="PAYER-1")
    made = post(client, f"{API}/claims/{claim.pk}/void", {}, biller)
    assert made.status_code == 201, made.content
    assert made.json()["frequency"] == "8"
    assert made.json()["original_id"] == str(claim.pk)


def test_an_835_posts_once_however_often_it_is_imported(
    client: Client, org: Any, biller: dict[str, str]
) -> None:
    claim = make_claim(
        organization=org, control_number="PAY1", lines=[("97530", "150.10", dt.date(2026, 3, 12))]
    )
    body = {"file_name": "era.835", "content": _835(PAID.format(pcn="PAY1"), payment="120.08")}
    first = post(client, f"{API}/remittances/", body, biller)
    assert first.status_code == 200, first.content
    assert (first.json()["posted"], first.json()["already_imported"]) == (1, [])
    entries = LedgerEntry.objects.filter(claim=claim).count()
    again = post(client, f"{API}/remittances/", body, biller)
    assert again.status_code == 200
    assert again.json()["posted"] == 0 and again.json()["remittance_ids"] == []
    assert len(again.json()["already_imported"]) == 1
    assert Remittance.objects.filter(organization=org).count() == 1
    assert LedgerEntry.objects.filter(claim=claim).count() == entries
    (remittance_id,) = first.json()["remittance_ids"]
    listed = client.get(f"{API}/remittances/", headers=biller).json()
    assert [r["id"] for r in listed] == [remittance_id]
    assert listed[0]["payment_amount"] == "120.08"
    detail = client.get(f"{API}/remittances/{remittance_id}", headers=biller).json()
    (paid,) = detail["claims"]
    assert (paid["claim_id"], paid["paid"]) == (str(claim.pk), "120.08")
    assert paid["services"][0]["adjustments"] == [
        {"group": "CO", "reason": "45", "amount": "30.02"}
    ]


def test_an_unreadable_835_is_422_on_content_and_posts_nothing(
    client: Client, org: Any, biller: dict[str, str]
) -> None:
    answer = post(
        client, f"{API}/remittances/", {"file_name": "x.835", "content": "ISA*nonsense"}, biller
    )
    assert answer.status_code == 422
    assert list(answer.json()["errors"]) == ["content"]
    assert not Remittance.objects.filter(organization=org).exists()


@pytest.mark.parametrize("role", ["OT", "OTA", "front_desk"])
def test_a_clinician_cannot_post_a_remittance_nor_read_claims(
    client: Client, org: Any, role: str
) -> None:
    make_claim(organization=org, control_number="PAY1")
    headers = token(f.staff_user(organization=org, role=role))
    body = {"file_name": "era.835", "content": _835(PAID.format(pcn="PAY1"), payment="120.08")}
    assert post(client, f"{API}/remittances/", body, headers).status_code == 403
    assert not Remittance.objects.filter(organization=org).exists()
    assert client.get(f"{API}/claims/", headers=headers).status_code == 403
    assert client.get(f"{API}/denials/", headers=headers).status_code == 403


def test_a_read_token_cannot_import(client: Client, org: Any) -> None:
    headers = token(f.staff_user(organization=org, role="biller"), "read")
    body = {"file_name": "era.835", "content": _835(PAID.format(pcn="PAY1"))}
    assert post(client, f"{API}/remittances/", body, headers).status_code == 403
    assert client.get(f"{API}/remittances/", headers=headers).status_code == 200


def test_another_organizations_remittance_and_denial_are_404(
    client: Client, biller: dict[str, str]
) -> None:
    other_org = f.OrganizationFactory()
    make_claim(organization=other_org, control_number="DEN9")
    other_biller = token(f.staff_user(organization=other_org, role="biller"))
    imported = post(
        client,
        f"{API}/remittances/",
        {"file_name": "d.835", "content": _835(DENIED.format(pcn="DEN9"))},
        other_biller,
    )
    (remittance_id,) = imported.json()["remittance_ids"]
    denial = Denial.objects.get(organization=other_org)
    assert client.get(f"{API}/remittances/{remittance_id}", headers=biller).status_code == 404
    assert client.get(f"{API}/denials/{denial.pk}", headers=biller).status_code == 404
    assert client.get(f"{API}/denials/", headers=biller).json() == []
    answer = post(client, f"{API}/denials/{denial.pk}/resolve", {"action": "write_off"}, biller)
    assert answer.status_code == 404
    assert Denial.objects.get(pk=denial.pk).status == DenialStatus.OPEN


def test_a_denial_is_worked_as_on_its_page(
    client: Client, org: Any, biller: dict[str, str]
) -> None:
    make_claim(organization=org, control_number="DEN1")
    post(
        client,
        f"{API}/remittances/",
        {"file_name": "d.835", "content": _835(DENIED.format(pcn="DEN1"))},
        biller,
    )
    (queued,) = client.get(f"{API}/denials/", {"carc": "97"}, headers=biller).json()
    assert (queued["reason_code"], queued["amount"], queued["remark_codes"]) == (
        "97",
        "150.00",
        ["N362"],
    )
    assert client.get(f"{API}/denials/", {"carc": "50"}, headers=biller).json() == []
    done = post(
        client,
        f"{API}/denials/{queued['id']}/resolve",
        {"action": "write_off", "note": "bundled"},
        biller,
    )
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "written_off"
    assert client.get(f"{API}/denials/", headers=biller).json() == []
    again = post(client, f"{API}/denials/{queued['id']}/resolve", {"action": "appealed"}, biller)
    assert again.status_code == 422
    assert list(again.json()["errors"]) == ["action"]
    write_offs = LedgerEntry.objects.filter(claim__organization=org, kind="write_off")
    assert sum(e.amount for e in write_offs) == Decimal("-150.00")


def test_an_unknown_api_path_answers_json_404(client: Client, biller: dict[str, str]) -> None:
    for url in (f"{API}/nowhere", f"{API}/claims/{uuid.uuid4()}/nowhere", "/api/v2/claims/"):
        answer = client.get(url, headers=biller)
        assert answer.status_code == 404
        assert answer.json() == {"detail": "Not Found"}
    assert client.get("/nowhere/").headers["Content-Type"].startswith("text/html")
