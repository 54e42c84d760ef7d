"""Issue 17's count, in a real browser: a follow-up note from shorthand, signed in, in at most
five actions, counted the way the issue's "today 9" was (sign-in included).

On the OTA's own tablet an earlier sign-in ticked "Remember me on this device" (another day's
session, not counted): the username is filled in, the OTA types the password and signs in,
opens today's note from the caseload, types four shorthand lines (the rows fill as they are
typed, no Fill to press), reads the filled rows and signs. The test fails if the path takes
one action more, and checks the rows the clinician signs are the ones the shorthand gave.
"""

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.demo_data import DemoClinic, Login, between_requests
from tests.clinic import factories as f
from tests.clock import TODAY, now

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

TARGET = 5
SHORTHAND = [
    "ther act 23 standing tol w/ RW CGA",
    "ADL 15 LB dressing min A",
    "ther ex 8 BUE AROM",
    "grip 21.5 kg",
]


@pytest.fixture
def follow_up(demo_clinic: DemoClinic, django_db_blocker: Any) -> dict[str, Any]:
    """An OTA whose last note (three interventions, the grip goal) is signed, with today's
    visit on the caseload."""
    from django.test import override_settings

    from tests.browser.demo_data import FAST_HASHER
    from tests.clinic.care.notes import builders

    with between_requests(django_db_blocker), override_settings(PASSWORD_HASHERS=[FAST_HASHER]):
        p = builders.practice(state="OH")
        p.episode.started_on = TODAY - dt.timedelta(days=10)
        p.episode.save()
        last = builders.signed(
            p, day=TODAY - dt.timedelta(days=2), plan_next_visit="Continue ADL retraining"
        )
        starts = now().replace(minute=0)
        f.AppointmentFactory(
            patient=p.episode.patient,
            clinician=p.ota.staff_profile,
            episode=p.episode,
            starts_at=starts,
            ends_at=starts + dt.timedelta(minutes=60),
        )
        return {"ota": Login(p.ota.username, f.PASSWORD), "note": last}


class Actions:
    def __init__(self) -> None:
        self.steps: list[str] = []

    def do(self, what: str, locator: Locator, method: str, *args: str) -> None:
        getattr(locator, method)(*args)
        self.steps.append(what)


def _remember_on_this_tablet(page: Page, ota: Login) -> None:
    page.goto("/login/")
    page.get_by_label("Username").fill(ota.username)
    page.get_by_label("Password").fill(ota.password)
    page.get_by_label("Remember me on this device").check()
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Sign out").click()


def test_a_follow_up_note_from_shorthand_takes_five_actions_with_sign_in(
    page: Page, follow_up: dict[str, Any]
) -> None:
    ota = follow_up["ota"]
    _remember_on_this_tablet(page, ota)
    act = Actions()

    page.goto("/login/")
    expect(page.get_by_label("Username")).to_have_value(ota.username)
    act.do("type password", page.get_by_label("Password"), "fill", ota.password)
    act.do("sign in", page.get_by_role("button", name="Sign in"), "click")
    act.do("open today's note", page.get_by_role("button", name="Note"), "click")
    box = page.get_by_label("Shorthand: one intervention a line")
    act.do("type the shorthand lines", box, "fill", "\n".join(SHORTHAND))
    # The clinician's review: the rows filled in place, read before signing.
    expect(page.get_by_role("status").filter(has_text="added below")).to_be_visible()
    minutes = [page.locator(f'[name="lines-{i}-assistant_minutes"]') for i in range(3)]
    for field, value in zip(minutes, ("23", "15", "8"), strict=True):
        expect(field).to_have_value(value)
    expect(page.locator('[name="goals-0-value"]')).to_have_value("21.5")
    expect(box).to_have_value("\n".join(SHORTHAND))  # the box is left as typed
    act.do("sign", page.get_by_role("button", name="Sign note"), "click")

    expect(page.get_by_role("status")).to_contain_text("Signed and locked.")
    assert len(act.steps) <= TARGET, act.steps
    signed = _signed_lines(follow_up)
    assert signed == [("97110", 8), ("97530", 23), ("97535", 15)]


def _signed_lines(follow_up: dict[str, Any]) -> list[tuple[str, int]]:
    from otclinic.clinic.care.models import TreatmentNote

    today = TreatmentNote.objects.get(
        episode_id=follow_up["note"].episode_id, date_of_service=TODAY
    )
    assert today.status == "signed"
    return sorted(today.lines.values_list("code", "assistant_minutes"))
