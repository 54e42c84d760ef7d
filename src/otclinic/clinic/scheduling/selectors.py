"""Reads of the schedule, scoped to the user's organization."""

import datetime as dt
import uuid
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from otclinic.clinic.accounts.models import User
from otclinic.clinic.care.models import TreatmentNote
from otclinic.clinic.patients.models import Patient
from otclinic.clinic.payers.models import Authorization, Coverage
from otclinic.clinic.scheduling.access import visible_appointments
from otclinic.clinic.scheduling.models import (
    Appointment,
    AppointmentStatus,
    ClinicHoliday,
    WaitlistEntry,
    WaitlistStatus,
)
from otclinic.clinic.staff.models import StaffProfile
from otclinic.domain.scheduling.authorization import AuthorizedPeriod
from otclinic.domain.scheduling.conflicts import Slot
from otclinic.domain.scheduling.icalendar import CalendarEvent


def _day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    return start, start + dt.timedelta(days=1)


# What an appointment's row shows on the calendar (scheduling/blocks.py): not every column of
# six rows for each appointment listed (and fewer joins for PostgreSQL to plan). The home page
# reads its rows as columns (selectors_day.VISIT_ROW_COLUMNS).
APPOINTMENT_ROW_FIELDS = (
    "id",
    "organization_id",
    "status",
    "kind",
    "starts_at",
    "ends_at",
    "progress_report_due",
    "episode_id",
    "patient__id",
    "patient__first_name",
    "patient__last_name",
    "clinician__id",
    "clinician__credentials",
    "clinician__user__id",
    "clinician__user__first_name",
    "clinician__user__last_name",
    "clinician__user__username",
    "clinician__user__role",
    "room__id",
    "room__name",
)

# The calendar's visits also show the payer's latest eligibility answer (271) kept on the
# episode's coverage (`scheduling/blocks.eligibility_html`).
ELIGIBILITY_FIELDS = (
    "episode__id",
    "episode__coverage__id",
    "episode__coverage__eligibility_checked_at",
    "episode__coverage__eligibility_active",
    "episode__coverage__eligibility_summary",
)


def coverage_ids_booked_on(*, organization_id: uuid.UUID, day: dt.date) -> set[uuid.UUID]:
    """The coverages behind the visits booked on `day` (`payers.hooks.coverage_ids_booked_on`)."""
    start, end = _day_bounds(day)
    return set(
        Appointment.objects.for_org(organization_id)
        .filter(
            starts_at__gte=start,
            starts_at__lt=end,
            status__in=(AppointmentStatus.SCHEDULED, AppointmentStatus.CHECKED_IN),
            episode__coverage__isnull=False,
        )
        .values_list("episode__coverage_id", flat=True)
    )


def caseload_for_user(*, user: User, day: dt.date) -> QuerySet[Appointment]:
    """The user's own appointments on one day (a clinician's caseload).

    Each carries `note_id`: the clinician's note for that episode and day, when one is started.
    """
    start, end = _day_bounds(day)
    notes = TreatmentNote.objects.filter(
        episode_id=OuterRef("episode_id"), author_id=OuterRef("clinician_id"), date_of_service=day
    ).order_by("created_at")
    return (
        visible_appointments(user)
        .filter(clinician__user=user, starts_at__gte=start, starts_at__lt=end)
        .select_related("patient", "clinician__user", "room")
        .only(*APPOINTMENT_ROW_FIELDS)
        .annotate(note_id=Subquery(notes.values("pk")[:1]))
        .order_by("starts_at")
    )


def clinic_day_for_user(*, user: User, day: dt.date) -> QuerySet[Appointment]:
    """Every appointment of the organization on one day (the front desk's view)."""
    start, end = _day_bounds(day)
    return (
        visible_appointments(user)
        .filter(starts_at__gte=start, starts_at__lt=end)
        .select_related("patient", "clinician__user", "room")
        .only(*APPOINTMENT_ROW_FIELDS)
        .order_by("starts_at", "clinician__user__last_name")
    )


# --- booking checks, the waitlist and the calendar feed ------------------------------------------

HOLDS_SLOT = (
    AppointmentStatus.SCHEDULED,
    AppointmentStatus.CHECKED_IN,
    AppointmentStatus.COMPLETED,
)


def _slot(appointment: Appointment) -> Slot:
    # In the clinic's time zone, so that a refusal names the time the desk sees on the calendar.
    return Slot(
        timezone.localtime(appointment.starts_at),
        timezone.localtime(appointment.ends_at),
        appointment.clinician_id,
        appointment.patient_id,
        appointment.room_id,
        ref=appointment.pk,
    )


def overlapping_slots(
    *,
    organization_id: uuid.UUID,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    clinician_id: Any,
    patient_id: Any,
    room_id: Any = None,
) -> list[Slot]:
    """Held appointments overlapping an interval that share its clinician, patient or room."""
    shares = Q(clinician_id=clinician_id) | Q(patient_id=patient_id)
    if room_id is not None:
        shares |= Q(room_id=room_id)
    rows = Appointment.objects.for_org(organization_id).filter(
        shares, status__in=HOLDS_SLOT, starts_at__lt=ends_at, ends_at__gt=starts_at
    )
    return [_slot(a) for a in rows]


def primary_coverage_on(*, patient: Patient, day: dt.date) -> Coverage | None:
    """The patient's primary coverage in force on a day, if any."""
    return (
        Coverage.objects.for_org(patient.organization_id)
        .filter(patient=patient, priority="primary", starts_on__lte=day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .order_by("-starts_on")
        .first()
    )


def visits_used_on_coverage(*, coverage: Coverage) -> int:
    """Visits booked or completed on the coverage: appointments that hold a slot, counted once.

    Its episodes' appointments, and, for a primary coverage, the patient's appointments booked
    without an episode in its dates (booking charges those to the primary coverage of the day).
    """
    on_coverage = Q(episode__coverage=coverage)
    if coverage.priority == "primary":
        starts, _ = _day_bounds(coverage.starts_on)
        without_episode = Q(episode__isnull=True, patient_id=coverage.patient_id)
        without_episode &= Q(starts_at__gte=starts)
        if coverage.ends_on is not None:
            without_episode &= Q(starts_at__lt=_day_bounds(coverage.ends_on)[1])
        on_coverage |= without_episode
    return (
        Appointment.objects.for_org(coverage.organization_id)
        .filter(on_coverage, status__in=HOLDS_SLOT)
        .count()
    )


def holidays_for(*, clinic: Any) -> frozenset[dt.date]:
    """The days a clinic is closed: its own holidays and the organization's."""
    rows = ClinicHoliday.objects.for_org(clinic.organization_id).filter(
        Q(clinic=clinic) | Q(clinic__isnull=True)
    )
    return frozenset(rows.values_list("date", flat=True))


def _fits(entry: WaitlistEntry, appointment: Appointment) -> bool:
    local = timezone.localtime(appointment.starts_at)
    end = timezone.localtime(appointment.ends_at)
    if entry.preferred_weekdays and local.weekday() not in entry.preferred_weekdays:
        return False
    if entry.preferred_from is not None and local.time() < entry.preferred_from:
        return False
    return entry.preferred_until is None or end.time() <= entry.preferred_until


def waitlist_offers_for(*, appointment: Appointment) -> list[WaitlistEntry]:
    """Waiting entries that a freed appointment's slot suits, longest-waiting first."""
    entries = (
        WaitlistEntry.objects.for_org(appointment.organization_id)
        .filter(status=WaitlistStatus.WAITING)
        .filter(Q(clinician__isnull=True) | Q(clinician_id=appointment.clinician_id))
        .exclude(patient_id=appointment.patient_id)
        .select_related("patient")
        .order_by("created_at")
    )
    return [e for e in entries if _fits(e, appointment)]


def clinician_get_for_user(*, user: User, clinician_id: Any) -> StaffProfile:
    """A clinician of the user's organization, or 404."""
    return get_object_or_404(
        StaffProfile.objects.for_org(user.organization_id).select_related("user"),
        pk=clinician_id,
    )


def calendar_events_for(*, clinician: StaffProfile, since: dt.datetime) -> list[CalendarEvent]:
    """The clinician's appointments from `since`, as PHI-free calendar events."""
    rows = (
        Appointment.objects.for_org(clinician.organization_id)
        .filter(clinician=clinician, ends_at__gte=since)
        .select_related("clinic", "room")
        .order_by("starts_at")
    )
    return [
        CalendarEvent(
            uid=f"{a.pk}@otclinic",
            starts_at=a.starts_at,
            ends_at=a.ends_at,
            stamp=a.updated_at,
            summary=f"Patient visit ({a.get_kind_display()})",
            location=", ".join(filter(None, [a.clinic.name, a.room.name if a.room else ""])),
            cancelled=a.status in (AppointmentStatus.CANCELLED, AppointmentStatus.NO_SHOW),
        )
        for a in rows
    ]


def calendar_token_for(*, clinician: StaffProfile) -> str:
    """The secret that lets a calendar app fetch one clinician's feed without a session."""
    return salted_hmac("otclinic.scheduling.calendar", str(clinician.pk)).hexdigest()


def calendar_token_matches(*, clinician: StaffProfile, token: str) -> bool:
    return constant_time_compare(calendar_token_for(clinician=clinician), token)


def authorized_periods_for(*, coverage: Coverage, discipline: str) -> list[AuthorizedPeriod]:
    """The coverage's authorizations for `discipline`, each with the visits of that discipline
    booked or completed on the coverage between its dates."""
    rows = Authorization.objects.for_org(coverage.organization_id).filter(
        coverage=coverage, discipline=discipline
    )
    visits = Appointment.objects.for_org(coverage.organization_id).filter(
        episode__coverage=coverage, episode__discipline=discipline, status__in=HOLDS_SLOT
    )
    return [
        AuthorizedPeriod(
            number=row.number,
            discipline=row.discipline,
            visits=row.visits,
            starts_on=row.starts_on,
            ends_on=row.ends_on,
            used=visits.filter(
                starts_at__gte=_day_bounds(row.starts_on)[0],
                starts_at__lt=_day_bounds(row.ends_on)[1],
            ).count(),
        )
        for row in rows
    ]
