"""Reads behind the schedule's pages: the calendar, an appointment, the waitlist, the choices.

Every query starts from the user's organization; another organization's record is a 404, exactly
like one that does not exist. Days are the clinic's days (settings.TIME_ZONE): an appointment is
stored as an instant and shown on the local date its start falls on.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.audit.reads import saw
from otclinic.clinic.care.models import Episode
from otclinic.clinic.common.access import get_visible
from otclinic.clinic.organizations.models import Clinic
from otclinic.clinic.patients.models import Patient
from otclinic.clinic.patients.search import patients_matching
from otclinic.clinic.scheduling.access import visible_appointments
from otclinic.clinic.scheduling.calendar_rows import CalendarVisit, calendar_visits
from otclinic.clinic.scheduling.models import (
    Appointment,
    AppointmentStatus,
    ClinicHoliday,
    Room,
    WaitlistEntry,
    WaitlistStatus,
)
from otclinic.clinic.scheduling.selectors import (
    APPOINTMENT_ROW_FIELDS,
    ELIGIBILITY_FIELDS,
    overlapping_slots,
    waitlist_offers_for,
)
from otclinic.clinic.staff.models import StaffProfile
from otclinic.domain.access import Capability
from otclinic.domain.codes import Role
from otclinic.domain.patients.search import parse_query

CLINICIAN_ROLES = (Role.OT, Role.OTA, Role.PT, Role.PTA, Role.SLP)


@dataclass
class CalendarDay:
    """One local day of the calendar: its appointments in start order and any holiday."""

    day: dt.date
    is_today: bool
    holidays: list[str] = field(default_factory=list)
    closed: bool = False  # closed for the whole organization, or the location filtered on
    appointments: list[CalendarVisit] = field(default_factory=list)


def local_midnight(day: dt.date) -> dt.datetime:
    """The instant a local day starts (a DST day is 23 or 25 hours long, never shifted)."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def appointments_between(
    *, user: User, first: dt.date, last: dt.date, filters: dict[str, Any]
) -> QuerySet[Appointment]:
    rows = visible_appointments(user).filter(
        starts_at__gte=local_midnight(first),
        starts_at__lt=local_midnight(last + dt.timedelta(days=1)),
    )
    if filters.get("clinician"):
        rows = rows.filter(clinician=filters["clinician"])
    if filters.get("clinicians") is not None:
        rows = rows.filter(clinician__in=filters["clinicians"])
    if filters.get("rooms") is not None:
        rows = rows.filter(room__in=filters["rooms"])
    if filters.get("clinic"):
        rows = rows.filter(clinic=filters["clinic"])
    if filters.get("room"):
        rows = rows.filter(room=filters["room"])
    # The episode's coverage carries the payer's latest eligibility answer (271), shown on
    # each visit: joined here with only the columns shown, so no query per appointment.
    return (
        rows.select_related("patient", "clinician__user", "room", "episode__coverage")
        .only(*APPOINTMENT_ROW_FIELDS, *ELIGIBILITY_FIELDS)
        .order_by("starts_at", "clinician__user__last_name")
    )


def _holidays_between(
    *, user: User, first: dt.date, last: dt.date, clinic: Clinic | None
) -> tuple[dict[dt.date, list[str]], set[dt.date]]:
    """The holidays of each day, named, and the days they close (the whole organization, or
    the location `clinic`; another location's holiday is named but closes nothing here)."""
    rows = ClinicHoliday.objects.for_org(user.organization_id).filter(date__range=(first, last))
    if clinic is not None:
        rows = rows.filter(Q(clinic=clinic) | Q(clinic__isnull=True))
    found: dict[dt.date, list[str]] = defaultdict(list)
    closed: set[dt.date] = set()
    for holiday in rows.select_related("clinic"):
        where = f" ({holiday.clinic.name})" if holiday.clinic else ""
        found[holiday.date].append(f"{holiday.name}{where}")
        if clinic is not None or holiday.clinic_id is None:
            closed.add(holiday.date)
    return found, closed


def calendar_for_user(
    *, user: User, first: dt.date, days: int, filters: dict[str, Any], appointments: bool = True
) -> list[CalendarDay]:
    """`days` local days from `first`, each with its appointments (filtered by clinician,
    clinic and room when `filters` names them; none read when not `appointments`) and the
    holidays that close a clinic."""
    last = first + dt.timedelta(days=days - 1)
    today = timezone.localdate()
    holidays, closed = _holidays_between(
        user=user, first=first, last=last, clinic=filters.get("clinic")
    )
    calendar = {
        first + dt.timedelta(days=n): CalendarDay(
            day=first + dt.timedelta(days=n),
            is_today=first + dt.timedelta(days=n) == today,
            holidays=holidays.get(first + dt.timedelta(days=n), []),
            closed=first + dt.timedelta(days=n) in closed,
        )
        for n in range(days)
    }
    if not appointments:
        return list(calendar.values())
    tz = timezone.get_current_timezone()
    rows = appointments_between(user=user, first=first, last=last, filters=filters)
    for visit in calendar_visits(rows):
        calendar[visit.starts_at.astimezone(tz).date()].appointments.append(visit)
    return list(calendar.values())


def appointment_get_for_user(*, user: Any, appointment_id: Any) -> Appointment:
    """One appointment the user may see (scheduling.access), or 404; the view is audited.

    Who may see it is the rule of the calendar and the caseload, so any visit listed there
    opens; changing it (check-in, cancel, rebook) is the services' role check."""
    appointment = get_visible(
        visible_appointments(user).select_related(
            "patient", "clinician__user", "clinic", "room", "episode"
        ),
        appointment_id,
        what="appointment",
    )
    saw([appointment.patient_id], "appointment")
    return appointment


_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def waitlist_when(entry: WaitlistEntry) -> str:
    """When a waiting patient could come, in words: "Mon, Wed, 08:00-12:00" or "Any day"."""
    days = ", ".join(_DAY_NAMES[d] for d in sorted(entry.preferred_weekdays)) or "Any day"
    if entry.preferred_from is None and entry.preferred_until is None:
        return days
    start = f"{entry.preferred_from:%H:%M}" if entry.preferred_from else "opening"
    end = f"{entry.preferred_until:%H:%M}" if entry.preferred_until else "closing"
    return f"{days}, {start}-{end}"


def waitlist_for_user(*, user: User) -> list[tuple[WaitlistEntry, str]]:
    """The organization's waiting entries, longest-waiting first, each with when it suits."""
    require(user, Capability.SCHEDULE)
    rows = (
        WaitlistEntry.objects.for_org(user.organization_id)
        .filter(status=WaitlistStatus.WAITING)
        .select_related("patient", "clinician__user")
        .order_by("created_at")
    )
    return [(entry, waitlist_when(entry)) for entry in rows]


def waitlist_entry_get_for_user(*, user: User, waitlist_entry_id: Any) -> WaitlistEntry:
    entry = get_object_or_404(
        WaitlistEntry.objects.for_org(user.organization_id).select_related("patient"),
        pk=waitlist_entry_id,
    )
    require(user, Capability.SCHEDULE)
    return entry


# --- the choices the forms offer: the user's organization only ----------------------------------


def clinicians_for_user(*, user: User) -> QuerySet[StaffProfile]:
    """Active clinicians (OT, OTA, PT, PTA, SLP) who can be booked."""
    return (
        StaffProfile.objects.for_org(user.organization_id)
        .filter(active=True, user__role__in=[r.value for r in CLINICIAN_ROLES])
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )


def room_label(*, clinic_name: str, room_name: str) -> str:
    """A room as the pickers name it: its location first."""
    return f"{clinic_name}: {room_name}"


def clinics_for_user(*, user: User) -> QuerySet[Clinic]:
    return Clinic.objects.for_org(user.organization_id).order_by("name")


def rooms_for_user(*, user: User) -> QuerySet[Room]:
    return (
        Room.objects.for_org(user.organization_id)
        .select_related("clinic")
        .order_by("clinic__name", "name")
    )


def patients_for_user(*, user: User) -> QuerySet[Patient]:
    return Patient.objects.for_org(user.organization_id).order_by("last_name", "first_name")


def open_episodes_for_user(*, user: User) -> QuerySet[Episode]:
    """Open episodes, for booking into; the series form narrows to those with an active plan."""
    return (
        Episode.objects.for_org(user.organization_id)
        .filter(status="open")
        .select_related("patient", "therapist__user", "clinic")
        .order_by("patient__last_name", "patient__first_name")
    )


def plannable_episodes_for_user(*, user: User) -> QuerySet[Episode]:
    """Open episodes whose plan of care is active: the ones a series can be booked from."""
    return open_episodes_for_user(user=user).filter(plans__status="active").distinct()


def freed_slot_offers(*, appointment: Appointment) -> list[WaitlistEntry]:
    """Waitlist entries a cancelled or no-show appointment's slot suits, while it is still free
    (nobody else booked with the same clinician at that time)."""
    if appointment.status not in (AppointmentStatus.CANCELLED, AppointmentStatus.NO_SHOW):
        return []
    if appointment.starts_at <= timezone.now():
        return []
    retaken = overlapping_slots(
        organization_id=appointment.organization_id,
        starts_at=appointment.starts_at,
        ends_at=appointment.ends_at,
        clinician_id=appointment.clinician_id,
        patient_id=None,
    )
    if any(slot.clinician == appointment.clinician_id for slot in retaken):
        return []
    return waitlist_offers_for(appointment=appointment)


PATIENT_SEARCH_LIMIT = 20


def patients_search_for_user(
    *, user: User, query: str, limit: int = PATIENT_SEARCH_LIMIT
) -> list[Patient]:
    """The booking picker's matches: patients of the user's organization found as the patient
    search finds them (names, MRN, birth date or phone); at most `limit`, by name."""
    require(user, Capability.SCHEDULE)
    found = patients_matching(Patient.objects.for_org(user.organization_id), parse_query(query))
    return list(found[:limit])


def patient_chosen_for_user(*, user: User, patient_id: Any) -> Patient | None:
    """The picker's chosen patient, if the id is one of the user's organization's (else None)."""
    try:
        return Patient.objects.for_org(user.organization_id).filter(pk=patient_id).first()
    except (ValueError, TypeError, ValidationError):
        return None
