"""With the keyboard alone: the OTA finishes a carried-forward note, and the front desk books a
visit from a free slot of the grid. Every stop the Tab key makes on the way is visibly focused
(an outline or a shadow that the unfocused element does not have).

No click, no `fill` and no `check`: only Tab, Shift+Tab, typing, arrow keys, Space and Enter,
as a person without a mouse or a touch screen works.
"""

import datetime as dt
import re
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.checks import TABLET_PORTRAIT, sign_in
from tests.browser.demo_data import DemoClinic
from tests.browser.test_note_tablet import carried  # noqa: F401  (the fixture)
from tests.browser.test_schedule import _patients
from tests.clock import TODAY

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

# The most Tab presses from one control to the next that a walk allows before it calls the page
# unreachable by keyboard.
MOST_TABS = 120

_FOCUS_SHOWN_JS = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return false;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow && style.boxShadow !== 'none';
  return outline || shadow;
}
"""


def tab_to(page: Page, target: Locator) -> None:
    """Press Tab until `target` has the focus; every element the focus stops on must show it.
    (The target is marked in the page only so that the walk knows when it got there.)"""
    target.first.evaluate("el => el.setAttribute('data-walk-target', '')")
    try:
        for _ in range(MOST_TABS):
            page.keyboard.press("Tab")
            tag = page.evaluate("() => document.activeElement.outerHTML.slice(0, 120)")
            if tag.startswith("<body"):
                continue  # past the last control: the next Tab starts from the top again
            assert page.evaluate(_FOCUS_SHOWN_JS), f"the focus on {tag} is not visible"
            if page.evaluate("() => document.activeElement.hasAttribute('data-walk-target')"):
                return
        html = target.first.evaluate("el => el.outerHTML.slice(0, 160)")
        raise AssertionError(f"{MOST_TABS} presses of Tab never reached {html}")
    finally:
        page.evaluate(
            "() => document.querySelectorAll('[data-walk-target]')"
            ".forEach(el => el.removeAttribute('data-walk-target'))"
        )


def type_over(page: Page, text: str) -> None:
    """Replace the focused field's value by typing, as a person selects it all and types."""
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(text)


def test_the_ota_finishes_a_carried_forward_note_with_the_keyboard_alone(
    page: Page, request: pytest.FixtureRequest
) -> None:
    note = request.getfixturevalue("carried")  # tests/browser/test_note_tablet.py
    page.set_viewport_size(TABLET_PORTRAIT)
    sign_in(page, note["ota"])
    page.goto(note["note_url"])
    expect(page.locator("#billing-preview")).to_be_visible()

    tab_to(page, page.locator('[name="subjective"]'))
    page.keyboard.type("Reports dressing took less time this morning.")
    for i, minutes in enumerate(("23", "15", "8")):
        tab_to(page, page.locator(f'[name="lines-{i}-assistant_minutes"]'))
        type_over(page, minutes)
    tab_to(page, page.locator('[name="goals-0-value"]'))
    type_over(page, "21.5")
    tab_to(page, page.get_by_role("button", name="Sign note"))
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text(
        re.compile("Signed and locked|Sent for co-signature")
    )
    expect(page.get_by_text("Reports dressing took less time this morning.")).to_be_visible()


def test_the_front_desk_books_from_a_free_slot_with_the_keyboard_alone(
    page: Page, demo_clinic: DemoClinic, django_db_blocker: Any
) -> None:
    ids = _patients(demo_clinic, django_db_blocker)
    tomorrow = TODAY + dt.timedelta(days=1)
    page.set_viewport_size(TABLET_PORTRAIT)
    sign_in(page, demo_clinic.login("front_desk"))
    page.goto(f"/schedule/?day={tomorrow.isoformat()}&clinician={ids['clinician']}")

    tab_to(page, page.locator("a.slot"))
    slot_name = page.evaluate("() => document.activeElement.getAttribute('aria-label')")
    time = re.fullmatch(r"Book (\d\d:\d\d) with .+", slot_name or "")
    assert time, slot_name
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Book an appointment")).to_be_visible()

    tab_to(page, page.get_by_label("Find the patient"))
    page.keyboard.type("Seriesf")
    choice = page.get_by_role("radio", name=re.compile(r"^Seriesfield, "))
    expect(choice).to_have_count(1)
    tab_to(page, choice)
    page.keyboard.press("Space")
    expect(choice).to_be_checked()
    # The patient's open episodes arrive by htmx (the list is replaced); then the arrow keys.
    expect(page.locator("select[name=episode] option")).to_have_count(2)
    tab_to(page, page.locator("select[name=episode]"))
    page.keyboard.press("ArrowDown")
    expect(page.locator("select[name=episode]")).to_have_value(ids["episode"])
    tab_to(page, page.get_by_role("button", name="Book", exact=True))
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text("Appointment booked")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Seriesfield")
