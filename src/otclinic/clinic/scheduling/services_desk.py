"""The front desk's other writes: check-in, the waitlist, and booking a freed slot from it.

Booking itself (one visit or a series, with every refusal) stays in `services.py`; booking from
the waitlist goes through `services.appointment_book`, so the same checks apply.
"""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import organization_id_of, require
from otclinic.clinic.care.models import Episode, EpisodeStatus
from otclinic.clinic.common.access import require_same_organization
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.common.services import validated_save
from otclinic.clinic.patients.models import Patient
from otclinic.clinic.scheduling import services
from otclinic.clinic.scheduling.models import (
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    Visit,
    WaitlistEntry,
    WaitlistStatus,
)
from otclinic.clinic.scheduling.progress_visits import progress_visits_mark_for
from otclinic.clinic.scheduling.services import BookingRefused
from otclinic.clinic.staff.models import StaffProfile
from otclinic.domain.access import Capability

# An assistant treats under the plan of their discipline's therapist.
_DISCIPLINE_OF_ROLE = {"OT": "OT", "OTA": "OT", "PT": "PT", "PTA": "PT", "SLP": "SLP"}


class CheckInRefused(Exception):
    """Only a scheduled appointment can be checked in."""


def _same_org(user: Any, *rows: Any) -> None:
    """Another organization's record is answered like a missing one (404)."""
    require_same_organization(user, *rows)


@transaction.atomic
def appointment_check_in(*, user: User, appointment: Appointment) -> Appointment:
    """Mark the patient arrived; with an episode, open the visit that a note will document.

    Checking in twice changes nothing the second time.
    """
    require(user, Capability.SCHEDULE)
    _same_org(user, appointment)
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if appointment.status == AppointmentStatus.CHECKED_IN:
        return appointment
    if appointment.status != AppointmentStatus.SCHEDULED:
        raise CheckInRefused(
            f"the appointment is {appointment.get_status_display()}: only a scheduled one "
            "can be checked in"
        )
    appointment.status = AppointmentStatus.CHECKED_IN
    appointment.save(update_fields=["status", "updated_at"])
    if (
        appointment.episode_id is not None
        and not Visit.objects.filter(appointment=appointment).exists()
    ):
        validated_save(
            Visit(
                organization_id=appointment.organization_id,
                appointment=appointment,
                episode_id=appointment.episode_id,
                patient_id=appointment.patient_id,
                clinician_id=appointment.clinician_id,
                date_of_service=timezone.localdate(appointment.starts_at),
                checked_in_at=timezone.now(),
            )
        )
    progress_visits_mark_for(appointments=[appointment])
    return appointment


@transaction.atomic
def waitlist_add(
    *,
    user: User,
    patient: Patient,
    clinician: StaffProfile | None = None,
    weekdays: list[int] | None = None,
    preferred_from: dt.time | None = None,
    preferred_until: dt.time | None = None,
) -> WaitlistEntry:
    """Put a patient on the waitlist, for any clinician (None) and any weekday (empty)."""
    require(user, Capability.SCHEDULE)
    _same_org(user, patient, clinician)
    entry = WaitlistEntry(
        organization_id=organization_id_of(user),
        patient=patient,
        clinician=clinician,
        preferred_weekdays=sorted(set(weekdays or [])),
        preferred_from=preferred_from,
        preferred_until=preferred_until,
    )
    if preferred_from and preferred_until and preferred_until <= preferred_from:
        raise ValidationFailed({"preferred_until": ["must be later than the earliest time"]})
    validated_save(entry)
    return entry


@transaction.atomic
def waitlist_withdraw(*, user: User, entry: WaitlistEntry) -> WaitlistEntry:
    """Take a waiting entry off the list; withdrawing twice changes nothing."""
    require(user, Capability.SCHEDULE)
    _same_org(user, entry)
    entry = WaitlistEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.status == WaitlistStatus.WAITING:
        entry.status = WaitlistStatus.WITHDRAWN
        entry.save(update_fields=["status", "updated_at"])
    return entry


def _episode_for(patient: Patient, clinician: StaffProfile) -> Episode | None:
    """The patient's open episode in the clinician's discipline, if there is one."""
    discipline = _DISCIPLINE_OF_ROLE.get(clinician.user.role)
    return (
        Episode.objects.for_org(patient.organization_id)
        .filter(patient=patient, status=EpisodeStatus.OPEN, discipline=discipline)
        .first()
    )


@transaction.atomic
def appointment_book_from_waitlist(
    *, user: User, freed: Appointment, entry: WaitlistEntry
) -> Appointment:
    """Book the waitlisted patient into a cancelled appointment's slot and mark the entry
    booked: both or neither. Refusals are the booking's own (double booking, certification,
    authorization, credentials)."""
    require(user, Capability.SCHEDULE)
    _same_org(user, freed, entry)
    entry = WaitlistEntry.objects.select_for_update().select_related("patient").get(pk=entry.pk)
    if entry.status != WaitlistStatus.WAITING:
        raise BookingRefused([f"the waitlist entry is already {entry.get_status_display()}"])
    if freed.status not in (AppointmentStatus.CANCELLED, AppointmentStatus.NO_SHOW):
        raise BookingRefused(["that slot is not free: the appointment was not cancelled"])
    episode = _episode_for(entry.patient, freed.clinician)
    booked = services.appointment_book(
        user=user,
        patient=entry.patient,
        clinician=freed.clinician,
        clinic=freed.clinic,
        room=freed.room,
        episode=episode,
        # Without an open episode the waiting patient still needs their evaluation.
        kind=AppointmentKind.TREATMENT if episode else AppointmentKind.EVALUATION,
        starts_at=freed.starts_at,
        minutes=int((freed.ends_at - freed.starts_at).total_seconds() // 60),
    )
    entry.status = WaitlistStatus.BOOKED
    entry.save(update_fields=["status", "updated_at"])
    return booked
