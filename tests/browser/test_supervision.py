"""OTA supervision on a portrait tablet: the OT sees the overdue OTA and logs a contact."""

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.checks import (
    TABLET_PORTRAIT,
    go_to,
    horizontal_overflow_px,
    sign_in,
    small_touch_targets,
    unlabelled_controls,
    widest_elements,
)
from tests.browser.demo_data import DemoClinic

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_the_ot_sees_an_overdue_ota_and_logs_a_contact(
    page: Page, demo_clinic: DemoClinic, screenshot: Callable[[Page, str], Path]
) -> None:
    page.set_viewport_size(TABLET_PORTRAIT)
    sign_in(page, demo_clinic.login("OT"))
    go_to(page, "Supervision")
    expect(page.get_by_role("heading", name="OTAs I supervise")).to_be_visible()
    expect(page.locator(".badge.err", has_text="Overdue")).to_have_count(1)
    # The rule's citation sits behind its "Why?" disclosure.
    expect(page.locator("details.why", has_text="OAC 4755-7-04").first).to_be_attached()
    screenshot(page, "dashboard-768x1024")
    assert horizontal_overflow_px(page) <= 0, widest_elements(page)
    assert small_touch_targets(page, "main .button") == []

    page.get_by_role("link", name="Log a contact").first.click()
    form = page.get_by_role("form", name="Log a supervision contact")
    assert unlabelled_controls(page) == []
    form.get_by_label("Method").select_option("phone")
    form.get_by_label("Minutes").fill("20")
    form.get_by_label("On-site, face to face").check()
    form.get_by_label("Content").fill("Reviewed this week's notes and the home programs")
    form.get_by_role("button", name="Log contact").click()  # htmx: 422, the field says why
    expect(page.get_by_text("On-site, face to face: Only an in-person contact")).to_be_visible()
    form = page.get_by_role("form", name="Log a supervision contact")
    form.get_by_label("On-site, face to face").uncheck()
    form.get_by_role("button", name="Log contact").click()
    expect(page.get_by_text("Supervision contact logged.")).to_be_visible()
    assert horizontal_overflow_px(page) <= 0, widest_elements(page)
    screenshot(page, "ota-768x1024")

    page.get_by_role("link", name="Supervision dashboard").click()
    expect(page.locator(".badge.err", has_text="Overdue")).to_have_count(0)
