"""The documentation assistant from end to end, in a real browser (issue 17's walk): the OTA
types four shorthand lines and the carried-forward note fills; the organization's language
model (a local chat-completions server) drafts the narrative, and its draft repeats the
patient's last note, so the review before signing names it as cloned and signing is refused;
the OTA rewrites the narrative and signs, and the signed note says it was drafted with
assistance and reviewed by the OTA.

A small Ohio practice (tests.clinic.care.notes.builders) whose last signed note is two days
before the fixed date of service, so the walk does not depend on today's date.
"""

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.assistant_walk import assistant_on, model_replying
from tests.browser.checks import sign_in
from tests.browser.demo_data import DemoClinic, Login, between_requests
from tests.browser.job_worker import JobWorker
from tests.browser.note_steps import fill_from_shorthand
from tests.chat_server import ChatServer
from tests.clinic import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

LAST_VISIT = (
    "Graded standing tolerance at the counter with verbal cues for posture; instructed in "
    "energy conservation for lower body dressing with the sock aid."
)
FOUR_LINES = [
    "ther act 23 standing tol w/ RW CGA",
    "ADL LB dressing 15 min min A",
    "ther ex 10 BUE theraband",
    "grip 22.5 kg",
]
TODAYS_WORDS = (
    "Tub transfer with the bench practised at CGA, tactile cues for hand placement; "
    "pt reported less fear and completed three transfers with fewer cues."
)


@pytest.fixture
def model() -> Iterator[ChatServer]:
    """The clinic's language model; its draft copies the last visit's narrative."""
    yield from model_replying(LAST_VISIT)


@pytest.fixture
def carried_forward(
    demo_clinic: DemoClinic, model: ChatServer, django_db_blocker: Any
) -> dict[str, Any]:
    """Today's draft, carried forward from a signed note, with the assistant turned on."""
    from django.test import override_settings

    from otclinic.clinic.care.services import notes as svc
    from tests.browser.demo_data import FAST_HASHER
    from tests.clinic.care.notes.builders import DAY, practice, signed

    with between_requests(django_db_blocker), override_settings(PASSWORD_HASHERS=[FAST_HASHER]):
        p = practice()
        signed(p, day=DAY - dt.timedelta(days=2), narrative=LAST_VISIT)
        # This clinic has chosen to make cloned documentation block signing.
        admin = f.UserFactory(organization=p.org, role="clinic_admin")
        svc.note_review_policy_set(
            user=admin, clinic=p.episode.clinic, blocking=["note_review.cloned"]
        )
        assistant_on(p.org, model)
        note = svc.note_start(user=p.ota, episode=p.episode, date_of_service=DAY)
        return {
            "ota": Login(p.ota.username, f.PASSWORD),
            "ota_name": p.ota.get_full_name(),
            "note_url": f"/care/notes/{note.pk}/",
            "patient_name": p.episode.patient.last_name,
        }


def test_shorthand_fills_the_model_drafts_the_review_catches_the_clone_and_the_ota_signs(
    page: Page, carried_forward: dict[str, Any], model: ChatServer, job_worker: JobWorker
) -> None:
    visit = carried_forward
    sign_in(page, visit["ota"])
    page.goto(visit["note_url"])

    # The carried-forward rows take today's minutes and grip from the shorthand: no new rows.
    fill_from_shorthand(page, FOUR_LINES)
    for i, (code, minutes) in enumerate([("97530", "23"), ("97535", "15"), ("97110", "10")]):
        expect(page.locator(f'[name="lines-{i}-code"]')).to_have_value(code)
        expect(page.locator(f'[name="lines-{i}-assistant_minutes"]')).to_have_value(minutes)
    expect(page.locator('[name="goals-0-value"]')).to_have_value("22.5")

    page.get_by_role("button", name="Draft with assistant").click()
    narrative = page.locator("#id_narrative")
    expect(narrative).to_have_value(LAST_VISIT, timeout=30_000)

    page.get_by_role("button", name="Sign note").click()
    refusal = page.get_by_role("alert").first
    expect(refusal).to_contain_text("Not signed.")
    expect(refusal).to_contain_text("the same as this patient's note of 2026-03-10")
    expect(page.locator("#note-review")).to_contain_text("Blocks signing")

    page.locator("#id_narrative").fill(TODAYS_WORDS)
    page.get_by_role("button", name="Sign note").click()
    expect(page.get_by_role("status")).to_contain_text("Signed")
    expect(page.locator("#assistance-attestation")).to_have_text(
        f"Drafted with assistance, reviewed by {visit['ota_name']}"
    )
    assert model.requests and visit["patient_name"] not in model.sent_text()
