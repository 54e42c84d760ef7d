"""The daily note on a tablet, in a real browser: autosave that survives a reload, the conflict
when another page saved first, minute steppers by touch and keyboard, and a page short enough
for a portrait tablet with the billing preview always in view.

An Ohio practice: the OTA's last note (three interventions, one goal) is signed, so today's
note starts carried forward, as most of an OTA's notes do.
"""

import datetime as dt
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.checks import TABLET_PORTRAIT, sign_in, small_touch_targets
from tests.browser.demo_data import DemoClinic, Login, between_requests
from tests.clinic import factories as f
from tests.clock import TODAY

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def carried(demo_clinic: DemoClinic, django_db_blocker: Any) -> dict[str, Any]:
    """An OTA whose note of today starts from a signed note of two days ago (three
    interventions, one goal)."""
    from django.test import override_settings

    from otclinic.clinic.care.services import notes as svc
    from tests.browser.demo_data import FAST_HASHER
    from tests.clinic.care.notes import builders
    from tests.clinic.care.notes.builders import practice

    with between_requests(django_db_blocker), override_settings(PASSWORD_HASHERS=[FAST_HASHER]):
        p = practice(state="OH")
        p.episode.started_on = TODAY - dt.timedelta(days=10)
        p.episode.save()
        last = svc.note_start(
            user=p.ota, episode=p.episode, date_of_service=TODAY - dt.timedelta(days=2)
        )
        content = builders.content(p, plan_next_visit="Continue ADL retraining")
        last = svc.note_save(user=p.ota, note=last, revision=last.revision, content=content)
        svc.note_sign(user=p.ota, note=last, revision=last.revision)
        note = svc.note_start(user=p.ota, episode=p.episode, date_of_service=TODAY)
        return {"ota": Login(p.ota.username, f.PASSWORD), "note_url": f"/care/notes/{note.pk}/"}


def _open(page: Page, carried: dict[str, Any]) -> None:
    sign_in(page, carried["ota"])
    page.goto(carried["note_url"])
    expect(page.locator("#billing-preview")).to_be_visible()


def _saved(page: Page) -> None:
    expect(page.locator("#autosave-status")).to_contain_text(re.compile(r"Saved \d\d:\d\d"))


def test_typed_text_is_autosaved_and_survives_a_reload(page: Page, carried: dict[str, Any]) -> None:
    _open(page, carried)
    page.get_by_label("Subjective: what the patient or caregiver reports").fill(
        "Reports dressing took less time this morning."
    )
    page.locator('[name="lines-0-assistant_minutes"]').fill("25")
    _saved(page)

    page.reload()

    subjective = page.get_by_label("Subjective: what the patient or caregiver reports")
    expect(subjective).to_have_value("Reports dressing took less time this morning.")
    expect(page.locator('[name="lines-0-assistant_minutes"]')).to_have_value("25")


def test_leaving_the_page_saves_what_was_typed_last(page: Page, carried: dict[str, Any]) -> None:
    _open(page, carried)
    page.get_by_label("Plan for next visit").fill("Trial a long-handled sponge.")
    page.get_by_role("link", name="Message about this").click()  # before the typing pause ends
    expect(page).not_to_have_url(re.compile(re.escape(carried["note_url"]) + "$"))

    page.goto(carried["note_url"])

    expect(page.get_by_label("Plan for next visit")).to_have_value("Trial a long-handled sponge.")


def test_a_page_that_saved_first_is_not_overwritten_and_the_choice_is_offered(
    page: Page, carried: dict[str, Any]
) -> None:
    assessment = "Assessment: progress toward goals, need for skilled care"
    subjective = "Subjective: what the patient or caregiver reports"
    _open(page, carried)
    other = page.context.new_page()  # the same OTA's second tab (or another device)
    other.goto(carried["note_url"])
    other.get_by_label(assessment).fill("Sequencing improved; still needs cues for safety.")
    _saved(other)

    page.get_by_label(subjective).fill("No new complaints.")

    conflict = page.locator("#autosave-status [role=alert]")
    expect(conflict).to_contain_text("this draft was saved on another page or device")
    expect(conflict).to_contain_text("differs from yours in: Subjective, Assessment")
    page.get_by_role("button", name="Keep mine (replace the saved draft)").click()
    _saved(page)
    other.reload()
    expect(other.get_by_label(subjective)).to_have_value("No new complaints.")
    expect(other.get_by_label(assessment)).to_have_value("")

    # Now the other page saves first again, and this one loads theirs.
    other.get_by_label("Plan for next visit").fill("Grade the standing task.")
    _saved(other)
    page.get_by_label("Plan for next visit").fill("Something else.")
    expect(conflict).to_contain_text("differs from yours in: Plan")
    page.get_by_role("link", name="Load theirs (drop my changes)").click()
    expect(page.get_by_label("Plan for next visit")).to_have_value("Grade the standing task.")


@pytest.fixture
def touch_page(browser: Browser, demo_clinic: DemoClinic) -> Iterator[Page]:
    """A portrait tablet with a touch screen."""
    context = browser.new_context(
        viewport=TABLET_PORTRAIT, has_touch=True, is_mobile=True, base_url=demo_clinic.url
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_minute_steppers_work_by_touch_and_by_keyboard(
    touch_page: Page, carried: dict[str, Any]
) -> None:
    page = touch_page
    _open(page, carried)
    minutes = page.locator('[name="lines-0-assistant_minutes"]')
    more = page.get_by_role("button", name="OTA alone (min): one minute more").first
    less = page.get_by_role("button", name="OTA alone (min): one minute less").first
    assert small_touch_targets(page, "button.step") == []

    for _ in range(3):
        more.tap()
    less.tap()
    expect(minutes).to_have_value("2")

    minutes.focus()
    page.keyboard.press("ArrowUp")
    expect(minutes).to_have_value("3")
    more.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Space")
    expect(minutes).to_have_value("5")
    expect(page.locator("#billing-preview")).to_contain_text("Timed: 5 min")
    less.focus()
    for _ in range(7):
        page.keyboard.press("Enter")
    expect(minutes).to_have_value("0")  # never below zero


def page_height(page: Page) -> int:
    return int(page.evaluate("() => document.documentElement.scrollHeight"))


def test_the_note_fits_a_portrait_tablet_with_the_billing_preview_in_view(
    page: Page, carried: dict[str, Any], screenshot: Callable[[Page, str], Path]
) -> None:
    page.set_viewport_size(TABLET_PORTRAIT)
    _open(page, carried)
    screenshot(page, "note-768x1024")
    height = page_height(page)
    print(f"note page height at 768x1024: {height}px")
    # Measured by this test: 4,674 px before this layout (every section open, minutes as lists),
    # 2,846 px after it.
    assert height <= 3000, height

    preview = page.locator("#billing-preview")
    for y in (0, height // 2, height):
        page.evaluate("(y) => window.scrollTo(0, y)", y)
        box = preview.bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + 40 <= TABLET_PORTRAIT["height"], (
            y,
            box,
        )
    expect(preview).to_contain_text("Timed:")


def test_the_billing_preview_stays_at_the_side_in_landscape(
    page: Page, carried: dict[str, Any]
) -> None:
    _open(page, carried)
    preview = page.locator("#billing-preview")
    page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")
    box = preview.bounding_box()
    assert box is not None and 0 <= box["y"] < 768, box
    form = page.locator("#note-form").bounding_box()
    assert form is not None and box["x"] > form["x"] + form["width"] - 1
