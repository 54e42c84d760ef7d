"""The front desk on a portrait tablet (768 px): a recurring series from the plan of care, then a
cancellation whose freed slot goes to a waitlisted patient, then one appointment booked with the
patient search picker."""

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.checks import (
    TABLET_PORTRAIT,
    go_to,
    horizontal_overflow_px,
    sign_in,
    small_touch_targets,
    unlabelled_controls,
    widest_elements,
)
from tests.browser.demo_data import DemoClinic, between_requests

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def _next_monday() -> dt.date:
    today = timezone.localdate()
    return today + dt.timedelta(days=7 - today.weekday())


def _patients(demo_clinic: DemoClinic, django_db_blocker: Any) -> dict[str, str]:
    """Two fresh patients: one whose OT plan of care (twice a week for four weeks, certified for
    30 days) is ready to schedule, and one who waits for a slot."""
    from otclinic.clinic.accounts.models import User
    from tests.clinic import factories as f

    with between_requests(django_db_blocker):
        ot = User.objects.get(username=demo_clinic.login("OT").username)
        org = ot.organization
        clinic = ot.staff_profile.clinics.first() or org.clinics.first()
        planned = f.PatientFactory(organization=org, home_clinic=clinic, last_name="Seriesfield")
        coverage = f.CoverageFactory(patient=planned, authorized_visits=12)
        episode = f.EpisodeFactory(
            patient=planned,
            therapist=ot.staff_profile,
            clinic=clinic,
            coverage=coverage,
            started_on=timezone.localdate(),
        )
        f.PlanOfCareFactory(
            episode=episode,
            status="active",
            frequency_per_week=2,
            duration_weeks=4,
            duration_days=30,
        )
        waiting = f.PatientFactory(organization=org, home_clinic=clinic, last_name="Waitwell")
        f.CoverageFactory(patient=waiting)
        return {
            "episode": str(episode.pk),
            "waiting": str(waiting.pk),
            "clinician": str(ot.staff_profile.pk),
            "clinic": str(clinic.pk),
        }


def _fits_the_tablet(page: Page) -> None:
    assert horizontal_overflow_px(page) == 0, widest_elements(page)
    assert unlabelled_controls(page) == []
    assert small_touch_targets(page, "main a.button, main button, a.appt, nav.main a") == []


def test_the_desk_books_a_series_then_fills_a_cancellation_from_the_waitlist(
    page: Page,
    demo_clinic: DemoClinic,
    django_db_blocker: Any,
    screenshot: Callable[[Page, str], Path],
) -> None:
    ids = _patients(demo_clinic, django_db_blocker)
    monday = _next_monday()
    page.set_viewport_size(TABLET_PORTRAIT)
    sign_in(page, demo_clinic.login("front_desk"))

    go_to(page, "Schedule")
    expect(page.get_by_role("heading", name="Schedule", level=1)).to_be_visible()
    page.get_by_role("link", name="Week", exact=True).click()
    expect(page.get_by_role("heading", name=re.compile(r"^Week of"))).to_be_visible()
    _fits_the_tablet(page)
    screenshot(page, "week-768")

    # The series: Tuesdays and Thursdays at 07:30 from next week, as the plan of care says.
    page.get_by_role("link", name="Book a series from the plan of care").click()
    page.get_by_label("Find the patient").press_sequentially("Seriesfield")
    page.get_by_role("radio", name=re.compile(r"^Seriesfield, ")).check()
    page.get_by_label("Episode of care").select_option(ids["episode"])
    page.get_by_label("Tuesday").check()
    page.get_by_label("Thursday").check()
    page.get_by_label("First week starts").fill(monday.isoformat())
    page.get_by_label("Start time").fill("07:30")
    page.get_by_role("button", name="Preview the dates").click()
    preview = page.locator("section.preview")
    expect(preview).to_contain_text("2 times a week for 4 weeks")
    dates = preview.locator("ol.series-dates li")
    count = dates.count()
    assert count >= 4  # at least the first two weeks fall inside the 30 certified days
    expect(dates.first).to_have_text((monday + dt.timedelta(days=1)).strftime("%a %-d %b %Y"))
    _fits_the_tablet(page)
    screenshot(page, "series-preview-768")

    page.get_by_role("button", name=f"Confirm and book {count} appointments").click()
    expect(page.get_by_role("status")).to_contain_text(f"Booked {count} appointments")
    blocks = page.locator("a.appt", has_text="Seriesfield")
    expect(blocks).to_have_count(2)  # the first week: Tuesday and Thursday
    expect(blocks.first).to_contain_text("07:30")
    _fits_the_tablet(page)
    screenshot(page, "series-booked-768")

    # A patient waits for a Tuesday or Thursday morning with anyone.
    page.get_by_role("link", name="Waitlist").click()
    page.get_by_label("Patient").select_option(ids["waiting"])
    page.get_by_label("Tuesday").check()
    page.get_by_label("Thursday").check()
    page.get_by_label("Earliest start").fill("07:00")
    page.get_by_label("Latest end").fill("12:00")
    page.get_by_role("button", name="Add to the waitlist").click()
    expect(page.locator("table tbody tr", has_text="Waitwell")).to_contain_text("Tue, Thu")
    _fits_the_tablet(page)

    # The first Tuesday is cancelled; the freed slot is offered to the waitlist and booked. The
    # week shows one clinician's book (the desk starts with the first by name): pick the OT's.
    page.goto(f"/schedule/week/?day={monday.isoformat()}")
    page.get_by_label("Clinician").select_option(ids["clinician"])
    page.locator("a.appt", has_text="Seriesfield").first.click()
    page.get_by_label("Patient cancelled").check()
    page.get_by_role("button", name="Cancel the appointment").click()
    expect(page.locator("#status")).to_have_text("Cancelled")
    offer = page.get_by_role("button", name=re.compile(r"Book Waitwell.* from the waitlist"))
    expect(offer).to_be_visible()
    _fits_the_tablet(page)
    screenshot(page, "cancelled-offer-768")
    offer.click()
    expect(page.get_by_role("status")).to_contain_text("from the waitlist")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Waitwell")

    page.get_by_role("link", name="This day on the calendar").click()
    expect(page.locator("a.appt", has_text="Seriesfield")).to_contain_text("Cancelled")
    expect(page.locator("a.appt", has_text="Waitwell")).to_contain_text("07:30")
    _fits_the_tablet(page)
    screenshot(page, "day-after-waitlist-768")

    # One more visit, the patient found by typing: the search answers as one types, and choosing
    # her lists only her open episode.
    page.goto("/schedule/book/")
    expect(page.get_by_label("Episode of care").locator("option")).to_have_count(1)
    page.get_by_label("Find the patient").press_sequentially("Seriesf")
    choice = page.get_by_role("radio", name=re.compile(r"^Seriesfield, "))
    expect(choice).to_have_count(1)
    choice.check()
    expect(page.get_by_label("Episode of care").locator("option")).to_have_count(2)
    page.get_by_label("Episode of care").select_option(ids["episode"])
    page.get_by_label("Clinician").select_option(ids["clinician"])
    page.get_by_label("Location").select_option(ids["clinic"])
    page.get_by_label("Date").fill(monday.isoformat())
    page.get_by_label("Start time").fill("14:00")
    _fits_the_tablet(page)
    screenshot(page, "book-picker-768")
    page.get_by_role("button", name="Book", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Appointment booked")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Seriesfield")
