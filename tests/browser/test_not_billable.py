"""A visit that earns no unit, in a real browser: the OTA documents a visit where the patient
refused after 7 minutes, signs it as not billable with the reason, and the biller's charge run
creates no charge and reports no problem.

An Ohio practice with a Medicare Part B patient and a fee schedule (the revenue builders). The
date of service is a fixed past day, so the walk does not depend on today's date.
"""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.checks import (
    TABLET_PORTRAIT,
    horizontal_overflow_px,
    sign_in,
    unlabelled_controls,
)
from tests.browser.demo_data import DemoClinic, Login, between_requests
from tests.browser.job_worker import JobWorker, job_done
from tests.browser.note_steps import note_line
from tests.clinic import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def ohio(demo_clinic: DemoClinic, django_db_blocker: Any) -> dict[str, Any]:
    from django.test import override_settings

    from tests.browser.demo_data import FAST_HASHER
    from tests.clinic.revenue.claims.builders import DAY, billing_practice

    with between_requests(django_db_blocker), override_settings(PASSWORD_HASHERS=[FAST_HASHER]):
        b = billing_practice()
        return {
            "ota": Login(b.ota.user.username, f.PASSWORD),
            "biller": Login(b.biller.username, f.PASSWORD),
            "patient_id": str(b.patient.pk),
            "day": DAY.isoformat(),
        }


def test_the_ota_signs_a_refused_visit_as_not_billable_and_the_biller_sees_no_problem(
    page: Page,
    ohio: dict[str, Any],
    screenshot: Callable[[Page, str], Path],
    job_worker: JobWorker,
) -> None:
    sign_in(page, ohio["ota"])
    page.goto(f"/patients/{ohio['patient_id']}/")
    page.get_by_label("Date of service").fill(ohio["day"])
    page.get_by_role("button", name="Start note").click()

    note_line(page, 0, "97530", "therapeutic_activity", 7)
    preview = page.locator("#billing-preview")
    expect(preview).to_contain_text("Timed: 7 min (0 units)")
    expect(preview).to_contain_text("No billable unit")

    page.get_by_role("button", name="Sign note").click()
    expect(page.get_by_role("alert").first).to_contain_text("Not signed.")
    page.get_by_label("Why is this visit not billed?").select_option("patient_refused")
    page.get_by_label("Details (required for Other)").fill("Refused after 7 minutes: fatigue")
    page.set_viewport_size(TABLET_PORTRAIT)
    assert unlabelled_controls(page) == []
    assert horizontal_overflow_px(page) == 0
    screenshot(page, "not-billable-768")
    page.get_by_role("button", name="Sign as not billable").click()
    expect(page.get_by_role("status")).to_contain_text("Signed as not billable (no charge)")
    expect(page.get_by_text("Patient refused treatment: Refused after 7 minutes")).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, ohio["biller"])
    page.goto("/billing/claims/")
    page.get_by_role("button", name="Create charges for signed notes").click()
    job_done(page, "0 charge(s) created from 0 signed note(s)")
    expect(page.get_by_text("left aside")).to_have_count(0)
    page.get_by_role("link", name="Back to the claims").click()
    page.get_by_text("1 note(s) signed as not billable").click()
    expect(page.get_by_role("cell", name="Patient refused treatment", exact=False)).to_be_visible()
