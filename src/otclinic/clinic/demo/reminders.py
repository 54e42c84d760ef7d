"""The demo clinic's reminder history and progress-report marks, after its visits are written.

Today's visits were booked weeks ago, so their 48-hour reminders have gone out: the log gets
one row for each scheduled visit whose 48-hour window opened before the seed ran (sent at that
instant, by email or text as the patient's details allow). The 2-hour ones are left for
`otclinic schedule remind`, which prints them through the console sender. The progress-report
mark is computed for every open episode with a visit still to come, as booking would have.
Running it again adds and changes nothing. Both write in bulk, without per-row audit entries:
the seed's one audit entry records the whole operation.
"""

import datetime as dt
import uuid

from django.db.models import Q
from django.utils import timezone

from otclinic.clinic.care.models import Episode, EpisodeStatus
from otclinic.clinic.scheduling.models import (
    Appointment,
    AppointmentReminder,
    AppointmentStatus,
    ReminderChannel,
)
from otclinic.clinic.scheduling.progress_visits import progress_visits_mark_all

FIRST_WINDOW_HOURS = 48


def _channel(appointment: Appointment) -> str | None:
    if appointment.patient.email:
        return ReminderChannel.EMAIL
    return ReminderChannel.SMS if appointment.patient.phone else None


def add_reminder_history(organization_id: uuid.UUID, now: dt.datetime) -> int:
    """The 48-hour reminders already due at `now`; the number of rows added."""
    window = dt.timedelta(hours=FIRST_WINDOW_HOURS)
    due = (
        Appointment.objects.filter(
            organization_id=organization_id,
            status=AppointmentStatus.SCHEDULED,
            starts_at__gt=now,
            starts_at__lte=now + window,
        )
        .exclude(reminders__window_hours=FIRST_WINDOW_HOURS)
        .select_related("patient")
    )
    rows = [
        AppointmentReminder(
            organization_id=organization_id,
            appointment=a,
            starts_at=a.starts_at,
            window_hours=FIRST_WINDOW_HOURS,
            channel=channel,
            sent_at=a.starts_at - window,
        )
        for a in due
        if (channel := _channel(a)) is not None
    ]
    AppointmentReminder.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def mark_progress_visits(organization_id: uuid.UUID, today: dt.date) -> int:
    """The progress-report mark on each open episode with a visit from today on; how many."""
    midnight = dt.datetime.combine(today, dt.time.min, tzinfo=timezone.get_current_timezone())
    to_come = Q(
        appointments__status__in=[AppointmentStatus.SCHEDULED, AppointmentStatus.CHECKED_IN],
        appointments__starts_at__gte=midnight,
    )
    episodes = Episode.objects.filter(
        organization_id=organization_id, status=EpisodeStatus.OPEN
    ).filter(to_come)
    return progress_visits_mark_all(today=today, episodes=episodes, bulk=True)


def add_reminders_and_marks(organization_id: uuid.UUID, now: dt.datetime, today: dt.date) -> int:
    """Both, for `seed.py`: the reminder rows added (marks are recomputed, not counted)."""
    mark_progress_visits(organization_id, today)
    return add_reminder_history(organization_id, now)
