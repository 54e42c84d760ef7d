"""One whole OT episode in a real browser, from the referral to the discharge.

The front desk takes the referral and opens the episode; the OT evaluates (with scored
assessments), writes and signs the plan of care; the OTA documents three visits on the note page;
the OT co-signs them from the queue (the clinic's `cosign_every_note` policy requires it); the
treatment days reach 10 and the progress report comes due, as the chart and the OT's home page
say; the OT writes it, the due item goes away, and the OT discharges with goal outcomes.

Dates are chosen relative to today, because the pages judge what is due as of today: the
evaluation is day 1 of the episode, thirteen days ago, and the 10th treatment day is today.
"""

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests import clock
from tests.browser.checks import sign_in, unlabelled_controls
from tests.browser.demo_data import DemoClinic, Login, between_requests
from tests.browser.note_steps import (
    note_line,
    open_section,
    sign_for_cosignature,
    train_reacher_and_recommend_grab_bars,
)
from tests.clinic import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

LAST_NAME = "Wholewalk"
# Days before today of each treatment day: the evaluation, the OTA's three visits on the note
# page, then six more visits written through the services (the 10th is today).
EVALUATION_DAY = 13
PAGE_VISITS = (12, 11, 10)
SERVICE_VISITS = (8, 7, 6, 4, 2)
TENTH_DAY = 0
# What each visit written through the services did, by its days before the last visit.
WHAT_HAPPENED = (
    "Tub transfer bench practice with the daughter watching; tactile cues for hand placement "
    "faded to verbal by the third trial.",
    "Standing tolerance at the kitchen counter graded to eight minutes with one seated rest and "
    "cues for weight shift onto the right leg.",
    "Upper-body dressing with a front-opening shirt: threaded the left sleeve unaided after one "
    "demonstration; buttons still need set-up.",
    "Theraband rows and shoulder flexion, three sets; taught pacing and a pain scale to use "
    "during the home program.",
    "Grooming at the sink in standing: oral care and combing hair with set-up only, one loss of "
    "balance corrected with contact guard.",
    "Reacher training for picking items off the floor and for lower-body dressing; two safe "
    "retrievals after instruction.",
    "Meal preparation in standing with the walker parked beside the counter; sequencing cues for "
    "the stove, no balance loss.",
    "Laundry: carried a half-full basket two metres with the walker tray and loaded the washer "
    "from a chair.",
    "Bed mobility and sit to stand from a low couch with a cushion raise; rising without arms "
    "on the second attempt.",
)


@pytest.fixture
def practice(demo_clinic: DemoClinic, django_db_blocker: Any) -> dict[str, Any]:
    """A clinic whose policy is that the supervising OT co-signs every assistant's note."""
    from django.test import override_settings

    from tests.browser.demo_data import FAST_HASHER

    with between_requests(django_db_blocker), override_settings(PASSWORD_HASHERS=[FAST_HASHER]):
        org = f.OrganizationFactory()
        clinic = f.ClinicFactory(organization=org, cosign_every_note=True)
        ot = f.StaffProfileFactory(user__organization=org, user__role="OT")
        ota = f.StaffProfileFactory(user__organization=org, user__role="OTA", supervising_ot=ot)
        desk = f.UserFactory(organization=org, role="front_desk")
        patient = f.PatientFactory(organization=org, home_clinic=clinic, last_name=LAST_NAME)
        coverage = f.CoverageFactory(
            patient=patient,
            payer=f.PayerFactory(organization=org, plan_kind="medicare_part_b"),
        )
        physician = f.PhysicianFactory(organization=org)
        return {
            "desk": Login(desk.username, f.PASSWORD),
            "ot": Login(ot.user.username, f.PASSWORD),
            "ota": Login(ota.user.username, f.PASSWORD),
            "ot_profile": str(ot.pk),
            "patient_id": str(patient.pk),
            "coverage": str(coverage.pk),
            "physician": str(physician.pk),
        }


def _day(days_ago: int) -> dt.date:
    """A day before the suite's date (tests/clock.py), whatever the real date."""
    return clock.TODAY - dt.timedelta(days=days_ago)


def _fill(page: Page, values: dict[str, str], *, within: str = "body") -> None:
    """Fill fields by their form names (labels carry a required-field star)."""
    for name, value in values.items():
        page.locator(f"{within} [name={name}]").fill(value)


def _switch_user(page: Page, login: Login) -> None:
    page.context.clear_cookies()
    sign_in(page, login)


def _chart(page: Page, practice: dict[str, Any]) -> None:
    page.goto(f"/patients/{practice['patient_id']}/")
    # The episodes' section (what is due, goals, documents) loads when it comes into view.
    page.locator("#care-slot").scroll_into_view_if_needed()
    expect(page.locator("#care-overview")).to_be_attached()


def _take_referral_and_open_episode(
    page: Page, practice: dict[str, Any], screenshot: Callable[[Page, str], Path]
) -> None:
    sign_in(page, practice["desk"])
    _chart(page, practice)
    page.get_by_role("link", name="Add referral").click()
    page.locator("[name=physician]").select_option(practice["physician"])
    page.locator("[name=discipline]").select_option("OT")
    _fill(
        page,
        {
            "signed_on": _day(EVALUATION_DAY + 2).isoformat(),
            "received_on": _day(EVALUATION_DAY + 1).isoformat(),
            "diagnosis_codes": "I69.351, M19.011",
        },
    )
    screenshot(page, "1-referral")
    page.get_by_role("button", name="Save referral").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(LAST_NAME)

    page.get_by_role("link", name=re.compile("^Open OT episode from the")).click()
    page.locator("[name=therapist]").select_option(practice["ot_profile"])
    page.locator("[name=coverage]").select_option(practice["coverage"])
    page.locator("[name=started_on]").fill(_day(EVALUATION_DAY).isoformat())
    page.get_by_role("button", name="Open episode").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(rf"^OT episode: {LAST_NAME}, ")
    )
    # Before the evaluation and plan, the episode check has nothing to count yet.
    expect(page.locator("ul.due")).to_contain_text("No plan of care yet")


def _evaluate(page: Page, screenshot: Callable[[Page, str], Path]) -> None:
    page.get_by_role("link", name="Evaluate").click()
    _fill(
        page,
        {
            "performed_on": _day(EVALUATION_DAY).isoformat(),
            "occupational_profile": "Retired bus driver; wants to dress and bathe on his own.",
            "history": "Left-sided stroke six weeks ago; lives with his daughter.",
            "performance_deficits": "Dressing, bathing, tub transfers, meal preparation.",
            "deficit_count": "4",
            "copm_performance": "3.5",
            "copm_satisfaction": "2.8",
            "barthel": "60",
            "grip_kg_right": "18",
            "nine_hole_peg_s_right": "41",
        },
    )
    page.locator("[name=history_review]").select_option("expanded")
    page.locator("[name=decision_making]").select_option("moderate")
    page.get_by_role("button", name="Save evaluation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Evaluation 97166")
    scores = page.locator("#sc-h + table tbody tr")
    expect(scores).to_have_count(5)
    expect(scores.filter(has_text="Barthel Index")).to_contain_text("60")
    screenshot(page, "2-evaluation")
    page.get_by_role("button", name="Sign evaluation").click()
    expect(page.get_by_text(re.compile("^Signed "))).to_be_visible()


def _add_goal(page: Page, values: dict[str, str]) -> None:
    goals = page.locator("#goals")
    rows = goals.locator("tbody tr").count()
    _fill(page, values, within="#goals")
    goals.get_by_role("button", name="Add goal").click()
    expect(goals.locator("tbody tr")).to_have_count(rows + 1)


def _plan(page: Page, screenshot: Callable[[Page, str], Path]) -> None:
    page.get_by_role("link", name="Back to the episode").click()
    page.get_by_role("link", name="Write the plan of care").click()
    expect(page.locator("[name=established_on]")).to_have_value(_day(EVALUATION_DAY).isoformat())
    page.locator("input[name=diagnoses]").first.check()
    page.get_by_role("button", name="Save draft plan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Plan of care v1")

    target = _day(EVALUATION_DAY - 56).isoformat()
    _add_goal(
        page,
        {
            "goal-description": "Dresses his upper body on his own",
            "goal-measure": "Barthel Index",
            "goal-unit": "points",
            "goal-baseline": "60",
            "goal-target": "85",
            "goal-target_date": target,
        },
    )
    _add_goal(
        page,
        {
            "goal-description": "Grips a tub rail firmly for transfers",
            "goal-measure": "Grip strength",
            "goal-unit": "kg",
            "goal-baseline": "18",
            "goal-target": "30",
            "goal-target_date": target,
        },
    )
    interventions = page.locator("#interventions")
    for code, category, what in [
        ("97530", "therapeutic_activity", "Tub transfer practice"),
        ("97535", "self_care_adl", "Dressing with adaptive equipment"),
        ("97110", "therapeutic_exercise", "Grip strengthening"),
    ]:
        page.locator("#interventions [name=intervention-category]").select_option(category)
        _fill(
            page,
            {"intervention-code": code, "intervention-description": what},
            within="#interventions",
        )
        interventions.get_by_role("button", name="Add intervention").click()
        expect(interventions.locator("li").filter(has_text=code)).to_have_count(1)
    page.get_by_role("button", name="Sign the plan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Active")
    page.get_by_role("button", name="Send to physician (PDF)").click()
    expect(page.locator("#certification")).to_contain_text(
        "No signature needed (signed referral on file)"
    )
    screenshot(page, "3-plan-of-care")


def _start_note(page: Page, practice: dict[str, Any], days_ago: int) -> None:
    _chart(page, practice)
    page.get_by_label("Date of service").fill(_day(days_ago).isoformat())
    page.get_by_role("button", name="Start note").click()
    expect(page).to_have_url(re.compile(r"/care/notes/[0-9a-f-]{36}/$"))


def _ota_documents_three_visits(
    page: Page, practice: dict[str, Any], screenshot: Callable[[Page, str], Path]
) -> None:
    _switch_user(page, practice["ota"])
    first, second, third = PAGE_VISITS

    # Visit 1: tub transfers, and caregiver training with the patient present.
    _start_note(page, practice, first)
    note_line(page, 0, "97530", "therapeutic_activity", 30)
    page.locator('[name="goals-0-goal"]').select_option(
        label="Grip strength: Grips a tub rail firmly for transfers"
    )
    page.locator('[name="goals-0-value"]').fill("19")
    open_section(page, "Caregiver training")
    page.locator('[name="caregiver-0-caregiver_name"]').fill("daughter")
    page.locator('[name="caregiver-0-topic"]').fill("guarding during tub transfers")
    page.locator('[name="caregiver-0-return_demonstration"]').check()
    page.locator('[name="caregiver-0-patient_present"]').check()
    page.locator('[name="caregiver-0-consent_documented"]').check()
    preview = page.locator("#billing-preview")
    expect(preview).to_contain_text("Timed: 30 min (2 units)")
    assert unlabelled_controls(page) == []
    screenshot(page, "4-note-visit-1-caregiver-training")
    sign_for_cosignature(page)
    expect(
        page.get_by_role("listitem").filter(has_text="guarding during tub transfers")
    ).to_contain_text("daughter")

    # Visit 2: carried forward; adaptive equipment trained, a home modification recommended.
    _start_note(page, practice, second)
    expect(page.locator('[name="lines-0-code"]')).to_have_value("97530")
    page.locator('[name="lines-0-assistant_minutes"]').fill("25")
    note_line(page, 1, "97535", "self_care_adl", 15)
    page.locator('[name="goals-0-value"]').fill("20")
    train_reacher_and_recommend_grab_bars(page)
    expect(preview).to_contain_text("Timed: 40 min (3 units)")
    page.get_by_role("button", name="Draft narrative from the entries").click()
    expect(page.locator("#id_narrative")).to_have_value(re.compile("Trained in use of reacher"))
    screenshot(page, "5-note-visit-2-equipment-and-home")
    sign_for_cosignature(page)
    expect(page.get_by_text("Recommended grab bars in the bathroom")).to_be_visible()

    # Visit 3: carried forward again; minutes and the measure only.
    _start_note(page, practice, third)
    page.locator('[name="lines-0-assistant_minutes"]').fill("23")
    page.locator('[name="lines-1-assistant_minutes"]').fill("15")
    page.locator('[name="goals-0-value"]').fill("21.5")
    sign_for_cosignature(page)


def _ot_cosigns_from_the_queue(
    page: Page, practice: dict[str, Any], screenshot: Callable[[Page, str], Path]
) -> None:
    _switch_user(page, practice["ot"])
    page.get_by_role("link", name="Open the co-signature queue").click()
    rows = page.locator("tbody tr").filter(has_text=LAST_NAME)
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("The clinic requires the supervising OT to co-sign")
    screenshot(page, "6-cosign-queue")
    for _ in range(3):
        rows.first.get_by_role("link", name="Review").click()
        # What the claim will carry for each intervention: units, modifiers, in words.
        billed = page.locator(".billed")
        expect(billed.first).to_have_text(re.compile(r"^97530: \d units?, GO CO$"))
        expect(page.locator("#sig-h ~ table")).to_contain_text(
            "CO: furnished in whole or in part by an OTA"
        )
        page.get_by_role("button", name="Co-sign note").click()
        expect(page.get_by_role("status")).to_contain_text("Co-signed.")
        page.goto("/care/cosign/")
    expect(rows).to_have_count(0)
    _chart(page, practice)
    expect(page.get_by_role("cell", name="Co-signed", exact=True)).to_have_count(3)


def _visits_through_the_services(
    practice: dict[str, Any], django_db_blocker: Any, days_ago: tuple[int, ...]
) -> None:
    """More OTA visits, each signed and co-signed, written through the services.

    The note page is walked above for three visits; the rest of the ten treatment days are
    written with the same services the page calls (note_start, note_save, note_sign, note_cosign),
    so that the test stays fast.
    """
    from otclinic.clinic.accounts.models import User
    from otclinic.clinic.care.models import Episode, Goal
    from otclinic.clinic.care.services import notes as svc

    with between_requests(django_db_blocker):
        ota = User.objects.get(username=practice["ota"].username)
        ot = User.objects.get(username=practice["ot"].username)
        episode = Episode.objects.get(patient_id=practice["patient_id"])
        grip = Goal.objects.get(plan__episode=episode, measure="Grip strength")
        for ago in days_ago:
            note = svc.note_start(user=ota, episode=episode, date_of_service=_day(ago))
            content = svc.NoteContent(
                lines=(
                    svc.LineInput("97530", "therapeutic_activity", assistant_minutes=23),
                    svc.LineInput("97110", "therapeutic_exercise", assistant_minutes=15),
                ),
                # Grip rises a quarter kilogram a day, to 24 kg on the 10th treatment day.
                goals=(svc.GoalInput(grip.pk, Decimal(24) - Decimal(ago) / 4),),
                # Each visit says what happened at it: the review before signing refuses a
                # note whose words repeat an earlier one's (cloned documentation).
                narrative=WHAT_HAPPENED[ago],
                patient_response="Tolerated the session well.",
                plan_next_visit="Progress tub transfers.",
            )
            note = svc.note_save(user=ota, note=note, revision=note.revision, content=content)
            note = svc.note_sign(user=ota, note=note, revision=note.revision)
            svc.note_cosign(user=ot, note=note)


def _progress_due_line() -> str:
    return f"Progress report due by {_day(TENTH_DAY):%b %d, %Y} (10th treatment day of the period)."


def test_a_whole_episode_from_referral_to_discharge(
    page: Page,
    practice: dict[str, Any],
    django_db_blocker: Any,
    screenshot: Callable[[Page, str], Path],
) -> None:
    _take_referral_and_open_episode(page, practice, screenshot)

    _switch_user(page, practice["ot"])
    _chart(page, practice)
    page.get_by_role("link", name=re.compile("^OT episode from")).click()
    _evaluate(page, screenshot)
    _plan(page, screenshot)

    _ota_documents_three_visits(page, practice, screenshot)
    _ot_cosigns_from_the_queue(page, practice, screenshot)

    # Nine treatment days: the evaluation, three visits on the page, five through the services.
    _visits_through_the_services(practice, django_db_blocker, SERVICE_VISITS)
    _chart(page, practice)
    page.get_by_role("link", name=re.compile("^OT episode from")).click()
    episode_url = page.url
    expect(page.get_by_text(re.compile(r"Treatment days: 9 "))).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("Progress report due by")

    # The 10th treatment day (today): the report comes due, on the chart and the home page.
    _visits_through_the_services(practice, django_db_blocker, (TENTH_DAY,))
    page.reload()
    expect(page.get_by_text(re.compile(r"Treatment days: 10 "))).to_be_visible()
    expect(page.locator("ul.due")).to_contain_text(_progress_due_line())
    _chart(page, practice)
    expect(page.locator("#care-h ~ article ul.due")).to_contain_text(_progress_due_line())
    screenshot(page, "7-chart-progress-report-due")
    page.goto("/")
    home_due = page.locator("#due-h ~ ul li").filter(has_text=LAST_NAME)
    expect(home_due).to_contain_text(f"OT progress report due by {_day(TENTH_DAY):%b %d}")
    screenshot(page, "8-home-progress-report-due")

    # The OT writes the progress report, assessing each goal.
    page.goto(episode_url)
    page.get_by_role("link", name="Progress report").click()
    page.locator("[name=objective_findings]").fill("Barthel 70; grip right 24 kg.")
    page.get_by_role("button", name="Save draft").click()
    page.locator("[name=assessment]").fill("Steady gains in transfers and dressing.")
    statuses = page.locator("select[name$=_status]")
    values = page.locator("input[name$=_value]")
    expect(statuses).to_have_count(2)
    for i, value in enumerate(("70", "24")):
        statuses.nth(i).select_option("active")
        values.nth(i).fill(value)
    page.get_by_role("button", name="Complete and sign").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Signed")
    screenshot(page, "9-progress-report")

    page.goto(episode_url)
    expect(page.locator("body")).not_to_contain_text("Progress report due by")
    page.goto("/")
    expect(page.locator("#due-h ~ ul li").filter(has_text=LAST_NAME)).to_have_count(0)

    # Discharge with goal outcomes.
    page.goto(episode_url)
    page.get_by_role("link", name="Discharge").click()
    page.locator("[name=summary]").fill("Dresses his upper body on his own; home program given.")
    outcomes = page.locator("select[name$=_status]")
    values = page.locator("input[name$=_value]")
    expect(outcomes).to_have_count(2)
    for i, (status, value) in enumerate((("met", "85"), ("partially_met", "26"))):
        outcomes.nth(i).select_option(status)
        values.nth(i).fill(value)
    page.get_by_role("button", name="Sign and discharge").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(LAST_NAME)
    expect(page.locator("h1 + p")).to_contain_text("Discharged")
    expect(page.locator("#docs-h ~ ul")).to_contain_text("Discharge summary")
    goals = page.locator("figure.goal figcaption")
    expect(goals.filter(has_text="Barthel Index").locator(".badge")).to_have_text("Met")
    expect(goals.filter(has_text="Grip strength").locator(".badge")).to_have_text("Partially met")
    screenshot(page, "10-episode-discharged")
