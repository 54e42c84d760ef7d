"""On PostgreSQL: a one-transaction job's progress is seen while it runs, two workers never run
the same task, and two schedulers firing at once queue each periodic job once."""

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import DEFAULT_DB_ALIAS, connections

from otclinic.clinic.jobs import periodic, scheduler
from otclinic.clinic.jobs.models import JobKind, JobRun, JobStatus, PeriodicRun
from otclinic.clinic.jobs.services import job_start
from otclinic.clinic.jobs.worker import run_next_task, run_queued_tasks
from otclinic.clinic.revenue import claim_assembly
from otclinic.clinic.revenue.charges import charges_create_for_signed_notes
from tests.clinic.revenue.claims.builders import billing_practice, note

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _seen_from_elsewhere(sql: str, params: list[Any]) -> Any:
    other = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with other.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()
    finally:
        other.close()


def test_a_one_transaction_jobs_progress_is_seen_while_it_runs(
    monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    settings.OTCLINIC_JOB_PROGRESS_EVERY = 0
    monkeypatch.setattr(claim_assembly, "MAX_LINES", 1)
    b = billing_practice()
    note(b, day=dt.date(2026, 3, 10))
    note(b, day=dt.date(2026, 3, 11))
    charges_create_for_signed_notes(user=b.biller)
    job = job_start(user=b.biller, kind=JobKind.ASSEMBLE)
    real = claim_assembly._claim_from_charges
    seen: list[Any] = []

    def watched(*args: Any) -> Any:
        # Inside the job's transaction: what another connection (the job page) sees now.
        seen.append(
            _seen_from_elsewhere(
                "SELECT status, done, total, step FROM jobs_jobrun WHERE id = %s", [job.pk]
            )
        )
        seen.append(_seen_from_elsewhere("SELECT count(*) FROM revenue_claim", []))
        return real(*args)

    monkeypatch.setattr(claim_assembly, "_claim_from_charges", watched)
    assert run_queued_tasks() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    # Before the second claim: one written (not yet committed), and the page already says so.
    assert seen[2] == ("running", 1, 2, "Writing draft claims")
    assert seen[3] == (0,)


def _in_threads(work: Callable[[], Any], count: int) -> list[Any]:
    results: list[Any] = []
    barrier = threading.Barrier(count)

    def run() -> None:
        try:
            barrier.wait()
            results.append(work())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def test_two_workers_never_run_the_same_task() -> None:
    b = billing_practice()
    # Six runs (their params differ, so none is taken for a double tap of another).
    jobs = [job_start(user=b.biller, kind=JobKind.SCRUB, params={"run": n}) for n in range(6)]
    assert JobRun.objects.count() == 6

    def drain() -> int:
        ran = 0
        while run_next_task():
            ran += 1
        return ran

    counts = _in_threads(drain, 2)
    assert sum(counts) == 6
    assert set(JobRun.objects.values_list("status", flat=True)) == {JobStatus.DONE}
    assert {j.pk for j in jobs} == set(JobRun.objects.values_list("pk", flat=True))


def test_two_schedulers_at_once_queue_each_slot_once() -> None:
    now = dt.datetime(2026, 12, 3, 10, 0, tzinfo=ZoneInfo("America/New_York"))
    fired = _in_threads(lambda: scheduler.scheduler_tick(now=now), 2)
    assert sum(len(runs) for runs in fired) == len(periodic.BY_NAME)
    assert PeriodicRun.objects.count() == len(periodic.BY_NAME)
