"""Constraint cases for the schedule's tables (collected by test_constraints.py)."""

import datetime as dt
from collections.abc import Callable

from otclinic.clinic.scheduling.models import (
    AppointmentReminder,
    ClinicHoliday,
    ClinicHours,
    WaitlistEntry,
)
from tests.clinic import factories as f

Case = Callable[[bool], object]
_DAY = dt.date(2026, 7, 3)


def holiday_unique_per_clinic(bad: bool) -> object:
    clinic = f.ClinicFactory()
    org = clinic.organization
    ClinicHoliday.objects.create(organization=org, clinic=clinic, date=_DAY, name="Independence")
    other = clinic if bad else f.ClinicFactory(organization=org)
    return ClinicHoliday.objects.create(organization=org, clinic=other, date=_DAY, name="Again")


def holiday_unique_per_organization(bad: bool) -> object:
    org = f.OrganizationFactory()
    ClinicHoliday.objects.create(organization=org, date=_DAY, name="Independence")
    day = _DAY if bad else _DAY + dt.timedelta(days=1)
    return ClinicHoliday.objects.create(organization=org, date=day, name="Again")


def waitlist_window_ends_after_start(bad: bool) -> object:
    patient = f.PatientFactory()
    return WaitlistEntry.objects.create(
        organization=patient.organization,
        patient=patient,
        preferred_from=dt.time(14, 0),
        preferred_until=dt.time(9, 0) if bad else dt.time(17, 0),
    )


def _reminder(appointment: object, window_hours: int) -> AppointmentReminder:
    return AppointmentReminder.objects.create(
        organization=appointment.organization,  # type: ignore[attr-defined]
        appointment=appointment,
        starts_at=appointment.starts_at,  # type: ignore[attr-defined]
        window_hours=window_hours,
        channel="email",
        sent_at=dt.datetime(2026, 7, 1, 9, 0, tzinfo=dt.UTC),
    )


def appointment_reminder_once_per_window(bad: bool) -> object:
    appointment = f.AppointmentFactory()
    _reminder(appointment, 48)
    return _reminder(appointment, 48 if bad else 2)


def appointment_reminder_window_positive(bad: bool) -> object:
    return _reminder(f.AppointmentFactory(), 0 if bad else 2)


def _hours(*, closes: dt.time, slot_minutes: int) -> ClinicHours:
    clinic = f.ClinicFactory()
    return ClinicHours.objects.create(
        organization=clinic.organization,
        clinic=clinic,
        opens=dt.time(8, 0),
        closes=closes,
        slot_minutes=slot_minutes,
    )


def clinic_hours_close_after_opening(bad: bool) -> object:
    return _hours(closes=dt.time(8, 0) if bad else dt.time(17, 0), slot_minutes=30)


def clinic_hours_slot_5_to_240_minutes(bad: bool) -> object:
    return _hours(closes=dt.time(17, 0), slot_minutes=4 if bad else 15)


SCHEDULING_CASES: list[tuple[str, Case]] = [
    (name, case)
    for name, case in list(globals().items())
    if callable(case)
    and not name.startswith("_")
    and case.__module__ == __name__
    and name != "Case"
]
