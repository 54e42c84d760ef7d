"""The demo's reminder history and progress-report marks: added once, then left alone."""

import datetime as dt
import io
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from otclinic.clinic.demo.reminders import add_reminders_and_marks
from otclinic.clinic.scheduling.models import Appointment, AppointmentReminder, AppointmentStatus
from otclinic.clinic.scheduling.reminders import ConsoleSender
from otclinic.clinic.scheduling.services_reminders import reminders_send
from tests.clinic import factories as f

pytestmark = pytest.mark.django_db

NY = ZoneInfo("America/New_York")
NOW = dt.datetime(2026, 6, 10, 7, 0, tzinfo=NY)


@pytest.fixture(autouse=True)
def clinic_time(settings: Any) -> None:
    settings.TIME_ZONE = "America/New_York"


def _visit(organization: Any, starts_at: dt.datetime, **patient: Any) -> Appointment:
    person = f.PatientFactory(organization=organization, **patient)
    return f.AppointmentFactory(
        patient=person, starts_at=starts_at, ends_at=starts_at + dt.timedelta(minutes=45)
    )


def test_the_48_hour_reminders_already_due_are_logged_once() -> None:
    org = f.OrganizationFactory()
    today = _visit(org, NOW + dt.timedelta(hours=2), email="a@example.org")
    tomorrow = _visit(org, NOW + dt.timedelta(hours=30), email="", phone="614-555-0100")
    _visit(org, NOW + dt.timedelta(hours=49), email="b@example.org")  # not due yet
    _visit(org, NOW + dt.timedelta(hours=3), email="", phone="")  # nobody to reach
    cancelled = _visit(org, NOW + dt.timedelta(hours=4), email="c@example.org")
    Appointment.objects.filter(pk=cancelled.pk).update(status=AppointmentStatus.CANCELLED)
    assert add_reminders_and_marks(org.pk, NOW, NOW.date()) == 2
    assert add_reminders_and_marks(org.pk, NOW, NOW.date()) == 0
    rows = {r.appointment_id: r for r in AppointmentReminder.objects.all()}
    assert set(rows) == {today.pk, tomorrow.pk}
    assert rows[today.pk].channel == "email" and rows[tomorrow.pk].channel == "sms"
    assert rows[today.pk].sent_at == today.starts_at - dt.timedelta(hours=48)
    assert {r.window_hours for r in rows.values()} == {48}


def test_the_remind_command_then_sends_only_the_2_hour_ones() -> None:
    org = f.OrganizationFactory()
    _visit(org, NOW + dt.timedelta(hours=1), email="a@example.org")
    _visit(org, NOW + dt.timedelta(hours=6), email="b@example.org")
    add_reminders_and_marks(org.pk, NOW, NOW.date())
    printed = io.StringIO()
    run = reminders_send(now=NOW, sender=ConsoleSender(printed))
    assert [r.window_hours for r in run.sent] == [2]
    assert printed.getvalue().count("Appointment reminder") == 1
