"""The owner's end-of-day report on the demo clinic, its CSV, and the clinic admin's team page:
add a member of staff, deactivate a clinician and hand their caseload to another."""

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db.models import Exists, OuterRef
from playwright.sync_api import Page, expect

from otclinic.clinic.care.models import TreatmentNote
from otclinic.clinic.scheduling.models import Appointment
from otclinic.clinic.staff.models import StaffProfile
from otclinic.clinic.web.staff_admin.services import future_appointments, handover_problems
from tests.browser.checks import (
    TABLET_PORTRAIT,
    go_to,
    horizontal_overflow_px,
    sign_in,
    unlabelled_controls,
    widest_elements,
)
from tests.browser.demo_data import DemoClinic, between_requests
from tests.clock import TODAY, clinic_time_zone

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def _todays_figures() -> dict[str, int]:
    """Today's figures counted here from the rows, not through the report's code."""
    today = [
        a
        for a in Appointment.objects.all()
        if a.starts_at.astimezone(clinic_time_zone()).date() == TODAY
    ]
    noted = TreatmentNote.objects.filter(visit__appointment=OuterRef("pk"))
    missing = Appointment.objects.filter(pk__in=[a.pk for a in today if a.status == "completed"])
    return {
        "Visits booked": len(today),
        "Visits completed": sum(a.status == "completed" for a in today),
        "No-shows": sum(a.status == "no_show" for a in today),
        "Cancellations": sum(a.status == "cancelled" for a in today),
        "Notes signed": TreatmentNote.objects.filter(
            date_of_service=TODAY, status__in=["signed", "cosign_pending", "cosigned"]
        ).count(),
        "Notes unsigned": TreatmentNote.objects.filter(
            date_of_service=TODAY, status__in=["draft", "returned"]
        ).count(),
        "Notes missing (completed visit, no note)": missing.filter(~Exists(noted)).count(),
    }


def test_the_owner_reads_the_end_of_day_report_and_downloads_it(
    page: Page,
    demo_clinic: DemoClinic,
    django_db_blocker: Any,
    screenshot: Callable[[Page, str], Path],
) -> None:
    with between_requests(django_db_blocker):
        expected = _todays_figures()
    assert expected["Visits booked"] > 0
    page.set_viewport_size(TABLET_PORTRAIT)
    sign_in(page, demo_clinic.login("clinic_admin"))
    go_to(page, "Reports")
    page.get_by_role("link", name="End of day").click()
    expect(page.get_by_role("heading", name="End of day", exact=True)).to_be_visible()
    expect(page.get_by_role("img", name="Visits and notes")).to_be_visible()
    table = page.locator("table.report-table").first
    for label, count in expected.items():
        row = table.get_by_role("row").filter(
            has=page.get_by_role("rowheader", name=label, exact=True)
        )
        expect(row.get_by_role("cell")).to_have_text(str(count))
    screenshot(page, "end-of-day-768x1024")
    assert horizontal_overflow_px(page) <= 0, widest_elements(page)
    assert unlabelled_controls(page) == []

    with page.expect_download() as download:
        page.get_by_role("link", name="Download as CSV").click()
    text = Path(download.value.path()).read_text()
    rows = {r[0]: r[1] for r in csv.reader(io.StringIO(text)) if len(r) == 2}
    for label, count in expected.items():
        assert rows[label] == str(count), label

    # The count opens the list behind it.
    table.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="Visits completed", exact=True)
    ).get_by_role("link").click()
    expect(page.get_by_role("heading", name="Visits completed")).to_be_visible()
    expect(page.locator("#rows-count")).to_contain_text(str(expected["Visits completed"]))


def _handover() -> tuple[StaffProfile, StaffProfile, int]:
    """A therapist with future appointments and another of their role who may take them all."""
    therapists = list(
        StaffProfile.objects.filter(user__role__in=["OT", "PT", "SLP"], active=True)
        .select_related("user")
        .order_by("user__username")
    )
    for leaving in therapists:
        booked = future_appointments(leaving).count()
        if not booked:
            continue
        for to in therapists:
            same = to.user.role == leaving.user.role and to.pk != leaving.pk
            if same and not handover_problems(leaving=leaving, to=to, today=TODAY):
                return leaving, to, booked
    raise AssertionError("the demo clinic has no caseload another therapist may take over")


def test_the_admin_adds_a_member_deactivates_a_therapist_and_hands_over_their_caseload(
    page: Page, demo_clinic: DemoClinic, django_db_blocker: Any
) -> None:
    with between_requests(django_db_blocker):
        leaving, to, booked = _handover()
        leaving_name, to_name = str(leaving), str(to)
    page.set_viewport_size(TABLET_PORTRAIT)
    sign_in(page, demo_clinic.login("clinic_admin"))
    go_to(page, "Team")
    page.get_by_label("First name").fill("Grace")
    page.get_by_label("Last name").fill("Hopper")
    page.get_by_label("Email").fill("grace.hopper@example.org")
    page.get_by_label("Role").select_option("OT")
    page.get_by_label("Credentials").fill("OTR/L")
    assert unlabelled_controls(page) == []
    page.get_by_role("button", name="Add and invite").click()
    expect(page.get_by_role("status")).to_contain_text("was added and invited by email")

    page.get_by_role("link", name="All staff").click()
    page.get_by_role("link", name=leaving_name, exact=True).click()
    page.get_by_role("button", name="Deactivate").click()
    expect(page.locator("#staff-status")).to_contain_text("Deactivated: cannot sign in.")
    expect(page.locator("#open-work")).to_contain_text(f"{booked} future appointment")
    page.get_by_label("Hand the caseload to").select_option(label=to_name)
    page.get_by_role("button", name="Hand over").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"Handed to {to_name}: {booked} appointments"
    )
    expect(page.locator("#open-work")).to_contain_text("0 future appointments")
    with between_requests(django_db_blocker):
        assert future_appointments(leaving).count() == 0
