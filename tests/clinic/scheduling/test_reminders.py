"""Appointment reminders: due windows, once each, never for a cancelled visit, no PHI in logs."""

import datetime as dt
import io
import logging
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured

from otclinic.clinic.scheduling.models import Appointment, AppointmentReminder, AppointmentStatus
from otclinic.clinic.scheduling.reminders import (
    ConsoleSender,
    EmailSender,
    ReminderNotSent,
    configured_sender,
    mask,
)
from otclinic.clinic.scheduling.services_reminders import reminders_send
from otclinic.domain.scheduling.reminders import Channel, Reminder
from tests.clinic import factories as f
from tests.clinic.mail import emails_sent

pytestmark = pytest.mark.django_db

NY = ZoneInfo("America/New_York")
UTC = dt.UTC
VISIT = dt.datetime(2026, 6, 10, 9, 0, tzinfo=NY)


@pytest.fixture(autouse=True)
def clinic_time(settings: Any) -> None:
    settings.TIME_ZONE = "America/New_York"


class Recorder:
    """A sender that keeps what it was given."""

    channels = frozenset(Channel)

    def __init__(self) -> None:
        self.sent: list[Reminder] = []

    def send(self, reminder: Reminder) -> None:
        self.sent.append(reminder)


def _appointment(starts_at: dt.datetime = VISIT, **patient: Any) -> Appointment:
    person = f.PatientFactory(
        first_name="Rosalind",
        last_name="Quennell",
        email=patient.pop("email", "rq@example.org"),
        phone=patient.pop("phone", "614-555-0142"),
        **patient,
    )
    return f.AppointmentFactory(
        patient=person, starts_at=starts_at, ends_at=starts_at + dt.timedelta(minutes=45)
    )


def test_the_48_hour_reminder_is_sent_once(settings: Any) -> None:
    appointment = _appointment()
    sender = Recorder()
    run = reminders_send(now=VISIT - dt.timedelta(hours=47), sender=sender)
    again = reminders_send(now=VISIT - dt.timedelta(hours=46), sender=sender)
    assert [r.window_hours for r in run.sent] == [48]
    assert again.sent == []
    assert len(sender.sent) == 1
    row = AppointmentReminder.objects.get()
    assert (row.appointment, row.starts_at, row.channel) == (appointment, VISIT, "email")
    assert sender.sent[0].to == "rq@example.org"


def test_the_2_hour_reminder_follows_the_48_hour_one() -> None:
    _appointment()
    sender = Recorder()
    reminders_send(now=VISIT - dt.timedelta(hours=30), sender=sender)
    reminders_send(now=VISIT - dt.timedelta(minutes=90), sender=sender)
    reminders_send(now=VISIT - dt.timedelta(minutes=30), sender=sender)
    assert sorted(AppointmentReminder.objects.values_list("window_hours", flat=True)) == [2, 48]
    assert len(sender.sent) == 2


def test_nothing_is_sent_too_early_or_after_the_start() -> None:
    _appointment()
    sender = Recorder()
    reminders_send(now=VISIT - dt.timedelta(hours=49), sender=sender)
    reminders_send(now=VISIT + dt.timedelta(minutes=1), sender=sender)
    assert sender.sent == [] and not AppointmentReminder.objects.exists()


@pytest.mark.parametrize(
    "status",
    [
        AppointmentStatus.CANCELLED,
        AppointmentStatus.NO_SHOW,
        AppointmentStatus.CHECKED_IN,
        AppointmentStatus.COMPLETED,
    ],
)
def test_only_a_scheduled_appointment_is_reminded(status: str) -> None:
    appointment = _appointment()
    Appointment.objects.filter(pk=appointment.pk).update(status=status)
    sender = Recorder()
    assert reminders_send(now=VISIT - dt.timedelta(hours=1), sender=sender).sent == []
    assert sender.sent == []


def test_a_cancelled_appointment_is_not_reminded_after_its_first_reminder() -> None:
    appointment = _appointment()
    sender = Recorder()
    reminders_send(now=VISIT - dt.timedelta(hours=40), sender=sender)
    desk = f.staff_user(organization=appointment.organization, role="front_desk")
    from otclinic.clinic.scheduling.services import appointment_cancel

    appointment_cancel(user=desk, appointment=appointment, reason="patient ill")
    reminders_send(now=VISIT - dt.timedelta(hours=1), sender=sender)
    assert len(sender.sent) == 1


def test_a_patient_with_only_a_phone_gets_a_text_from_a_sender_that_can() -> None:
    _appointment(email="")
    sender = Recorder()
    run = reminders_send(now=VISIT - dt.timedelta(hours=1), sender=sender)
    assert [(r.channel, r.to) for r in sender.sent] == [(Channel.SMS, "614-555-0142")]
    assert run.sent[0].channel == "sms"


def test_the_email_sender_leaves_a_phone_only_patient_unreminded_and_unlogged() -> None:
    _appointment(email="")
    run = reminders_send(now=VISIT - dt.timedelta(hours=1), sender=EmailSender())
    assert (len(run.sent), run.unreachable) == (0, 1)
    assert not AppointmentReminder.objects.exists()
    assert mail.outbox == []


def test_the_email_sender_sends_through_djangos_backend_from_the_background_job() -> None:
    _appointment()
    with emails_sent():
        run = reminders_send(now=VISIT - dt.timedelta(hours=1), sender=EmailSender())
        assert mail.outbox == []  # queued, sent by the worker once the reminder commits
    assert len(run.sent) == 1
    (message,) = mail.outbox
    assert message.to == ["rq@example.org"]
    assert "Hello Rosalind" in message.body and "9:00 AM (EDT)" in message.body


def test_a_patient_with_no_contact_details_is_counted_unreachable() -> None:
    _appointment(email="", phone="")
    run = reminders_send(now=VISIT - dt.timedelta(hours=1), sender=Recorder())
    assert (len(run.sent), run.unreachable) == (0, 1)


def test_an_inactive_patient_is_not_reminded() -> None:
    _appointment(active=False)
    assert reminders_send(now=VISIT - dt.timedelta(hours=1), sender=Recorder()).sent == []


class Failing(Recorder):
    def send(self, reminder: Reminder) -> None:
        raise ReminderNotSent("SMTPServerDisconnected")


def test_a_failed_send_is_not_logged_and_is_tried_again() -> None:
    _appointment()
    run = reminders_send(now=VISIT - dt.timedelta(hours=1), sender=Failing())
    assert (len(run.sent), run.failed) == (0, 1)
    assert not AppointmentReminder.objects.exists()
    assert len(reminders_send(now=VISIT - dt.timedelta(hours=1), sender=Recorder()).sent) == 1


def test_a_moved_appointment_is_reminded_for_its_new_time() -> None:
    appointment = _appointment()
    sender = Recorder()
    reminders_send(now=VISIT - dt.timedelta(hours=1), sender=sender)
    later = VISIT + dt.timedelta(days=1)
    Appointment.objects.filter(pk=appointment.pk).update(
        starts_at=later, ends_at=later + dt.timedelta(minutes=45)
    )
    reminders_send(now=later - dt.timedelta(hours=1), sender=sender)
    assert len(sender.sent) == 2


def test_the_reminder_carries_a_first_name_and_time_and_the_log_carries_ids_only(
    caplog: pytest.LogCaptureFixture,
) -> None:
    appointment = _appointment()
    f.DiagnosisFactory(patient=appointment.patient)
    stream = io.StringIO()
    with caplog.at_level(logging.INFO):
        reminders_send(now=VISIT - dt.timedelta(hours=1), sender=ConsoleSender(stream))
    printed = stream.getvalue()
    assert "Rosalind" in printed and "Wednesday 10 June 2026 at 9:00 AM (EDT)" in printed
    assert "r***@example.org" in printed
    for phi in ("Quennell", "rq@example.org", "614-555-0142", appointment.patient.mrn):
        assert phi not in printed
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert str(appointment.pk) in logged
    for phi in ("Rosalind", "Quennell", "rq@example.org", "example.org", "614-555"):
        assert phi not in logged


def test_the_preferred_name_is_used_when_there_is_one() -> None:
    _appointment(preferred_name="Roz")
    sender = Recorder()
    reminders_send(now=VISIT - dt.timedelta(hours=1), sender=sender)
    assert sender.sent[0].body.startswith("Hello Roz,")


@pytest.mark.parametrize(
    ("address", "shown"), [("rq@example.org", "r***@example.org"), ("614-555-0142", "***42")]
)
def test_addresses_are_masked_on_the_console(address: str, shown: str) -> None:
    assert mask(address) == shown


def test_the_sender_comes_from_the_settings(settings: Any) -> None:
    settings.OTCLINIC_REMINDER_SENDER = "otclinic.clinic.scheduling.reminders.EmailSender"
    assert isinstance(configured_sender(), EmailSender)
    settings.OTCLINIC_REMINDER_SENDER = "otclinic.clinic.scheduling.reminders.NoSuchSender"
    with pytest.raises(ImproperlyConfigured, match="cannot import"):
        configured_sender()
    settings.OTCLINIC_REMINDER_SENDER = "otclinic.clinic.scheduling.reminders.ReminderNotSent"
    with pytest.raises(ImproperlyConfigured, match="channels"):
        configured_sender()


def test_a_naive_run_time_is_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        reminders_send(now=dt.datetime(2026, 6, 10, 8, 0), sender=Recorder())


def test_the_command_prints_the_count_and_sends_nothing_twice(settings: Any) -> None:
    from click.testing import CliRunner

    from otclinic.cli import cli

    settings.OTCLINIC_REMINDER_SENDER = "otclinic.clinic.scheduling.reminders.ConsoleSender"
    _appointment()
    _appointment(VISIT + dt.timedelta(hours=1), email="", phone="")
    args = ["schedule", "remind", "--now", "2026-06-10T08:00"]  # clinic time: 1 hour before
    first = CliRunner().invoke(cli, args)
    again = CliRunner().invoke(cli, args)
    assert first.exit_code == 0, first.output
    assert first.output.splitlines()[-1] == (
        "1 reminder(s) sent; 1 due without a way to reach the patient; 0 not sent "
        "(tried again next run)"
    )
    assert "Hello Rosalind" in first.output
    assert again.output.splitlines()[-1].startswith("0 reminder(s) sent; 1 due")


def test_the_command_names_a_bad_time() -> None:
    from click.testing import CliRunner

    from otclinic.cli import cli

    result = CliRunner().invoke(cli, ["schedule", "remind", "--now", "next tuesday"])
    assert result.exit_code == 2
    assert "is not an ISO date-time" in result.output


# --- the daylight-saving switch (America/New_York, 2026-11-01 02:00 EDT -> 01:00 EST) -----------


def test_the_48_hour_reminder_across_the_switch_comes_48_elapsed_hours_before() -> None:
    monday = dt.datetime(2026, 11, 2, 9, 0, tzinfo=NY)  # 14:00 UTC
    _appointment(monday)
    sender = Recorder()
    reminders_send(now=dt.datetime(2026, 10, 31, 9, 30, tzinfo=NY), sender=sender)
    assert sender.sent == []  # 47.5 hours by the wall clock, but 48.5 elapsed
    reminders_send(now=dt.datetime(2026, 10, 31, 14, 0, tzinfo=UTC), sender=sender)
    assert len(sender.sent) == 1
    assert "Monday 2 November 2026 at 9:00 AM (EST)" in sender.sent[0].body


def test_the_2_hour_reminder_on_the_switch_night_waits_out_the_repeated_hour() -> None:
    visit = dt.datetime(2026, 11, 1, 3, 0, tzinfo=NY)  # 08:00 UTC
    _appointment(visit)
    sender = Recorder()
    edt = reminders_send(
        now=dt.datetime(2026, 11, 1, 5, 30, tzinfo=UTC), sender=sender
    )  # 01:30 EDT
    est = reminders_send(
        now=dt.datetime(2026, 11, 1, 6, 30, tzinfo=UTC), sender=sender
    )  # 01:30 EST
    assert [r.window_hours for r in edt.sent] == [48]  # 2.5 hours before: not yet the 2-hour one
    assert [r.window_hours for r in est.sent] == [2]


def test_a_series_across_the_switch_keeps_its_wall_clock_and_reminders_do_not_move_it() -> None:
    saturday = dt.datetime(2026, 10, 31, 9, 0, tzinfo=NY)
    monday = dt.datetime(2026, 11, 2, 9, 0, tzinfo=NY)
    appointments = [_appointment(saturday), _appointment(monday)]
    stored = [a.starts_at.astimezone(UTC) for a in appointments]
    assert [s.hour for s in stored] == [13, 14]  # EDT, then EST: both 9:00 at the clinic
    sender = Recorder()
    for hour in range(102):  # hourly from Thursday 29 October to Monday 2 November, 14:00 UTC
        reminders_send(
            now=dt.datetime(2026, 10, 29, 9, 0, tzinfo=UTC) + dt.timedelta(hours=hour),
            sender=sender,
        )
    assert sorted(
        AppointmentReminder.objects.values_list("appointment__starts_at", "window_hours")
    ) == [(stored[0], 2), (stored[0], 48), (stored[1], 2), (stored[1], 48)]
    for appointment, instant in zip(appointments, stored, strict=True):
        appointment.refresh_from_db()
        assert appointment.starts_at == instant


def test_changing_the_clinic_time_zone_moves_no_appointment_or_reminder(settings: Any) -> None:
    appointment = _appointment()
    settings.TIME_ZONE = "America/Los_Angeles"
    appointment.refresh_from_db()
    assert appointment.starts_at == VISIT  # the same instant
    sender = Recorder()
    reminders_send(now=VISIT - dt.timedelta(hours=2, seconds=1), sender=sender)
    assert [r.body for r in sender.sent if "(PDT)" in r.body]  # the 48-hour one, in local words
    reminders_send(now=VISIT - dt.timedelta(hours=2), sender=sender)
    assert len(sender.sent) == 2
    assert "6:00 AM (PDT)" in sender.sent[-1].body
