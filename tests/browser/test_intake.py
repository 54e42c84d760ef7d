"""Intake in a real browser on a 768 px tablet: the front desk registers a patient, is warned
before registering her again under another spelling, adds her coverage and its authorization,
and finds her by phone number."""

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.checks import (
    TABLET_PORTRAIT,
    horizontal_overflow_px,
    sign_in,
    unlabelled_controls,
)
from tests.browser.demo_data import DemoClinic

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
PHONE = "(312) 555-2231"


def _new_patient(page: Page, first_name: str) -> None:
    page.goto("/patients/new/")
    page.get_by_label("First name").fill(first_name)
    page.get_by_label("Last name").fill("Garcia")
    page.get_by_label("Birth date").fill("2019-04-07")
    page.get_by_label("Sex").select_option("F")
    page.get_by_label("Phone").fill(PHONE)
    page.get_by_label("Home clinic").select_option(index=1)
    page.get_by_role("button", name="Save patient").click()


def test_the_front_desk_registers_warns_covers_and_finds_a_patient(
    page: Page, demo_clinic: DemoClinic, screenshot: Callable[[Page, str], Path]
) -> None:
    page.set_viewport_size(TABLET_PORTRAIT)
    sign_in(page, demo_clinic.login("front_desk"))

    _new_patient(page, "Sydney")
    saved = page.get_by_role("status").filter(has_text="Patient saved with MRN")
    expect(saved).to_contain_text("Patient saved with MRN RB")
    mrn = saved.inner_text().split("MRN ")[1].strip().rstrip(".")
    chart_url = page.url

    # The same child again, spelled as her mother said it on the phone.
    _new_patient(page, "Sidney")
    warning = page.locator("#possible-duplicates")
    expect(warning).to_contain_text("This patient may already have a chart")
    expect(warning).to_contain_text(f"MRN {mrn}")
    assert unlabelled_controls(page) == []
    screenshot(page, "intake-duplicate-768x1024")
    warning.get_by_role("link", name="Garcia, Sydney").click()
    assert page.url == chart_url

    page.get_by_role("link", name="Add coverage").click()
    page.get_by_label("Payer").select_option(label="Lakeshore Health Plan PPO")
    page.get_by_label("Member id").fill("LHP55512345")
    page.get_by_label("Coverage starts on").fill("2026-12-01")
    page.get_by_role("button", name="Save coverage").click()
    page.get_by_role("link", name="Edit Lakeshore Health Plan PPO coverage").click()

    row = page.get_by_role("group", name="Add an authorization")
    row.get_by_label("Discipline").select_option("OT")
    row.get_by_label("Authorization number").fill("LHP-AUTH-9")
    row.get_by_label("Authorized visits").fill("0")
    row.get_by_label("Authorized from").fill("2026-12-01")
    row.get_by_label("Authorized through").fill("2027-02-28")
    page.get_by_role("button", name="Save coverage").click()
    expect(page.get_by_role("alert").first).to_contain_text("Authorized visits: Enter at least 1")
    page.get_by_role("group", name="Add an authorization").get_by_label("Authorized visits").fill(
        "12"
    )
    assert unlabelled_controls(page) == []
    assert horizontal_overflow_px(page) <= 0
    page.get_by_role("button", name="Save coverage").click()
    expect(page.locator("#coverage")).to_contain_text(
        "OT authorization LHP-AUTH-9: 12 visits, 12/01/2026 to 02/28/2027"
    )

    page.goto("/patients/")
    page.get_by_label("Name, MRN, birth date or phone").fill("312.555.2231")
    results = page.locator("#results")
    expect(results.get_by_role("link", name="Garcia, Sydney")).to_have_count(1)
    expect(results).to_contain_text("1 patient matches")
    screenshot(page, "intake-search-by-phone-768x1024")
    assert horizontal_overflow_px(page) <= 0
