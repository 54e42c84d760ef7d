"""The page checks themselves catch what they claim to (on hand-written pages, no server)."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.checks import (
    TABLET_PORTRAIT,
    horizontal_overflow_px,
    small_touch_targets,
    unlabelled_controls,
)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def blank(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=TABLET_PORTRAIT)
    yield context.new_page()
    context.close()


def test_controls_named_by_a_label_or_aria_label_pass(blank: Page) -> None:
    blank.set_content(
        """
        <label for="a">Last name</label><input id="a" name="a">
        <label>Birth date <input name="b" type="date"></label>
        <input name="c" aria-label="Search patients">
        <span id="d-label">Discipline</span><select name="d" aria-labelledby="d-label"></select>
        <input type="hidden" name="csrf"><input type="submit" value="Save">
        """
    )
    assert unlabelled_controls(blank) == []


def test_controls_with_only_a_placeholder_or_an_empty_label_are_reported(blank: Page) -> None:
    blank.set_content(
        """
        <input id="q" name="q" placeholder="Name or MRN">
        <label for="n"> </label><textarea id="n" name="note"></textarea>
        <label for="elsewhere">Payer</label><select name="payer"></select>
        """
    )
    assert unlabelled_controls(blank) == [
        '<input name="q" id="q">',
        '<textarea name="note" id="n">',
        '<select name="payer" id="">',
    ]


def test_a_page_wider_than_the_viewport_is_measured(blank: Page) -> None:
    blank.set_content('<body style="margin:0"><div style="width:900px">wide</div></body>')
    assert horizontal_overflow_px(blank) == 900 - TABLET_PORTRAIT["width"]

    blank.set_content('<body style="margin:0"><div style="max-width:100%">fits</div></body>')
    assert horizontal_overflow_px(blank) == 0


def test_targets_smaller_than_a_fingertip_are_reported(blank: Page) -> None:
    blank.set_content(
        """
        <nav><a href="#" style="display:inline-block;height:44px;width:80px">Today</a>
        <a href="#" style="display:inline-block;height:30px;width:80px">Patients</a>
        <button style="height:50px;width:20px">x</button>
        <a href="#" style="display:none">Hidden</a></nav>
        """
    )
    assert small_touch_targets(blank, "nav a, nav button") == [
        'a "Patients" is 80.0x30.0px',
        'button "x" is 20.0x50.0px',
    ]
