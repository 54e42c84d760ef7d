"""The front desk checks tomorrow's schedule with the payers, in a real browser, on the demo
clinic: one click on the day calendar writes the 270s (one file per payer); the payer's 271,
written here from each 270, is read on the eligibility page; tomorrow's visits then show each
patient's answer (eligible or not, plan, copay, therapy visits left, the date it was read), and
so does the chart."""

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from otclinic.domain.claims.x12.eligibility271 import read_271
from tests import clock
from tests.browser.checks import sign_in
from tests.browser.demo_data import DemoClinic, between_requests
from tests.browser.x12_walk import Benefits, inquiries_in_270, write_271

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def _tomorrows_covered_visits(django_db_blocker: Any) -> dict[str, list[str]]:
    """Tomorrow's booked visits billed to a coverage: clinician id -> the patients' last names."""
    from otclinic.clinic.scheduling.models import Appointment
    from otclinic.clinic.scheduling.selectors_calendar import local_midnight

    tomorrow = clock.TODAY + dt.timedelta(days=1)
    found: dict[str, list[str]] = {}
    with between_requests(django_db_blocker):
        rows = Appointment.objects.filter(
            starts_at__gte=local_midnight(tomorrow),
            starts_at__lt=local_midnight(tomorrow + dt.timedelta(days=1)),
            status__in=("scheduled", "checked_in"),
            episode__coverage__isnull=False,
        ).select_related("patient")
        for visit in rows:
            found.setdefault(str(visit.clinician_id), []).append(visit.patient.last_name)
    return found


def test_the_front_desk_checks_tomorrows_schedule_in_one_click_and_sees_each_answer_on_the_visit(
    page: Page,
    demo_clinic: DemoClinic,
    django_db_blocker: Any,
    screenshot: Callable[[Page, str], Path],
    tmp_path: Path,
) -> None:
    visits = _tomorrows_covered_visits(django_db_blocker)
    assert visits, "the demo clinic books visits billed to a coverage tomorrow"
    tomorrow = clock.TODAY + dt.timedelta(days=1)
    sign_in(page, demo_clinic.login("front_desk"))
    page.goto("/schedule/")
    page.get_by_role("button", name=re.compile(r"^Check eligibility for tomorrow's visits")).click()
    expect(page.get_by_role("heading", name="Inquiries written")).to_be_visible()
    downloads = page.get_by_role("link", name=re.compile(r"^270-.*\.x12$"))
    files = downloads.count()
    assert files >= 1
    screenshot(page, "inquiries-written")

    # The payer answers every inquiry of every file: the first patient asked about is not
    # covered any more; everyone else is, with a copay and therapy visits left.
    answers = []
    for n in range(files):
        with page.expect_download() as info:
            downloads.nth(n).click()
        asked = inquiries_in_270(Path(info.value.path()).read_text(encoding="ascii"))
        answers += [
            (
                a,
                Benefits(
                    active=bool(answers or i), plan="PART B", copay=Decimal("20"), visits_left=12
                ),
            )
            for i, a in enumerate(asked)
        ]
    assert len(answers) == sum(len(v) for v in visits.values())
    text = write_271(answers, on=clock.TODAY, control=701)
    assert read_271(text).warnings == ()
    path = tmp_path / "answers.271"
    path.write_text(text, encoding="ascii")
    page.get_by_label("271 eligibility answer file").set_input_files(str(path))
    page.get_by_role("button", name="Read the answers").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"{len(answers)} answer{'s' if len(answers) > 1 else ''} put on the coverages."
    )

    # Tomorrow's day calendar, clinician by clinician: every covered visit shows its answer.
    inactive = answers[0][0].last.upper()
    read_on = f"(checked {clock.TODAY:%b} {clock.TODAY.day})"
    for clinician, last_names in visits.items():
        page.goto(f"/schedule/?day={tomorrow.isoformat()}&clinician={clinician}")
        for last_name in last_names:
            row = page.locator(".appt").filter(has_text=last_name)
            if last_name.upper() == inactive:
                expect(row.first).to_contain_text("✕ Not eligible")
                expect(row.first).to_contain_text("Not active; PART B")
            else:
                expect(row.first).to_contain_text("✓ Eligible")
                expect(row.first).to_contain_text("copay $20.00")
                expect(row.first).to_contain_text("12 therapy visits left")
            expect(row.first).to_contain_text(read_on)
    screenshot(page, "tomorrow-with-answers")

    # A second click the same day asks nobody again.
    page.goto("/schedule/")
    page.get_by_role("button", name=re.compile(r"^Check eligibility for tomorrow's visits")).click()
    expect(page.get_by_role("status")).to_contain_text("0 coverages asked about")
    expect(page.get_by_role("link", name=re.compile(r"^270-"))).to_have_count(0)
