"""The CMS-1500's boxes never print over each other: every box rendered with the longest value
it allows (and longer), on the red form's grid and on plain paper."""

import datetime as dt
import io
from decimal import Decimal
from itertools import combinations

import pytest
from django.utils import timezone
from pypdf import PdfReader

from otclinic.clinic.revenue import claim_assembly, claim_copies
from otclinic.clinic.revenue.charges import charges_create_for_signed_notes
from otclinic.clinic.revenue.cms1500 import EXACT, ITEMS, CannotPrint, Placed, claim_pdf, layout
from tests.clinic.revenue.claims.builders import Billing, billing_practice, note

pytestmark = pytest.mark.django_db

LONG = "W" * 80  # wider than any box: names and addresses are cut to their box


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 4, 1))


def _longest_claim() -> object:
    b: Billing = billing_practice()
    for day in range(2, 5):  # six service lines: a full page
        note(
            b,
            ("97530", {"assistant_minutes": 38}),
            ("97110", {"assistant_minutes": 8}),
            author=b.ota,
            day=dt.date(2026, 3, day),
        )
    charges_create_for_signed_notes(user=b.biller)
    [claim] = claim_assembly.claims_assemble(user=b.biller)
    patient, coverage = claim.patient, claim.coverage
    patient.first_name = patient.last_name = patient.address = patient.city = LONG
    patient.zip_code = "123456789"
    coverage.subscriber_relationship, coverage.subscriber_name = "spouse", LONG
    coverage.group_number = LONG
    coverage.payer.name = LONG
    org, clinic = claim.organization, claim.episode.clinic
    org.name = org.billing_address = org.billing_city = LONG
    org.phone = "(555) 555-5555x1234"
    clinic.name = clinic.address = clinic.city = LONG
    physician = claim.referring_physician
    physician.first_name = physician.last_name = LONG
    user = claim.rendering_provider.user
    user.first_name = user.last_name = LONG
    # Item 24F's largest amount on every line; item 28 then holds their sum (7 dollar digits).
    claim.lines.update(amount=Decimal("999999.99"))
    return claim


def _cells(text: Placed) -> tuple[float, float, float]:
    return (text.line, text.column, text.column + len(text.text))


def test_no_two_texts_overlap_even_with_every_box_at_its_longest() -> None:
    claim = _longest_claim()
    [page] = layout(claim)
    assert {text.item for text in page} >= {"2", "4", "5.street", "7.street", "17", "32", "33"}
    for text in page:
        assert len(text.text) <= text.width, text
    for a, b in combinations(page, 2):
        (line_a, start_a, end_a), (line_b, start_b, end_b) = _cells(a), _cells(b)
        if line_a == line_b:
            assert end_a <= start_b or end_b <= start_a, f"{a.item} {a.text!r} over {b.item}"


def test_the_table_of_boxes_has_no_two_boxes_on_one_line_that_overlap() -> None:
    boxes = [(item, *spec) for item, spec in ITEMS.items() if item != "24.first_row"]
    for (item_a, col_a, line_a, w_a), (item_b, col_b, line_b, w_b) in combinations(boxes, 2):
        if line_a == line_b:
            assert col_a + w_a <= col_b or col_b + w_b <= col_a, (item_a, item_b)


def test_a_number_the_payer_matches_is_never_cut_but_refused() -> None:
    claim = _longest_claim()
    claim.patient_control_number = "A" * 17  # longer than item 26's 14 characters
    with pytest.raises(CannotPrint, match="item 26 holds 14 characters"):
        layout(claim)
    assert "26" in EXACT and "2" not in EXACT


def test_new_claim_numbers_fit_item_26() -> None:
    assert len(claim_copies.new_control_number()) == ITEMS["26"][2]


def test_the_plain_paper_form_draws_the_boxes_under_the_data() -> None:
    claim = _longest_claim()
    red_form = PdfReader(io.BytesIO(claim_pdf(claim))).pages[0].extract_text()
    plain = PdfReader(io.BytesIO(claim_pdf(claim, plain_paper=True))).pages[0].extract_text()
    assert "HEALTH INSURANCE CLAIM FORM" in plain
    assert "HEALTH INSURANCE CLAIM FORM" not in red_form
    assert claim.patient_control_number in plain and claim.patient_control_number in red_form
