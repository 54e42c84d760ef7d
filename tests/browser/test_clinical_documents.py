"""The OT's documents in a real browser: evaluate, plan, progress report, discharge, with screenshots."""

import datetime as dt
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests import clock
from tests.browser.checks import sign_in
from tests.browser.demo_data import DemoClinic, between_requests

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def _new_episode(demo_clinic: DemoClinic, django_db_blocker: Any) -> str:
    """A fresh patient with a referral and an open OT episode for the demo OT, made in the DB."""
    from otclinic.clinic.accounts.models import User
    from tests.clinic import factories as f

    with between_requests(django_db_blocker):
        ot = User.objects.get(username=demo_clinic.login("OT").username)
        org = ot.organization
        patient = f.PatientFactory(
            organization=org, home_clinic=org.clinics.first(), last_name="Browserwalk"
        )
        f.DiagnosisFactory(patient=patient)
        referral = f.ReferralFactory(
            patient=patient,
            physician=f.PhysicianFactory(organization=org),
            signed_on=clock.TODAY,
        )
        episode = f.EpisodeFactory(
            patient=patient,
            therapist=ot.staff_profile,
            referral=referral,
            started_on=clock.TODAY,
        )
        return str(episode.pk)


def _fill(page: Page, values: dict[str, str], *, within: str = "body") -> None:
    """Fill fields by their form names (labels carry a required-field star)."""
    for name, value in values.items():
        page.locator(f"{within} [name={name}]").fill(value)


def _print_and_read(page: Page, demo_clinic: DemoClinic, django_db_blocker: Any) -> None:
    """Open the progress report's "Print / PDF" link: a PDF naming the patient, and the signer
    with the credentials once."""
    from otclinic.clinic.accounts.models import User

    link = page.get_by_role("link", name="Print / PDF")
    expect(link).to_be_visible()
    response = page.request.get(link.get_attribute("href") or "")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.body())).pages
    text = " ".join(" ".join(p.extract_text().split()) for p in pages)
    with between_requests(django_db_blocker):
        ot = User.objects.select_related("staff_profile").get(
            username=demo_clinic.login("OT").username
        )
        credentials = ot.staff_profile.credentials
        signer = f"{ot.first_name} {ot.last_name}, {credentials}"
    assert "Browserwalk" in text and "Occupational therapy progress report" in text
    assert f"Signed by {signer} on " in text
    assert text.count(f"{credentials}, {credentials}") == 0
    assert text.count(f"Signed by {signer}") == 1


def test_the_ot_evaluates_plans_reports_progress_and_discharges(
    page: Page,
    demo_clinic: DemoClinic,
    django_db_blocker: Any,
    screenshot: Callable[[Page, str], Path],
) -> None:
    episode_id = _new_episode(demo_clinic, django_db_blocker)
    later = (clock.TODAY + dt.timedelta(days=30)).isoformat()
    sign_in(page, demo_clinic.login("OT"))
    page.goto(f"/care/episodes/{episode_id}/")

    page.get_by_role("link", name="Evaluate").click()
    _fill(
        page,
        {
            "occupational_profile": "Retired teacher; wants to cook and dress on her own.",
            "history": "Stroke in November; lives with her spouse.",
            "performance_deficits": "Dressing, grooming, cooking, handwriting.",
            "deficit_count": "4",
            "barthel": "60",
            "grip_kg_right": "12.5",
        },
    )
    page.locator("[name=history_review]").select_option("expanded")
    page.locator("[name=decision_making]").select_option("high")
    page.get_by_role("button", name="Save evaluation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Evaluation 97166")
    expect(page.locator("ul.reasoning")).to_contain_text(
        "selects 97166 (held there by occupational profile"
    )
    screenshot(page, "evaluation")
    page.get_by_role("button", name="Sign evaluation").click()
    expect(page.get_by_text(re.compile("^Signed "))).to_be_visible()

    page.goto(f"/care/episodes/{episode_id}/")
    page.get_by_role("link", name="Write the plan of care").click()
    page.locator("input[name=diagnoses]").first.check()
    page.get_by_role("button", name="Save draft plan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Plan of care v1")

    goals = page.locator("#goals")
    _fill(
        page,
        {
            "goal-description": "Dresses upper body on her own",
            "goal-baseline": "60",
            "goal-target": "85",
            "goal-target_date": later,
            "goal-unit": "points",
        },
        within="#goals",
    )
    goals.get_by_role("button", name="Add goal").click()  # no measure: refused on the field
    expect(goals.get_by_role("alert")).to_contain_text("Measure: A goal needs a measure")
    page.locator("#goals [name=goal-measure]").fill("Barthel Index")
    goals.get_by_role("button", name="Add goal").click()
    expect(goals.locator("tbody tr")).to_have_count(1)

    interventions = page.locator("#interventions")
    page.locator("[name=intervention-category]").select_option("self_care_adl")
    _fill(
        page,
        {
            "intervention-code": "97535",
            "intervention-description": "Dressing practice with a reacher",
        },
        within="#interventions",
    )
    interventions.get_by_role("button", name="Add intervention").click()
    expect(interventions.locator("li")).to_contain_text("97535")
    screenshot(page, "plan-draft")
    page.get_by_role("button", name="Sign the plan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Active")
    page.get_by_role("button", name="Send to physician (PDF)").click()
    expect(page.locator("#certification")).to_contain_text(
        "No signature needed (signed referral on file)"
    )
    screenshot(page, "plan-active")

    page.goto(f"/care/episodes/{episode_id}/")
    page.get_by_role("link", name="Progress report").click()
    page.locator("[name=objective_findings]").fill("Barthel 70; grip right 15 kg.")
    page.get_by_role("button", name="Save draft").click()
    page.locator("[name=assessment]").fill("Steady gains with daily practice.")
    page.locator("select[name$=_status]").first.select_option("active")
    page.locator("input[name$=_value]").first.fill("70")
    page.get_by_role("button", name="Complete and sign").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Signed")
    screenshot(page, "progress-report")
    _print_and_read(page, demo_clinic, django_db_blocker)
    # Sent to the physician from its own page: the physician has no fax number on file, so the
    # status says so in plain words and offers to send it again.
    sending = page.locator("#send-to-physician")
    sending.get_by_role("button", name="Send to physician").click()
    expect(sending.locator(".delivery")).to_contain_text("Fax to")
    expect(sending.locator(".delivery .badge")).to_have_text("Failed")
    expect(sending.locator(".delivery")).to_contain_text("No fax number is on file")
    expect(sending.get_by_role("button", name="Send again")).to_be_visible()

    page.goto(f"/care/episodes/{episode_id}/")
    page.get_by_role("link", name="Discharge").click()
    page.locator("[name=summary]").fill("Dresses her upper body on her own; home program given.")
    page.locator("select[name$=_status]").first.select_option("met")
    page.locator("input[name$=_value]").first.fill("85")
    page.get_by_role("button", name="Sign and discharge").click()
    expect(page.locator("body")).to_contain_text("Discharged")
    expect(page.locator("svg.goal-plot circle")).to_have_count(3)  # baseline, report, discharge
    screenshot(page, "episode-discharged")
