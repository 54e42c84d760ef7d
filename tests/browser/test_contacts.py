"""The chart's contacts section in a real browser: the front desk adds a caregiver, and the
portal section below reloads and offers her for a sharing consent and an invitation."""

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.checks import TABLET_PORTRAIT, horizontal_overflow_px, sign_in
from tests.browser.demo_data import DemoClinic

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
NAME = "Imani Browserton"


def test_a_caregiver_added_on_the_chart_is_offered_by_the_portal_section(
    page: Page, demo_clinic: DemoClinic, screenshot: Callable[[Page, str], Path]
) -> None:
    page.set_viewport_size(TABLET_PORTRAIT)
    sign_in(page, demo_clinic.login("front_desk"))
    page.goto(f"/patients/?q={demo_clinic.search_last_name}")
    page.locator("#results tbody tr").first.get_by_role("link").click()
    portal = page.locator("#portal-access")
    # The section has loaded (the consent form's picker shows only once a caregiver is on file).
    expect(portal.get_by_label("Who is invited")).to_be_visible()
    expect(
        portal.get_by_label("Caregiver", exact=True).locator("option", has_text=NAME)
    ).to_have_count(0)

    contacts = page.locator("#contacts")
    contacts.get_by_label("Name").fill(NAME)
    contacts.get_by_label("Relationship").select_option("friend")
    contacts.get_by_label("Email").fill("not-an-email")
    contacts.get_by_role("button", name="Add contact").click()
    expect(contacts.get_by_role("alert").first).to_contain_text("Email:")

    contacts.get_by_label("Email").fill("imani@example.org")
    contacts.get_by_label("Caregiver (may be invited").check()
    contacts.get_by_role("button", name="Add contact").click()
    expect(contacts.get_by_role("status")).to_contain_text(f"{NAME} (Friend) is on file.")

    # Without a page load, the portal section's two forms now offer the new caregiver.
    expect(
        portal.get_by_label("Caregiver", exact=True).locator("option", has_text=NAME)
    ).to_have_count(1)
    expect(portal.get_by_label("Who is invited").locator("option", has_text=NAME)).to_have_count(1)
    screenshot(page, "chart-contacts-768x1024")
    assert horizontal_overflow_px(page) <= 0
