"""The reports: each figure on factory data at the suite's clock, the CSV equal to the page,
and who may open them."""

import csv
import datetime as dt
import io
import re
from decimal import Decimal
from html import unescape
from typing import Any

import pytest
from django.test import Client

from otclinic.clinic.audit.models import AuditEvent
from otclinic.clinic.care.models import NoteStatus
from otclinic.clinic.revenue.models import Charge, ChargeStatus, PatientPayment
from otclinic.clinic.scheduling.models import AppointmentStatus, Visit
from tests.clinic import factories as f
from tests.clock import TODAY, now

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


class Day:
    """Today in a small clinic: two OTs, their appointments, notes, charges and a payment."""

    def __init__(self) -> None:
        self.org = f.OrganizationFactory()
        f.ClinicFactory(organization=self.org, state="OH")
        self.admin = f.staff_user(organization=self.org, role="clinic_admin")
        self.ot = f.StaffProfileFactory(user__organization=self.org, user__role="OT")
        self.ot2 = f.StaffProfileFactory(user__organization=self.org, user__role="OT")
        self.biller = f.staff_user(organization=self.org, role="biller")
        self.patient = f.PatientFactory(organization=self.org)
        self.episode = f.EpisodeFactory(patient=self.patient, therapist=self.ot)
        at = now().replace(hour=8)
        statuses = [
            (self.ot, AppointmentStatus.COMPLETED, NoteStatus.SIGNED),
            (self.ot, AppointmentStatus.COMPLETED, NoteStatus.DRAFT),
            (self.ot, AppointmentStatus.COMPLETED, None),  # a visit without a note
            (self.ot2, AppointmentStatus.NO_SHOW, None),
            (self.ot2, AppointmentStatus.CANCELLED, None),
            (self.ot2, AppointmentStatus.SCHEDULED, None),
        ]
        for hour, (clinician, status, note_status) in enumerate(statuses):
            self._visit(clinician, at + dt.timedelta(hours=hour), status, note_status)
        # Yesterday's completed visit counts in no figure of today.
        self._visit(self.ot, at - dt.timedelta(days=1), AppointmentStatus.COMPLETED, None)
        PatientPayment.objects.create(
            organization=self.org,
            patient=self.patient,
            amount=Decimal("25.00"),
            method="card",
            received_on=TODAY,
            receipt_number="R-1",
            taken_by=self.admin,
            request_token="00000000-0000-0000-0000-000000000001",
        )

    def _visit(self, clinician: Any, starts_at: dt.datetime, status: str, note: Any) -> None:
        appointment = f.AppointmentFactory(
            patient=self.patient,
            clinician=clinician,
            episode=self.episode,
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(minutes=45),
            status=status,
        )
        if status != AppointmentStatus.COMPLETED:
            return
        visit = Visit.objects.create(
            organization=self.org,
            appointment=appointment,
            episode=self.episode,
            patient=self.patient,
            clinician=clinician,
            date_of_service=starts_at.date(),
        )
        if note is None:
            return
        written = f.TreatmentNoteFactory(
            episode=self.episode,
            author=clinician,
            visit=visit,
            date_of_service=starts_at.date(),
            status=note,
            signed_at=None if note == NoteStatus.DRAFT else starts_at + dt.timedelta(hours=1),
        )
        if note == NoteStatus.SIGNED:
            for code, units in [("97530", 2), ("97535", 1), ("97165", 1)]:
                Charge.objects.create(
                    organization=self.org,
                    note=written,
                    patient=self.patient,
                    date_of_service=starts_at.date(),
                    code=code,
                    units=units,
                    amount=Decimal("40.00"),
                    expected_allowed=Decimal("30.00"),
                    status=ChargeStatus.UNBILLED,
                )


def _page_tables(body: str) -> list[list[list[str]]]:
    """The report tables of a page: each row's cells as text."""
    tables = []
    for table in re.findall(r'<table class="report-table".*?</table>', body, re.S):
        rows = []
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
            cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
            rows.append([unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in cells])
        tables.append(rows)
    return tables


def _figures(body: str) -> dict[str, str]:
    return {row[0]: row[1] for row in _page_tables(body)[0][1:]}


def test_the_end_of_day_report_counts_todays_visits_notes_charges_and_payments() -> None:
    day = Day()
    figures = _figures(_client(day.admin).get("/reports/end-of-day/").content.decode())
    assert figures["Visits booked"] == "6"
    assert figures["Visits completed"] == "3"
    assert figures["No-shows"] == "1"
    assert figures["Cancellations"] == "1"
    assert figures["Still scheduled or checked in"] == "1"
    assert figures["Notes signed"] == "1"
    assert figures["Notes unsigned"] == "1"
    assert figures["Notes missing (completed visit, no note)"] == "1"
    assert figures["Charges created"] == "3"
    assert figures["Units charged"] == "4"
    assert figures["Charges billed (USD)"] == "120.00"
    assert figures["Charges expected (USD)"] == "90.00"
    assert figures["Desk payments (USD)"] == "25.00"


def _csv_tables(content: bytes) -> list[list[list[str]]]:
    """The CSV's tables (caption line dropped), split at the blank lines between them."""
    tables: list[list[list[str]]] = [[]]
    for row in csv.reader(io.StringIO(content.decode())):
        if not row:
            tables.append([])
        elif len(row) > 1 or tables[-1]:
            tables[-1].append(row)
    return [t[1:] if t and len(t[0]) == 1 else t for t in tables]


@pytest.mark.parametrize(
    "slug", ["end-of-day", "productivity", "notes", "attendance", "compliance"]
)
def test_each_reports_csv_holds_the_numbers_its_page_shows(slug: str) -> None:
    day = Day()
    client = _client(day.admin)
    page = _page_tables(client.get(f"/reports/{slug}/").content.decode())
    download = client.get(f"/reports/{slug}/export.csv")
    assert download.status_code == 200
    shown = [[[c if c != "\u2013" else "" for c in row] for row in t] for t in page]
    assert _csv_tables(download.content) == [
        [row for row in t if row[0] != "Nothing in this range."] for t in shown
    ]
    entry = AuditEvent.objects.filter(object_type="report", object_id=slug).get()
    assert entry.actor_id == day.admin.pk and entry.detail.startswith("report export:")


def test_visits_and_units_are_counted_per_clinician_with_timed_and_untimed_units() -> None:
    day = Day()
    body = _client(day.admin).get("/reports/productivity/").content.decode()
    rows = {row[0]: row[1:] for row in _page_tables(body)[0][1:]}
    # This month: today's 3 completed visits and yesterday's; units 2 (97530) + 1 (97535)
    # timed and 1 (97165, an evaluation) untimed, 4 units over 4 visits.
    assert rows[str(day.ot)] == ["4", "3", "1", "4", "1.00"]


def test_no_show_and_cancellation_rates_have_the_visits_booked_as_denominator() -> None:
    day = Day()
    body = _client(day.admin).get("/reports/attendance/").content.decode()
    by_clinician = {row[0]: row[1:] for row in _page_tables(body)[0][1:]}
    assert by_clinician[str(day.ot2)] == ["3", "1", "33.3", "1", "33.3"]
    assert by_clinician[str(day.ot)] == ["4", "0", "0.0", "0", "0.0"]  # with yesterday's


def test_notes_owed_name_who_must_act_by_age() -> None:
    day = Day()
    body = _client(day.admin).get("/reports/notes/").content.decode()
    rows = {(row[0], row[1]): row[2:] for row in _page_tables(body)[0][1:]}
    # Today's draft and today's visit without a note are 0-1 days old; yesterday's visit too.
    assert rows[(str(day.ot), "unsigned")] == ["1", "0", "0", "0", "0", "1"]
    assert rows[(str(day.ot), "missing")] == ["2", "0", "0", "0", "0", "2"]


def test_a_count_links_to_the_rows_it_counted() -> None:
    day = Day()
    client = _client(day.admin)
    listing = client.get("/reports/list/notes-missing/", {"start": TODAY, "end": TODAY})
    assert listing.status_code == 200
    assert listing.content.decode().count(day.patient.mrn) == 1


@pytest.mark.parametrize("role", ["biller", "front_desk", "OTA", "PT"])
def test_roles_without_the_reports_permission_are_refused(role: str) -> None:
    day = Day()
    user = f.staff_user(organization=day.org, role=role)
    for url in ["/reports/", "/reports/end-of-day/", "/reports/end-of-day/export.csv"]:
        assert _client(user).get(url).status_code == 403


def test_a_lead_therapist_sees_the_counts_but_not_the_money() -> None:
    day = Day()
    body = _client(day.ot.user).get("/reports/end-of-day/").content.decode()
    figures = _figures(body)
    assert figures["Visits completed"] == "3"
    assert "Charges billed (USD)" not in figures
    assert _client(day.ot.user).get("/reports/list/charges/").status_code == 403


def test_a_range_that_ends_before_it_starts_names_the_field() -> None:
    day = Day()
    response = _client(day.admin).get(
        "/reports/productivity/", {"start": "2026-12-03", "end": "2026-12-01"}
    )
    assert response.status_code == 422
    assert "To: The end of the range is before its start." in response.content.decode()


def test_another_organizations_clinician_is_not_a_choice() -> None:
    day = Day()
    other = f.StaffProfileFactory(user__role="OT")
    response = _client(day.admin).get("/reports/productivity/", {"clinician": str(other.pk)})
    assert response.status_code == 422


def _queries(client: Client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("slug", ["end-of-day", "productivity", "notes", "attendance"])
def test_a_reports_queries_do_not_grow_with_the_patients(slug: str) -> None:
    day = Day()
    client = _client(day.admin)
    url = f"/reports/{slug}/"
    client.get(url)  # the session and the code table read once
    before = _queries(client, url)
    for _ in range(3):
        patient = f.PatientFactory(organization=day.org)
        f.AppointmentFactory(patient=patient, clinician=day.ot2, status=AppointmentStatus.NO_SHOW)
    assert _queries(client, url) == before


def test_the_csv_of_a_long_list_holds_every_row_not_only_the_page_shown() -> None:
    from otclinic.clinic.web.reports.views import PER_PAGE

    day = Day()
    for _ in range(PER_PAGE + 1):  # with the Day's own patient: two more than a page
        patient = f.PatientFactory(organization=day.org)
        f.AppointmentFactory(
            patient=patient, clinician=day.ot2, starts_at=now(), status=AppointmentStatus.NO_SHOW
        )
    client = _client(day.admin)
    by_patient = _page_tables(client.get("/reports/attendance/").content.decode())[2]
    assert len(by_patient[1:]) == PER_PAGE
    second_page = client.get("/reports/attendance/", {"page": 2}).content.decode()
    download = _csv_tables(client.get("/reports/attendance/export.csv", {"page": 2}).content)
    assert len(download[2][1:]) == PER_PAGE + 2
    assert len(_page_tables(second_page)[2][1:]) == 2
    assert f"every row of the range ({PER_PAGE + 2})" in second_page


def test_the_compliance_csv_lists_every_open_episode(monkeypatch: pytest.MonkeyPatch) -> None:
    from otclinic.clinic.web.reports import views

    monkeypatch.setattr(views, "PER_PAGE", 2)
    day = Day()
    for _ in range(3):
        f.EpisodeFactory(patient=f.PatientFactory(organization=day.org), therapist=day.ot)
    client = _client(day.admin)
    shown = _page_tables(client.get("/reports/compliance/").content.decode())[1]
    download = _csv_tables(client.get("/reports/compliance/export.csv").content)
    assert (len(shown[1:]), len(download[1][1:])) == (2, 4)
    summary = dict(row[:2] for row in download[0][1:])
    assert "4" in summary.values()
