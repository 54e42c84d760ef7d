"""Staff credentials on a portrait tablet: the admin's list, then the OTA records a course."""

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


def test_the_admin_sees_the_expiring_card_and_the_ota_records_a_course(
    page: Page, demo_clinic: DemoClinic, screenshot: Callable[[Page, str], Path]
) -> None:
    page.set_viewport_size(TABLET_PORTRAIT)
    sign_in(page, demo_clinic.login("clinic_admin"))
    go_to(page, "Staff")
    expect(page.get_by_role("heading", name="Staff credentials")).to_be_visible()
    expect(page.get_by_text("CPR/BLS certificate: Expiring in 20 days")).to_be_visible()
    screenshot(page, "staff-list-768x1024")
    assert horizontal_overflow_px(page) <= 0, widest_elements(page)
    assert unlabelled_controls(page) == []
    assert small_touch_targets(page, "main button") == []
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, demo_clinic.login("OTA"))
    go_to(page, "My credentials")
    expect(page.get_by_role("heading", name="My credentials")).to_be_visible()
    assert horizontal_overflow_px(page) <= 0, widest_elements(page)
    assert unlabelled_controls(page) == []
    form = page.get_by_role("form", name="Add a continuing-education activity")
    form.get_by_label("Course or activity").fill("Driving rehabilitation basics")
    form.get_by_label("Provider").fill("AOTA online")
    form.get_by_label("Completed").fill("2026-01-15")
    form.get_by_label("Hours").fill("0")
    form.get_by_role("button", name="Add activity").click()  # htmx: 422, the field says why
    expect(
        page.get_by_text("Hours: Ensure this value is greater than or equal to 0.25.")
    ).to_be_visible()
    form = page.get_by_role("form", name="Add a continuing-education activity")
    form.get_by_label("Hours").fill("2.5")
    form.get_by_role("button", name="Add activity").click()
    expect(page.get_by_role("cell", name="Driving rehabilitation basics")).to_be_visible()
    screenshot(page, "my-credentials-768x1024")
