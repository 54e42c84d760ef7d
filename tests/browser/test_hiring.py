"""Hiring on a portrait tablet: the admin moves an applicant on the board and hires another,
and the new member of staff sets a password from the invitation the worker emails."""

import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import Browser, Page, expect

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
from tests.browser.job_worker import JobWorker

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
NEW_PASSWORD = re.compile(r"^New password\W*$")  # not "New password confirmation"


def _invitation_path(to: str) -> str:
    """The link of the invitation the worker emailed to `to` (waiting for it a while)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        sent = [m for m in mail.outbox if m.to == [to]]
        if sent:
            found = re.search(r"https?://[^/\s]+(/welcome/\S+)", sent[-1].body)
            assert found, sent[-1].body
            return found.group(1)
        time.sleep(0.1)
    raise AssertionError(f"no invitation emailed to {to}")


def test_an_admin_moves_an_applicant_and_hires_another_on_a_portrait_tablet(
    page: Page,
    demo_clinic: DemoClinic,
    job_worker: JobWorker,
    browser: Browser,
    screenshot: Callable[[Page, str], Path],
) -> None:
    page.set_viewport_size(TABLET_PORTRAIT)
    sign_in(page, demo_clinic.login("clinic_admin"))
    go_to(page, "Hiring")
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

    # The new member of staff opens the emailed link on their own device and sets a password.
    person = browser.new_context(viewport=TABLET_PORTRAIT, base_url=demo_clinic.url).new_page()
    person.goto(_invitation_path("riley.dunmore@example.org"))
    expect(person).to_have_url(re.compile(r"/welcome/$"))
    expect(person.get_by_text("riley.dunmore")).to_be_visible()
    person.get_by_label(NEW_PASSWORD).fill("password")
    person.get_by_label("New password confirmation").fill("password")
    person.get_by_role("button", name="Save password and sign in").click()
    expect(person.get_by_role("alert").first).to_contain_text("too common")
    person.get_by_label(NEW_PASSWORD).fill("Quiet-Harbor-Lantern-58")
    person.get_by_label("New password confirmation").fill("Quiet-Harbor-Lantern-58")
    person.get_by_role("button", name="Save password and sign in").click()
    expect(person.get_by_role("button", name="Sign out")).to_be_visible()
    screenshot(person, "invitation-accepted-768x1024")
    person.context.close()
