"""Hiring on a portrait tablet: the admin moves an applicant on the board and hires another."""

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.checks import (
    TABLET_PORTRAIT,
    horizontal_overflow_px,
    sign_in,
    small_touch_targets,
    unlabelled_controls,
    widest_elements,
)
from tests.browser.demo_data import DemoClinic

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_an_admin_moves_an_applicant_and_hires_another_on_a_portrait_tablet(
    page: Page, demo_clinic: DemoClinic, screenshot: Callable[[Page, str], Path]
) -> None:
    page.set_viewport_size(TABLET_PORTRAIT)
    sign_in(page, demo_clinic.login("clinic_admin"))
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Hiring").click()
    page.get_by_role("link", name="Occupational therapy assistant (COTA/L), full time").click()

    board = page.locator("#board")
    expect(board.get_by_role("heading", name="Interviewed")).to_be_visible()
    screenshot(page, "board-768x1024")
    assert horizontal_overflow_px(page) <= 0, widest_elements(page)
    assert unlabelled_controls(page) == []
    assert small_touch_targets(page, ".applicant-card button, .applicant-card a") == []

    # htmx swaps the board in place: Casey moves from Screened to Interviewed.
    board.get_by_role("button", name="Move Casey to interviewed").click()
    interviewed = page.locator("section.stage", has=page.locator("#stage-interviewed"))
    expect(interviewed.get_by_role("link", name="Casey Marlowe")).to_be_visible()

    page.get_by_role("link", name="Hire…").click()
    expect(page.get_by_role("heading", name="Riley Dunmore")).to_be_visible()
    assert horizontal_overflow_px(page) <= 0, widest_elements(page)
    assert unlabelled_controls(page) == []
    page.get_by_label("Username").fill("riley.dunmore")
    page.get_by_role("button", name="Hire Riley").click()

    expect(page.get_by_role("status")).to_contain_text("Hired: riley.dunmore is on staff")
    expect(page.get_by_text("No further moves: the applicant is hired.")).to_be_visible()
    screenshot(page, "hired-768x1024")
