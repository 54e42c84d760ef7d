"""Undoing a cancellation or a no-show: the appointment is booked again, with every check.

When may it be undone (docs/scheduling.md, "Undoing a cancellation or a no-show"):

- a cancellation while the appointment's start is still ahead: a slot in the past cannot be
  given back to anyone;
- a no-show on the appointment's own day (in the clinic's time zone): the patient who turns up
  late, or the desk that clicked the wrong button, is put right the same day; a later day's
  correction is a matter for the record, not the schedule.

Undoing re-runs the booking's checks (credentials, supervision, double booking, certification,
authorization). If the slot was given to someone else meanwhile, typically from the waitlist,
the refusal names who holds it. The appointment goes back to "scheduled" (a no-show is not
"checked in": the desk checks the patient in as usual). Undoing twice changes nothing.
"""

from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.common.access import require_same_organization
from otclinic.clinic.scheduling import services
from otclinic.clinic.scheduling.models import Appointment, AppointmentStatus
from otclinic.clinic.scheduling.progress_visits import progress_visits_mark_for
from otclinic.clinic.scheduling.services import BookingRefused
from otclinic.domain.access import Capability

_HELD = (AppointmentStatus.SCHEDULED, AppointmentStatus.CHECKED_IN)


def undo_refusal(appointment: Appointment, *, now: Any = None) -> str | None:
    """Why this appointment's cancellation or no-show may not be undone now (None: it may).

    The appointment page asks this to decide whether to offer the button; the service asks it
    again under the row lock."""
    now = now or timezone.now()
    if appointment.status == AppointmentStatus.CANCELLED:
        if appointment.starts_at <= now:
            return "a cancellation can be undone only while the appointment's time is ahead"
        return None
    if appointment.status == AppointmentStatus.NO_SHOW:
        if timezone.localdate(appointment.starts_at) != timezone.localdate(now):
            return "a no-show can be undone only on the appointment's own day"
        return None
    return f"the appointment is {appointment.get_status_display()}, not cancelled or a no-show"


def _holders(appointment: Appointment) -> list[str]:
    """Who now holds the slot: each held appointment sharing its clinician, patient or room."""
    shares = Q(clinician_id=appointment.clinician_id) | Q(patient_id=appointment.patient_id)
    if appointment.room_id is not None:
        shares |= Q(room_id=appointment.room_id)
    rows = (
        Appointment.objects.for_org(appointment.organization_id)
        .filter(
            shares,
            status__in=_HELD,
            starts_at__lt=appointment.ends_at,
            ends_at__gt=appointment.starts_at,
        )
        .exclude(pk=appointment.pk)
        .select_related("patient", "clinician__user", "room")
    )
    reasons = []
    for other in rows:
        start = timezone.localtime(other.starts_at)
        end = timezone.localtime(other.ends_at)
        reasons.append(
            f"the slot is now held by {other.patient} with {other.clinician}"
            f"{f' in {other.room}' if other.room_id else ''}, "
            f"{start:%Y-%m-%d %H:%M}-{end:%H:%M}"
        )
    return reasons


@transaction.atomic
def appointment_undo_cancel(*, user: User, appointment: Appointment) -> Appointment:
    """Book a cancelled or no-show appointment again, or raise BookingRefused naming why not."""
    require(user, Capability.SCHEDULE)
    require_same_organization(user, appointment)
    appointment = (
        # Lock the appointment row only: room and episode are outer joins.
        Appointment.objects.select_for_update(of=("self",))
        .select_related("patient", "clinician__user", "clinic", "room", "episode")
        .get(pk=appointment.pk)
    )
    if appointment.status in _HELD:
        return appointment  # undone already: twice is harmless
    refusal = undo_refusal(appointment)
    if refusal:
        raise BookingRefused([refusal])
    booking_problems = services.rebooking_problems(appointment)
    holders = _holders(appointment)
    problems = [
        *holders,
        *[p for p in booking_problems if not (holders and "already booked" in p)],
    ]
    if problems:
        raise BookingRefused(problems)
    appointment.status = AppointmentStatus.SCHEDULED
    appointment.cancel_reason = ""
    appointment.save(update_fields=["status", "cancel_reason", "updated_at"])
    progress_visits_mark_for(appointments=[appointment])
    return appointment
