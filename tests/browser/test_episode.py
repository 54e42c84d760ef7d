"""The OTA's daily notes and the OT's co-signature, in a real browser.

A Texas clinic, an OTA holding a temporary Texas license (so every note is co-signed, 22 TAC
ch. 372-373) supervised by an OT, a Medicare patient with an active plan of care. The
evaluation and plan are created through the factories here: the therapist's evaluation and plan
pages are another part of the work, and this walk starts where the OTA's starts.
"""

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.checks import sign_in, unlabelled_controls
from tests.browser.demo_data import DemoClinic, Login, between_requests
from tests.browser.note_steps import (
    note_line,
    open_section,
    sign_for_cosignature,
    train_reacher_and_recommend_grab_bars,
)
from tests.clinic import factories as f
from tests.clock import TODAY

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def texas(demo_clinic: DemoClinic, django_db_blocker: Any) -> dict[str, Any]:
    from django.test import override_settings

    from tests.browser.demo_data import FAST_HASHER
    from tests.clinic.care.notes.builders import practice

    with between_requests(django_db_blocker), override_settings(PASSWORD_HASHERS=[FAST_HASHER]):
        p = practice(state="TX", temporary_license=True)
        p.episode.started_on = TODAY - dt.timedelta(days=10)
        p.episode.save()
        return {
            "ota": Login(p.ota.username, f.PASSWORD),
            "ot": Login(p.ot.username, f.PASSWORD),
            "patient_id": str(p.episode.patient_id),
            "last_name": p.episode.patient.last_name,
            "grip": str(p.grip.pk),
            "barthel": str(p.barthel.pk),
        }


def _start(page: Page, t: dict[str, Any], day: dt.date) -> None:
    page.goto(f"/patients/{t['patient_id']}/")
    page.get_by_label("Date of service").fill(day.isoformat())
    page.get_by_role("button", name="Start note").click()
    expect(page).to_have_url(re.compile(r"/care/notes/[0-9a-f-]{36}/$"))


def test_the_ota_documents_three_visits_and_the_ot_co_signs(
    page: Page, texas: dict[str, Any], screenshot: Callable[[Page, str], Path]
) -> None:
    today = TODAY
    sign_in(page, texas["ota"])

    # Visit 1: therapeutic activity and caregiver training with the patient present.
    _start(page, texas, today - dt.timedelta(days=4))
    note_line(page, 0, "97530", "therapeutic_activity", 30)
    page.locator('[name="goals-0-goal"]').select_option(texas["grip"])
    page.locator('[name="goals-0-value"]').fill("20")
    open_section(page, "Caregiver training")
    page.locator('[name="caregiver-0-caregiver_name"]').fill("daughter")
    page.locator('[name="caregiver-0-topic"]').fill("safe tub transfers")
    page.locator('[name="caregiver-0-return_demonstration"]').check()
    page.locator('[name="caregiver-0-consent_documented"]').check()
    preview = page.locator("#billing-preview")
    expect(preview).to_contain_text("GO CO")
    expect(preview).to_contain_text("Timed: 30 min (2 units)")
    assert unlabelled_controls(page) == []
    screenshot(page, "note-visit-1")
    sign_for_cosignature(page)

    # Visit 2: carried forward; adaptive equipment and a home modification.
    _start(page, texas, today - dt.timedelta(days=2))
    expect(page.locator('[name="lines-0-code"]')).to_have_value("97530")
    page.locator('[name="lines-0-assistant_minutes"]').fill("25")
    note_line(page, 1, "97535", "self_care_adl", 15)
    page.locator('[name="goals-0-value"]').fill("22")
    train_reacher_and_recommend_grab_bars(page)
    expect(preview).to_contain_text("Timed: 40 min (3 units)")
    page.get_by_role("button", name="Draft narrative from the entries").click()
    expect(page.locator("#id_narrative")).to_have_value(re.compile("Trained in use of reacher"))
    screenshot(page, "note-visit-2")
    sign_for_cosignature(page)
    expect(page.get_by_text("Recommended grab bars in the bathroom")).to_be_visible()

    # Visit 3: carried forward again, minutes and the measure only.
    _start(page, texas, today)
    page.locator('[name="lines-0-assistant_minutes"]').fill("23")
    page.locator('[name="lines-1-assistant_minutes"]').fill("15")
    page.locator('[name="goals-0-value"]').fill("23.5")
    sign_for_cosignature(page)
    screenshot(page, "note-signed")

    # The supervising OT co-signs all three from the queue.
    page.context.clear_cookies()
    sign_in(page, texas["ot"])
    page.goto("/care/cosign/")
    rows = page.locator("tbody tr").filter(has_text=texas["last_name"])
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("temporary license")
    screenshot(page, "cosign-queue")
    for _ in range(3):
        page.locator("tbody tr").filter(has_text=texas["last_name"]).first.get_by_role(
            "link", name="Review"
        ).click()
        page.get_by_role("button", name="Co-sign note").click()
        expect(page.get_by_role("status")).to_contain_text("Co-signed.")
    expect(page.locator("tbody tr").filter(has_text=texas["last_name"])).to_have_count(0)
    page.goto(f"/patients/{texas['patient_id']}/")
    expect(page.get_by_role("cell", name="Co-signed", exact=True)).to_have_count(3)
