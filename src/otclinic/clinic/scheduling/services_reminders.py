"""Sending appointment reminders: each due window once per appointment time, never twice.

Run by `otclinic schedule remind` (e.g. every 15 minutes from cron; docs/operations.md). Only
scheduled appointments of active patients are reminded: a cancelled, no-show, checked-in or
completed one never is. The window is the narrowest of the clinic policy's windows (48 and 2
hours) that the run falls in, measured in elapsed time, so the daylight-saving switch moves
neither the appointment nor its reminder. The patient is reached by email, or by text when only
a phone number is on file, as far as the configured sender can deliver (`reminders.py`).

Each reminder is written to the log table and sent in one transaction of its own: a sender
failure leaves it unsent (and unlogged) for the next run, while the reminders already sent stay
logged. The table's unique constraint (appointment, start, window) makes a second run, even one
racing this one, send nothing twice.
"""

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from otclinic.clinic.common.progress import Progress
from otclinic.clinic.scheduling.models import (
    Appointment,
    AppointmentReminder,
    AppointmentStatus,
)
from otclinic.clinic.scheduling.reminders import (
    ReminderNotSent,
    ReminderSender,
    configured_sender,
)
from otclinic.domain.scheduling.reminders import (
    Channel,
    Reminder,
    choose_channel,
    due_window,
    reminder_for,
    reminder_windows,
)

log = logging.getLogger(__name__)


@dataclass
class ReminderRun:
    """What one run did: the reminders sent, and those due that could not be."""

    sent: list[AppointmentReminder] = field(default_factory=list)
    unreachable: int = 0  # no address the sender can use
    failed: int = 0  # the sender refused; tried again next run


def _due(now: dt.datetime, widest: int) -> list[Appointment]:
    return list(
        Appointment.objects.filter(
            status=AppointmentStatus.SCHEDULED,
            patient__active=True,
            starts_at__gt=now,
            starts_at__lte=now + dt.timedelta(hours=widest),
        )
        .select_related("patient", "clinic")
        .order_by("starts_at")
    )


def _already_sent(appointment: Appointment, window: int) -> bool:
    return AppointmentReminder.objects.filter(
        appointment=appointment, starts_at=appointment.starts_at, window_hours=window
    ).exists()


def _message(appointment: Appointment, channel: Channel, to: str) -> Reminder:
    patient = appointment.patient
    return reminder_for(
        channel=channel,
        to=to,
        first_name=patient.preferred_name or patient.first_name,
        clinic=appointment.clinic.name,
        local_start=timezone.localtime(appointment.starts_at),
    )


def _deliver(
    appointment: Appointment, window: int, reminder: Reminder, sender: ReminderSender
) -> AppointmentReminder | None:
    """Log and send one reminder, or nothing when another run logged it first."""
    try:
        with transaction.atomic():
            row = AppointmentReminder.objects.create(
                organization_id=appointment.organization_id,
                appointment=appointment,
                starts_at=appointment.starts_at,
                window_hours=window,
                channel=reminder.channel,
                sent_at=timezone.now(),
            )
            sender.send(reminder)
    except IntegrityError:
        return None
    return row


def _remind(
    appointment: Appointment, window: int, sender: ReminderSender, run: ReminderRun
) -> None:
    patient = appointment.patient
    route = choose_channel(email=patient.email, phone=patient.phone, supported=sender.channels)
    if route is None:
        run.unreachable += 1
        log.info(
            "appointment reminder unreachable appointment=%s window=%sh", appointment.pk, window
        )
        return
    try:
        row = _deliver(appointment, window, _message(appointment, *route), sender)
    except ReminderNotSent as exc:
        run.failed += 1
        log.warning("appointment reminder not sent appointment=%s reason=%s", appointment.pk, exc)
        return
    if row is not None:
        run.sent.append(row)
        log.info(
            "appointment reminder sent appointment=%s window=%sh channel=%s",
            appointment.pk,
            window,
            row.channel,
        )


def reminders_send(
    *,
    now: dt.datetime | None = None,
    sender: ReminderSender | None = None,
    progress: Progress | None = None,
) -> ReminderRun:
    """Send every reminder due at `now` (default: the current time) through the sender."""
    now = now or timezone.now()
    if timezone.is_naive(now):
        raise ValueError("the reminder run's time needs a time zone")
    sender = sender or configured_sender()
    windows = reminder_windows(timezone.localdate(now))
    run = ReminderRun()
    if not windows:
        return run
    due = _due(now, max(windows))
    if progress is not None:
        progress.begin(total=len(due), step="Sending appointment reminders")
    for appointment in due:
        window = due_window(starts_at=appointment.starts_at, now=now, windows=windows)
        if window is not None and not _already_sent(appointment, window):
            _remind(appointment, window, sender, run)
        if progress is not None:
            progress.advance()
    return run
