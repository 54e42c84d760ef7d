"""The scrub's results are kept with the claim: its problems (rule, severity, source, field,
message, fix) and the time, shown on the claim's page and in the list, and cleared when the
claim changes."""

import pytest
from django.test import Client

from otclinic.clinic.revenue import claim_assembly
from otclinic.clinic.revenue import claims as svc
from otclinic.clinic.revenue.charges import charges_create_for_signed_notes
from otclinic.clinic.revenue.models import Claim, ClaimStatus
from otclinic.clinic.revenue.scrubber import ClaimHasProblems, claim_scrub, claims_scrub
from tests.clinic.revenue.claims.builders import Billing, billing_practice, note

pytestmark = pytest.mark.django_db


@pytest.fixture
def b() -> Billing:
    return billing_practice()


def _claim(b: Billing) -> Claim:
    note(b, ("97530", {"assistant_minutes": 38}), author=b.ota)
    charges_create_for_signed_notes(user=b.biller)
    [claim] = claim_assembly.claims_assemble(user=b.biller)
    return claim


def _bad_member_id(b: Billing) -> None:
    b.coverage.member_id = "X"
    b.coverage.save()


def _pages(client: Client, claim: Claim) -> tuple[str, str]:
    detail = client.get(f"/billing/claims/{claim.pk}/").content.decode()
    listing = client.get("/billing/claims/").content.decode()
    return detail, listing


def test_a_refused_claim_keeps_its_problems_and_shows_them(client: Client, b: Billing) -> None:
    _bad_member_id(b)
    claim = _claim(b)
    with pytest.raises(ClaimHasProblems):
        svc.claim_mark_ready(claim=claim, user=b.biller)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.DRAFT
    assert claim.scrubbed_at is not None
    [kept] = [p for p in claim.scrub_findings if p["severity"] == "error"]
    assert (kept["rule_id"], kept["source"], kept["field"]) == (
        "scrub.x12",
        "837P writer",
        "claim.subscriber.member_id",
    )
    client.force_login(b.biller)
    detail, listing = _pages(client, claim)
    assert "Not scrubbed yet" not in detail
    assert "Last scrubbed" in detail and "claim.subscriber.member_id" in detail
    assert "Correct the member id" in detail
    assert "1 error" in listing


def test_a_ready_claim_says_it_was_scrubbed_clean(client: Client, b: Billing) -> None:
    claim = _claim(b)
    svc.claim_mark_ready(claim=claim, user=b.biller)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.READY
    assert not any(p["severity"] == "error" for p in claim.scrub_findings)
    client.force_login(b.biller)
    detail, listing = _pages(client, claim)
    assert "Not scrubbed yet" not in detail
    assert "Last scrubbed" in detail
    assert claim.scrub_summary in listing
    assert "not scrubbed" not in listing


def test_the_scrub_button_and_the_drafts_run_keep_their_results(b: Billing) -> None:
    _bad_member_id(b)
    claim = _claim(b)
    assert claim_scrub(claim=claim, user=b.biller)
    claim.refresh_from_db()
    first = claim.scrubbed_at
    assert claim.scrub_summary.startswith("1 error")
    claim.scrub_findings, claim.scrubbed_at = None, None
    claim.save(update_fields=["scrub_findings", "scrubbed_at"])
    claims_scrub(user=b.biller)
    claim.refresh_from_db()
    assert claim.scrubbed_at is not None and claim.scrubbed_at >= first
    assert claim.scrub_summary.startswith("1 error")


def test_a_change_to_the_claim_clears_its_results(b: Billing) -> None:
    claim = _claim(b)
    claim_scrub(claim=claim, user=b.biller)
    line = claim.lines.get()
    line.diagnosis_pointers = [2]
    line.save()
    claim.refresh_from_db()
    assert (claim.scrub_findings, claim.scrubbed_at, claim.scrub_summary) == (
        None,
        None,
        "not scrubbed",
    )
    svc.claim_mark_ready(claim=claim, user=b.biller)
    svc.claim_set_status(claim=claim, status=ClaimStatus.DRAFT, user=b.biller)
    claim.refresh_from_db()
    assert claim.scrubbed_at is None
    claim_scrub(claim=claim, user=b.biller)
    claim.refresh_from_db()
    claim.place_of_service = "12"
    claim.save()  # an edit of the whole claim
    claim.refresh_from_db()
    assert claim.scrubbed_at is None
