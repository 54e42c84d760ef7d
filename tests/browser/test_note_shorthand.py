"""The OTA writes today's note in shorthand, in a real browser: four lines, "Fill", and the
note's interventions, goal measure, equipment and caregiver session are filled; the words it
could not read are highlighted and left in the box; the draft saves as always."""

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.checks import sign_in
from tests.browser.demo_data import DemoClinic, Login, between_requests
from tests.browser.note_steps import fill_from_shorthand, open_section
from tests.clinic import factories as f
from tests.clock import TODAY

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

FOUR_LINES = [
    "ther act 15 standing tol w/ RW CGA 3x2min",
    "ADL LB dressing 10 min min A",
    "cg trng dtr tub transfer w/ bench 12 return demo",
    "97110 ot 8 ota 7 pt c/o dizziness",
]


@pytest.fixture
def fresh_note(demo_clinic: DemoClinic, django_db_blocker: Any) -> dict[str, Any]:
    """An OTA's first note of an episode whose plan has a FIM goal for lower-body dressing."""
    from django.test import override_settings

    from otclinic.clinic.care.services import notes as svc
    from tests.browser.demo_data import FAST_HASHER
    from tests.clinic.care.notes.builders import dressing_goal_on_the_fim_scale, practice

    with between_requests(django_db_blocker), override_settings(PASSWORD_HASHERS=[FAST_HASHER]):
        p = practice(state="OH")
        p.episode.started_on = TODAY - dt.timedelta(days=10)
        p.episode.save()
        goal = dressing_goal_on_the_fim_scale(p)
        note = svc.note_start(user=p.ota, episode=p.episode, date_of_service=TODAY)
        return {
            "ota": Login(p.ota.username, f.PASSWORD),
            "note_url": f"/care/notes/{note.pk}/",
            "goal": str(goal.pk),
        }


def test_four_shorthand_lines_fill_the_note_and_the_draft_saves(
    page: Page, fresh_note: dict[str, Any]
) -> None:
    sign_in(page, fresh_note["ota"])
    page.goto(fresh_note["note_url"])

    fill_from_shorthand(page, FOUR_LINES)

    codes = [page.locator(f'[name="lines-{i}-code"]').input_value() for i in range(4)]
    assert codes == ["97530", "97535", "97535", "97110"]  # caregiver training: the plan's 97535
    expect(page.locator('[name="lines-0-assistant_minutes"]')).to_have_value("15")
    expect(page.locator('[name="lines-3-therapist_minutes"]')).to_have_value("8")
    expect(page.locator('[name="lines-3-assistant_minutes"]')).to_have_value("7")
    expect(page.locator('[name="goals-0-goal"]')).to_have_value(fresh_note["goal"])
    expect(page.locator('[name="goals-0-value"]')).to_have_value("4")

    open_section(page, "Adaptive equipment and technology trained")
    expect(page.locator('[name="equipment-0-equipment"]')).to_have_value("walker")
    expect(page.locator('[name="equipment-0-independence"]')).to_have_value("contact_guard")
    open_section(page, "Caregiver training")
    expect(page.locator('[name="caregiver-0-caregiver_name"]')).to_have_value("Daughter")
    expect(page.locator('[name="caregiver-0-return_demonstration"]')).to_be_checked()
    unread = page.locator("#shorthand-unread mark")
    expect(unread).to_have_text("c/o dizziness")
    expect(unread).to_be_visible()
    # The box is left as typed: the rows follow it (docs/shorthand.md).
    expect(page.get_by_label("Shorthand: one intervention a line")).to_have_value(
        "\n".join(FOUR_LINES)
    )

    page.get_by_role("button", name="Save draft").click()

    expect(page.get_by_text("Draft saved.")).to_be_visible()
    expect(page.locator('[name="lines-3-code"]')).to_have_value("97110")
    expect(page.locator('[name="goals-0-value"]')).to_have_value("4.00")  # as saved
