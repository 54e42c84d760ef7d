"""The biller's claims pages: roles, 422 on bad input, scrubber problems with their fixes,
the billing runs as jobs ending in an 837P download, and the CMS-1500 PDF."""

import datetime as dt
import io

import pytest
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from otclinic.clinic.revenue import claim_assembly
from otclinic.clinic.revenue.charges import charges_create_for_signed_notes
from otclinic.clinic.revenue.cms1500 import ITEMS, LINE_COLUMNS, position
from otclinic.clinic.revenue.models import ClaimBatch, ClaimStatus
from tests.clinic import factories as f
from tests.clinic.jobs.helpers import finish
from tests.clinic.revenue.claims.builders import Billing, billing_practice, note
from tests.domain.claims.p837.pyx12_check import assert_passes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 4, 1))


@pytest.fixture
def b() -> Billing:
    return billing_practice()


@pytest.fixture
def biller(client: Client, b: Billing) -> Client:
    client.force_login(b.biller)
    return client


def _claim(b: Billing) -> object:
    note(b, ("97530", {"assistant_minutes": 38}), author=b.ota)
    charges_create_for_signed_notes(user=b.biller)
    [claim] = claim_assembly.claims_assemble(user=b.biller)
    return claim


def test_a_biller_creates_charges_and_assembles_claims_from_the_page(
    biller: Client, b: Billing
) -> None:
    note(b)
    page = biller.get("/billing/claims/").content.decode()
    assert "1 signed note(s) without charges" in page
    assert "1 charge(s) created" in finish(biller, biller.post("/billing/claims/charges/"))
    assert "1 draft claim(s) assembled" in finish(biller, biller.post("/billing/claims/assemble/"))
    page = biller.get("/billing/claims/?status=draft").content.decode()
    assert b.patient.last_name in page


def test_a_row_of_the_list_links_its_claim_and_names_its_kind_status_and_payer(
    biller: Client, b: Billing
) -> None:
    claim = _claim(b)
    type(claim).objects.filter(pk=claim.pk).update(  # type: ignore[attr-defined]
        frequency="7", original=claim, status=ClaimStatus.READY
    )
    page = biller.get("/billing/claims/").content.decode()
    number = claim.patient_control_number  # type: ignore[attr-defined]
    assert f'<a href="/billing/claims/{claim.pk}/">{number}</a> (Replacement (correction))' in page  # type: ignore[attr-defined]
    assert '<span class="claim-status">Ready to submit</span>' in page
    assert f"{b.patient.last_name}, {b.patient.first_name}" in page
    assert claim.coverage.payer.name in page  # type: ignore[attr-defined]


def test_an_unknown_status_filter_answers_422(biller: Client) -> None:
    response = biller.get("/billing/claims/", {"status": "lost"})
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()


@pytest.mark.parametrize("role", ["OT", "OTA", "front_desk"])
def test_roles_without_billing_rights_are_refused(client: Client, b: Billing, role: str) -> None:
    claim = _claim(b)
    client.force_login(f.staff_user(organization=b.org, role=role))
    assert client.get("/billing/claims/").status_code == 403
    assert client.get(f"/billing/claims/{claim.pk}/").status_code == 403
    assert client.post("/billing/claims/export/").status_code == 403
    assert client.post(f"/billing/claims/{claim.pk}/ready/").status_code == 403


def test_the_scrubber_shows_each_problem_with_its_fix_and_ready_answers_422(
    biller: Client, b: Billing
) -> None:
    b.ot.licenses.update(expires_on=dt.date(2026, 1, 31))
    claim = _claim(b)
    response = biller.post(f"/billing/claims/{claim.pk}/scrub/", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body  # the htmx partial only
    assert "no OH license in force" in body and "Record the therapist" in body
    response = biller.post(f"/billing/claims/{claim.pk}/ready/")
    assert response.status_code == 422
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.DRAFT


def test_mark_ready_then_export_downloads_one_837p_that_pyx12_accepts(
    biller: Client, b: Billing
) -> None:
    claim = _claim(b)
    assert biller.post(f"/billing/claims/{claim.pk}/ready/").status_code == 302
    page = finish(biller, biller.post("/billing/claims/export/"))
    assert "1 837P file(s) written with 1 claim(s)." in page
    batch = ClaimBatch.objects.get()
    assert f'href="/billing/claims/batches/{batch.pk}/837p/"' in page  # the job links its file
    response = biller.get(f"/billing/claims/batches/{batch.pk}/837p/")
    assert response["Content-Disposition"].startswith('attachment; filename="837P-000000001-')
    downloaded = response.getvalue()
    assert_passes(downloaded.decode())
    again = biller.get(f"/billing/claims/batches/{batch.pk}/837p/")
    assert again.getvalue() == downloaded == batch.read_text().encode()


def test_bad_actions_answer_422(biller: Client, b: Billing) -> None:
    claim = _claim(b)
    assert (
        biller.post(f"/billing/claims/{claim.pk}/action/", {"action": "shred"}).status_code == 422
    )
    refused = biller.post(f"/billing/claims/{claim.pk}/action/", {"action": "secondary"})
    assert refused.status_code == 422
    assert "after the primary has paid" in refused.content.decode()
    assert biller.post(f"/billing/claims/{claim.pk}/status/", {"status": "paid"}).status_code == 422


def _texts_at(pdf: bytes) -> dict[str, tuple[float, float]]:
    found: dict[str, tuple[float, float]] = {}

    def visit(text: str, cm: object, tm: list[float], *_: object) -> None:
        if text.strip():
            found.setdefault(text.strip(), (tm[4], tm[5]))

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    return found


def test_the_cms1500_places_the_claim_by_item_number(biller: Client, b: Billing) -> None:
    claim = _claim(b)
    response = biller.get(f"/billing/claims/{claim.pk}/cms1500.pdf")
    assert response["Content-Type"] == "application/pdf"
    texts = _texts_at(response.content)
    expected = {
        "1a": b.coverage.member_id,
        "17b": b.physician.npi,
        "21.indicator": "0",
        "21.A": "I69351",
        "26": claim.patient_control_number,
        "33a": b.org.npi,
        "25": b.org.tax_id,
    }
    for item, value in expected.items():
        assert texts[value] == pytest.approx(position(*ITEMS[item][:2]), abs=0.5), item
    first_row = ITEMS["24.first_row"]
    assert texts["97530"] == pytest.approx(position(LINE_COLUMNS["24D"], first_row[1]), abs=0.5)
    assert texts["GO CO"] == pytest.approx(
        position(LINE_COLUMNS["24D.modifiers"], first_row[1]), abs=0.5
    )
    assert texts["AB"] == pytest.approx(position(LINE_COLUMNS["24E"], first_row[1]), abs=0.5)
    assert texts[b.ot.npi] == pytest.approx(position(LINE_COLUMNS["24J"], first_row[1]), abs=0.5)
    assert "360 00" in texts  # 24F and item 28


def test_a_claim_of_more_than_six_lines_continues_on_a_second_page(b: Billing) -> None:
    from otclinic.clinic.revenue.cms1500 import claim_pdf

    for day in range(2, 10):
        note(b, ("97110", {"therapist_minutes": 15}), day=dt.date(2026, 3, day))
    charges_create_for_signed_notes(user=b.biller)
    [claim] = claim_assembly.claims_assemble(user=b.biller)
    reader = PdfReader(io.BytesIO(claim_pdf(claim)))
    assert len(reader.pages) == 2
    assert reader.pages[1].extract_text().count("97110") == 2
