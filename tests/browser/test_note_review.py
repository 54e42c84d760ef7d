"""The review before signing, in a real browser: the OTA pastes the patient's last narrative
into today's note, the review names it as cloned and signing is refused; the OTA writes what
happened today and the note signs.

A small Ohio practice (tests.clinic.care.notes.builders) with one signed note two days before
the fixed date of service, so the walk does not depend on today's date.
"""

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.checks import sign_in
from tests.browser.demo_data import DemoClinic, Login, between_requests
from tests.browser.note_steps import note_line
from tests.clinic import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

LAST_VISIT = (
    "Graded standing tolerance at the counter with verbal cues for posture; instructed in "
    "energy conservation for lower body dressing with the sock aid."
)


@pytest.fixture
def practice_with_a_signed_note(demo_clinic: DemoClinic, django_db_blocker: Any) -> dict[str, Any]:
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
        return {
            "ota": Login(p.ota.username, f.PASSWORD),
            "patient_id": str(p.episode.patient_id),
            "day": DAY.isoformat(),
        }


def test_the_review_flags_a_cloned_narrative_and_the_edited_note_signs(
    page: Page, practice_with_a_signed_note: dict[str, Any]
) -> None:
    visit = practice_with_a_signed_note
    sign_in(page, visit["ota"])
    page.goto(f"/patients/{visit['patient_id']}/")
    page.get_by_label("Date of service").fill(visit["day"])
    page.get_by_role("button", name="Start note").click()

    for i, (code, category, minutes) in enumerate(
        [
            ("97530", "therapeutic_activity", 23),
            ("97535", "self_care_adl", 15),
            ("97110", "therapeutic_exercise", 10),
        ]
    ):
        note_line(page, i, code, category, minutes)
    page.locator('[name="goals-0-value"]').fill("23")
    page.locator("#id_narrative").fill(LAST_VISIT)
    page.get_by_role("button", name="Sign note").click()

    refusal = page.get_by_role("alert").first
    expect(refusal).to_contain_text("Not signed.")
    expect(refusal).to_contain_text("the same as this patient's note of 2026-03-10")
    review = page.locator("#note-review")
    expect(review).to_contain_text("Blocks signing")
    review.get_by_text("Why?").first.click()
    expect(review).to_contain_text("OEI-01-11-00571")

    page.locator("#id_narrative").fill(
        "Tub transfer with the bench practised at CGA, tactile cues for hand placement; "
        "pt reported less fear and completed three transfers with fewer cues."
    )
    page.get_by_role("button", name="Sign note").click()
    expect(page.get_by_role("status")).to_contain_text("Signed")
