"""Physician certification follow-up on a portrait tablet: send the plan, record a reminder,
record the physician's refusal (the reason is required), and see it on the OT's home page."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests import clock
from tests.browser.checks import (
    TABLET_PORTRAIT,
    horizontal_overflow_px,
    sign_in,
    small_touch_targets,
    unlabelled_controls,
    widest_elements,
)
from tests.browser.demo_data import DemoClinic, between_requests

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def _signed_plan(demo_clinic: DemoClinic, django_db_blocker: Any) -> str:
    """A signed plan for a fresh patient of the demo OT (no referral: a signature is needed)."""
    from otclinic.clinic.accounts.models import User
    from tests.clinic import factories as f
    from tests.clinic.plans import signed_plan

    with between_requests(django_db_blocker):
        ot = User.objects.get(username=demo_clinic.login("OT").username)
        org = ot.organization
        patient = f.PatientFactory(
            organization=org, home_clinic=org.clinics.first(), last_name="Certwalk"
        )
        diagnosis = f.DiagnosisFactory(patient=patient)
        today = clock.TODAY
        episode = f.EpisodeFactory(patient=patient, therapist=ot.staff_profile, started_on=today)
        plan = signed_plan(
            user=ot,
            episode=episode,
            established_on=today,
            diagnoses=[diagnosis],
            certifying_physician=f.PhysicianFactory(organization=org, last_name="Signwell"),
        )
        return str(plan.pk)


def test_the_ot_sends_the_plan_records_a_reminder_and_the_refusal(
    page: Page,
    demo_clinic: DemoClinic,
    django_db_blocker: Any,
    screenshot: Callable[[Page, str], Path],
) -> None:
    plan_id = _signed_plan(demo_clinic, django_db_blocker)
    page.set_viewport_size(TABLET_PORTRAIT)
    sign_in(page, demo_clinic.login("OT"))
    page.goto(f"/care/plans/{plan_id}/")
    card = page.locator("#certification")
    card.get_by_label("How to send it").select_option("portal")
    card.get_by_role("button", name="Send to physician (PDF)").click()
    expect(card).to_contain_text("Initial certification: sent")
    expect(card).to_contain_text("Next: reminder 1 on")
    expect(card.get_by_role("button", name="Send to physician (PDF)")).to_have_count(0)
    assert unlabelled_controls(page) == []

    card.get_by_label("Note (e.g. spoke with the office manager)").fill("Faxed again")
    card.get_by_role("button", name="Record reminder sent").click()
    expect(card).to_contain_text("Reminder 1 on")
    expect(card).to_contain_text("Faxed again")

    card.get_by_role("button", name="Record refused").click()  # no reason: 422, the field says why
    expect(card.get_by_text("Physician's reason: This field is required.")).to_be_visible()
    card.get_by_label("Physician's reason").fill("Wants a cardiology review first.")
    card.get_by_role("button", name="Record refused").click()
    expect(card.locator(".badge.err", has_text="Refused")).to_be_visible()
    expect(card).to_contain_text("Wants a cardiology review first.")
    assert horizontal_overflow_px(page) <= 0, widest_elements(page)
    assert small_touch_targets(page, "#certification button") == []
    screenshot(page, "plan-refused-768x1024")

    page.goto("/")
    expect(page.get_by_text("refused to certify plan v1")).to_be_visible()
