"""The front desk on a portrait tablet (768 px): a recurring series from the plan of care, then a
cancellation whose freed slot goes to a waitlisted patient (found with the search picker), then
one appointment booked with the patient search picker; and visits booked from a free slot of the
day grid and of the week grid, with the keyboard, which then show in that slot."""

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, ViewportSize, expect

from tests import clock
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

PHONE: ViewportSize = {"width": 390, "height": 844}


def _next_monday() -> dt.date:
    today = clock.TODAY
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
            started_on=clock.TODAY,
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

    # A patient waits for a Tuesday or Thursday morning with anyone, found with the search
    # picker: the waitlist lists no patient until one is searched for.
    page.get_by_role("link", name="Waitlist").click()
    expect(page.get_by_role("radio")).to_have_count(0)
    page.get_by_label("Find the patient").press_sequentially("Waitw")
    page.get_by_role("radio", name=re.compile(r"^Waitwell, ")).check()
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


def _book_from_the_slot(page: Page, slot: Locator, ids: dict[str, str]) -> None:
    """Open the free slot with the keyboard, find the patient, and book the form as it came."""
    slot.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Book an appointment")).to_be_visible()
    expect(page.get_by_label("Clinician")).to_have_value(ids["clinician"])
    page.get_by_label("Find the patient").press_sequentially("Seriesf")
    page.get_by_role("radio", name=re.compile(r"^Seriesfield, ")).check()
    page.get_by_label("Episode of care").select_option(ids["episode"])
    page.get_by_role("button", name="Book", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Appointment booked")


def test_the_desk_books_from_a_free_slot_of_the_day_grid_and_of_the_week_grid(
    page: Page,
    demo_clinic: DemoClinic,
    django_db_blocker: Any,
    screenshot: Callable[[Page, str], Path],
) -> None:
    ids = _patients(demo_clinic, django_db_blocker)
    tomorrow = clock.TODAY + dt.timedelta(days=1)
    page.set_viewport_size(TABLET_PORTRAIT)
    sign_in(page, demo_clinic.login("front_desk"))

    # The day grid, clinicians side by side: the table scrolls in its own region.
    page.goto(f"/schedule/?day={tomorrow.isoformat()}")
    page.get_by_role("link", name="Clinicians", exact=True).click()
    grid = page.get_by_role("table")
    expect(grid.get_by_role("columnheader")).to_have_count(7)  # the time, then six clinicians
    expect(grid.get_by_role("rowheader", name="08:00", exact=True)).to_be_visible()
    _fits_the_tablet(page)
    screenshot(page, "day-grid-768")

    # The OT's day: Tab reaches a free slot, Enter opens the form pre-filled with its time.
    page.goto(f"/schedule/?day={tomorrow.isoformat()}&clinician={ids['clinician']}")
    slot = page.locator("a.slot").nth(4)
    name = slot.get_attribute("aria-label") or ""
    time = re.fullmatch(r"Book (\d\d:\d\d) with .+", name)
    assert time, name
    slot.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Date")).to_have_value(tomorrow.isoformat())
    expect(page.get_by_label("Start time")).to_have_value(time[1])
    page.go_back()
    _book_from_the_slot(page, page.get_by_role("link", name=name, exact=True), ids)
    page.get_by_role("link", name="This day on the calendar").click()
    row = page.locator("tr", has=page.get_by_role("rowheader", name=time[1], exact=True))
    expect(row.locator("a.appt", has_text="Seriesfield")).to_contain_text(time[1])
    expect(page.get_by_role("link", name=name, exact=True)).to_have_count(0)
    _fits_the_tablet(page)
    screenshot(page, "day-grid-booked-768")

    # The OT's week: a slot of another day, named with its day.
    page.goto(f"/schedule/week/?day={tomorrow.isoformat()}&clinician={ids['clinician']}")
    slot = page.locator("a.slot[aria-label*=' 16:00 ']").last
    name = slot.get_attribute("aria-label") or ""
    column = (slot.locator("xpath=..").get_attribute("class") or "").split()[-1]
    assert re.fullmatch(r"Book \w{3} \d{1,2} \w{3} 16:00 with .+", name), name
    _book_from_the_slot(page, slot, ids)
    page.goto(f"/schedule/week/?day={tomorrow.isoformat()}&clinician={ids['clinician']}")
    row = page.locator("tr", has=page.get_by_role("rowheader", name="16:00", exact=True))
    expect(row.locator(f"td.{column} a.appt", has_text="Seriesfield")).to_contain_text("16:00")
    expect(page.get_by_role("link", name=name, exact=True)).to_have_count(0)
    _fits_the_tablet(page)
    screenshot(page, "week-grid-booked-768")

    # A phone: the grid becomes a list per column, and nothing scrolls sideways.
    page.set_viewport_size(PHONE)
    expect(page.locator("a.slot .slot-time").first).to_be_visible()
    assert horizontal_overflow_px(page) == 0, widest_elements(page)
    screenshot(page, "week-grid-390")
