"""Constraint cases for the background jobs' tables (collected by test_constraints.py)."""

import datetime as dt
from collections.abc import Callable

from otclinic.clinic.jobs.models import JobRun, PeriodicRun
from tests.clinic import factories as f

Case = Callable[[bool], object]
SLOT = dt.datetime(2026, 12, 3, 7, 15, tzinfo=dt.UTC)


def _job(**fields: object) -> JobRun:
    user = f.staff_user(organization=f.OrganizationFactory(), role="biller")
    values = {"organization": user.organization, "started_by": user, "kind": "charges", **fields}
    return JobRun.objects.create(**values)


def jobrun_status_known(bad: bool) -> object:
    return _job(status="halfway" if bad else "running")


def jobrun_kind_known(bad: bool) -> object:
    return _job(kind="payroll" if bad else "export")


def periodic_run_once_per_slot(bad: bool) -> object:
    PeriodicRun.objects.create(name="credential-alerts", slot=SLOT)
    later = SLOT if bad else SLOT + dt.timedelta(days=1)
    return PeriodicRun.objects.create(name="credential-alerts", slot=later)


JOBS_CASES: list[tuple[str, Case]] = [
    ("jobrun_status_known", jobrun_status_known),
    ("jobrun_kind_known", jobrun_kind_known),
    ("periodic_run_once_per_slot", periodic_run_once_per_slot),
]
