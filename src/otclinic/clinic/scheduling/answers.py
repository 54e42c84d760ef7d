"""The questions lower apps ask that scheduling answers (common.hooks), and its periodic jobs
(appointment reminders, progress-report visits), registered when Django starts
(`SchedulingConfig.ready`)."""

import datetime as dt

from otclinic.clinic.jobs.periodic import Periodic, periodic_register
from otclinic.clinic.payers.hooks import coverage_ids_booked_on
from otclinic.clinic.scheduling.progress_visits import progress_visits_mark_all
from otclinic.clinic.scheduling.selectors import coverage_ids_booked_on as booked_coverage_ids
from otclinic.clinic.scheduling.services_reminders import reminders_send


def _reminders() -> str:
    run = reminders_send()
    return (
        f"{len(run.sent)} reminder(s) sent; {run.unreachable} due without a way to reach the "
        f"patient; {run.failed} not sent (tried again next run)"
    )


def _progress_visits() -> str:
    return f"{progress_visits_mark_all()} episode(s) have a progress-report visit on the book"


def register() -> None:
    coverage_ids_booked_on.register(booked_coverage_ids)
    periodic_register(
        Periodic("appointment-reminders", _reminders, every_minutes=15),
        Periodic("progress-visits", _progress_visits, at=dt.time(2, 30)),
    )
