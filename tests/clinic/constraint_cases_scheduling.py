"""Constraint cases for the schedule's tables (collected by test_constraints.py)."""

import datetime as dt
from collections.abc import Callable

from otclinic.clinic.scheduling.models import ClinicHoliday, WaitlistEntry
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


SCHEDULING_CASES: list[tuple[str, Case]] = [
    (name, case)
    for name, case in list(globals().items())
    if callable(case)
    and not name.startswith("_")
    and case.__module__ == __name__
    and name != "Case"
]
