"""Every billing page fits a portrait tablet (768 px): nothing scrolls sideways, no table hides a
column or a button past its card's edge, and every button and link can be reached on screen."""

from typing import Any

import pytest
from playwright.sync_api import Page

from tests import clock
from tests.browser.checks import TABLET_PORTRAIT, horizontal_overflow_px, sign_in, widest_elements
from tests.browser.demo_data import DemoClinic, between_requests

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

# A card that scrolls its table sideways hides what is past its edge from a person who does not
# think to swipe it: the "Work denial" button, the last column of the ledger.
_CLIPPED_JS = """
() => {
  const out = [];
  for (const card of document.querySelectorAll('main .card, main table')) {
    if (card.scrollWidth > card.clientWidth + 1) {
      out.push(`${card.tagName.toLowerCase()}.${card.className} ${card.scrollWidth}>${card.clientWidth}`);
    }
  }
  const width = document.documentElement.clientWidth;
  for (const el of document.querySelectorAll('main a, main button, main input, main select')) {
    const box = el.getBoundingClientRect();
    if (box.width > 0 && (box.right > width + 0.5 || box.left < -0.5)) {
      out.push(`${el.tagName.toLowerCase()} "${(el.textContent || el.name || '').trim()}" right=${Math.round(box.right)}`);
    }
  }
  return out;
}
"""


def _billing_pages(django_db_blocker: Any) -> list[str]:
    from otclinic.clinic.organizations.models import Organization
    from otclinic.clinic.revenue.models import Claim, Denial, LedgerEntry, Remittance
    from tests.clinic.pages.revenue_cycle import add_revenue

    with between_requests(django_db_blocker):
        # The demo clinic bills a month of its own (demo/revenue.py); add_revenue fills any
        # other organization that has no claims.
        for organization in Organization.objects.all():
            add_revenue(organization=organization, today=clock.TODAY)
        claim = Claim.objects.order_by("-created_at").first()
        denial = Denial.objects.order_by("-created_at").first()
        owing = LedgerEntry.objects.filter(responsibility="patient").first()
        remittance = Remittance.objects.first()
        payer = claim.coverage.payer if claim else None
    assert claim and denial and owing and remittance, "the demo clinic has a revenue cycle"
    return [
        "/billing/claims/",
        f"/billing/claims/{claim.pk}/",
        "/billing/denials/",
        f"/billing/denials/{denial.pk}/",
        "/billing/aging/",
        "/billing/balances/",
        f"/billing/patients/{owing.patient_id}/balance/",
        "/billing/remittances/upload/",
        "/billing/remittances/unmatched/",
        "/billing/codes/",
        "/clearinghouse/",
        f"/clearinghouse/payers/{payer.pk}/",
    ]


def test_every_billing_page_fits_a_portrait_tablet(
    page: Page, demo_clinic: DemoClinic, django_db_blocker: Any
) -> None:
    page.set_viewport_size(TABLET_PORTRAIT)
    sign_in(page, demo_clinic.login("biller"))
    problems = {}
    for url in _billing_pages(django_db_blocker):
        answer = page.goto(url)
        assert answer is not None and answer.status == 200, url
        found = list(page.evaluate(_CLIPPED_JS))
        if horizontal_overflow_px(page):
            found += widest_elements(page)
        if found:
            problems[url] = found
    assert not problems, problems
