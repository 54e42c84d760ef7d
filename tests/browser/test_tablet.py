"""The web shell on a tablet: labelled controls, no sideways scrolling, finger-sized targets."""

import re
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


def _open_sign_in(page: Page, clinic: DemoClinic) -> None:
    page.goto("/login/")


def _open_home(page: Page, clinic: DemoClinic) -> None:
    sign_in(page, clinic.login("OTA"))


def _open_search(page: Page, clinic: DemoClinic) -> None:
    sign_in(page, clinic.login("OTA"))
    page.goto(f"/patients/?q={clinic.search_last_name}")
    expect(page.locator("#results tbody tr").first).to_be_visible()


def _open_chart(page: Page, clinic: DemoClinic) -> None:
    # The front desk sees the chart with its editing forms (the OTA's chart has none).
    sign_in(page, clinic.login("front_desk"))
    page.goto(f"/patients/?q={clinic.search_last_name}")
    page.locator("#results tbody tr").first.get_by_role("link").click()
    expect(page.get_by_role("heading", name="Demographics")).to_be_visible()


def _open_new_patient(page: Page, clinic: DemoClinic) -> None:
    sign_in(page, clinic.login("front_desk"))
    page.goto("/patients/new/")
    expect(page.get_by_role("heading", name="New patient")).to_be_visible()


def _open_new_coverage(page: Page, clinic: DemoClinic) -> None:
    _open_chart(page, clinic)
    page.get_by_role("link", name="Add coverage").click()
    expect(page.locator("form select, form input:not([type=hidden])").first).to_be_visible()


def _open_physicians(page: Page, clinic: DemoClinic) -> None:
    sign_in(page, clinic.login("front_desk"))
    go_to(page, "Physicians")
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def _open_new_physician(page: Page, clinic: DemoClinic) -> None:
    _open_physicians(page, clinic)
    page.get_by_role("link", name="Add referring physician").click()
    expect(page.locator("form input:not([type=hidden])").first).to_be_visible()


FORM_PAGES: dict[str, Callable[[Page, DemoClinic], None]] = {
    "sign-in": _open_sign_in,
    "home": _open_home,
    "search": _open_search,
    "chart": _open_chart,
    "new-patient": _open_new_patient,
    "new-coverage": _open_new_coverage,
    "new-physician": _open_new_physician,
}
PAGES = {**FORM_PAGES, "physicians": _open_physicians}


@pytest.mark.parametrize("name", FORM_PAGES)
def test_every_form_control_has_a_label(page: Page, demo_clinic: DemoClinic, name: str) -> None:
    FORM_PAGES[name](page, demo_clinic)

    expect(page.locator("input:not([type=hidden]), select, textarea").first).to_be_attached()
    assert unlabelled_controls(page) == []


@pytest.mark.parametrize("name", PAGES)
def test_a_portrait_tablet_never_scrolls_sideways(
    page: Page, demo_clinic: DemoClinic, screenshot: Callable[[Page, str], Path], name: str
) -> None:
    page.set_viewport_size(TABLET_PORTRAIT)
    PAGES[name](page, demo_clinic)

    screenshot(page, f"{name}-768x1024")
    overflow = horizontal_overflow_px(page)
    assert overflow <= 0, f"{name} scrolls {overflow}px sideways: {widest_elements(page)}"


@pytest.mark.parametrize("role", ["OTA", "front_desk"])
@pytest.mark.parametrize("viewport", [TABLET_PORTRAIT, {"width": 1024, "height": 768}])
def test_navigation_targets_are_big_enough_for_a_finger(
    page: Page, demo_clinic: DemoClinic, role: str, viewport: dict[str, int]
) -> None:
    page.set_viewport_size(viewport)  # type: ignore[arg-type]
    sign_in(page, demo_clinic.login(role))

    targets = page.locator("nav.main a, nav.main button")
    expect(targets.first).to_be_visible()
    assert targets.count() >= 3
    assert small_touch_targets(page, "nav.main a, nav.main button, header.top a.brand") == []


ALL_STAFF_ROLES = ["OT", "OTA", "PT", "SLP", "student", "biller", "front_desk", "clinic_admin"]


@pytest.mark.parametrize("role", [*ALL_STAFF_ROLES, "caregiver"])
def test_the_navigation_fits_one_row_on_a_portrait_tablet(
    page: Page, demo_clinic: DemoClinic, role: str
) -> None:
    page.set_viewport_size(TABLET_PORTRAIT)
    sign_in(page, demo_clinic.login(role))

    tops = page.evaluate(
        """() => Array.from(document.querySelectorAll('nav.main > ul > li'))
            .map(el => Math.round(el.getBoundingClientRect().top))"""
    )
    header = page.locator("header.top").bounding_box()
    assert header is not None
    assert len(set(tops)) == 1, f"the navigation wraps onto {len(set(tops))} rows for {role}"
    # One row of 44 px targets and the header's padding: the brand sits beside the navigation.
    assert header["height"] <= 72, f"the header is {header['height']} px tall for {role}"
    assert horizontal_overflow_px(page) <= 0, widest_elements(page)


def test_a_menu_opens_closes_with_escape_and_holds_the_rest_of_the_pages(
    page: Page, demo_clinic: DemoClinic
) -> None:
    page.set_viewport_size(TABLET_PORTRAIT)
    sign_in(page, demo_clinic.login("clinic_admin"))
    nav = page.get_by_role("navigation", name="Main")
    staff = nav.get_by_role("link", name="Staff", exact=True)
    expect(staff).to_be_hidden()

    more = nav.locator("summary", has_text="More")
    more.focus()
    page.keyboard.press("Enter")
    expect(staff).to_be_visible()
    page.keyboard.press("Escape")
    expect(staff).to_be_hidden()
    expect(more).to_be_focused()

    go_to(page, "Staff")
    expect(page).to_have_url(re.compile(r"/staff/$"))
