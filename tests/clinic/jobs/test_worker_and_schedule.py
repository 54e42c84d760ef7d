"""The worker's own loop (django-tasks-db's `db_worker`) runs a queued job to its end, and the
scheduler fires each periodic job once per slot however many schedulers run."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from otclinic.clinic.jobs import periodic, scheduler
from otclinic.clinic.jobs.models import JobKind, JobStatus, PeriodicRun
from otclinic.clinic.jobs.services import job_start
from otclinic.clinic.jobs.worker import run_queued_tasks
from otclinic.clinic.revenue.models import Charge
from tests.clinic.revenue.claims.builders import billing_practice, note

CLINIC = ZoneInfo("America/New_York")


@pytest.mark.django_db(transaction=True)
def test_the_db_worker_command_runs_a_queued_job_to_its_end() -> None:
    b = billing_practice()
    note(b)
    job = job_start(user=b.biller, kind=JobKind.CHARGES)
    # The worker's real loop, as `otclinic worker --batch` runs it: claims the task in its own
    # transaction, runs it, records the result, and exits when the queue is empty.
    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.result["counts"]["charges_created"] == 1
    assert Charge.objects.count() == 1


def _at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=CLINIC)


@pytest.mark.parametrize(
    ("name", "now", "slot"),
    [
        ("appointment-reminders", "2026-12-03T10:07:30", "2026-12-03T10:00"),
        ("appointment-reminders", "2026-12-03T10:15:00", "2026-12-03T10:15"),
        ("credential-alerts", "2026-12-03T07:14:59", "2026-12-02T07:15"),
        ("credential-alerts", "2026-12-03T07:15:00", "2026-12-03T07:15"),
        # Weekdays only: on Sunday the last certification run was Friday's.
        ("certification-reminders", "2026-12-06T09:00:00", "2026-12-04T07:00"),
    ],
)
def test_each_periodic_job_knows_its_latest_slot(name: str, now: str, slot: str) -> None:
    with time_machine.travel(_at(now)):
        assert periodic.BY_NAME[name].last_slot(_at(now)) == _at(slot)


@pytest.mark.django_db
def test_of_two_schedulers_only_one_fires_each_slot_and_a_worker_runs_it() -> None:
    now = _at("2026-12-03T10:00:00")
    fired = scheduler.scheduler_tick(now=now)
    assert sorted(run.name for run in fired) == sorted(periodic.BY_NAME)
    # A second scheduler (another worker machine) at the same moment fires nothing.
    assert scheduler.scheduler_tick(now=now + dt.timedelta(seconds=20)) == []
    assert PeriodicRun.objects.count() == len(periodic.BY_NAME)
    assert run_queued_tasks() == len(periodic.BY_NAME)
    outcomes = dict(PeriodicRun.objects.values_list("name", "outcome"))
    assert outcomes["audit-verify"].startswith("audit trail intact")
    assert outcomes["appointment-reminders"].startswith("0 reminder(s) sent")
    assert set(PeriodicRun.objects.values_list("ok", flat=True)) == {True}
    # A quarter of an hour later only the reminders and the sealing of reads are due again.
    later = scheduler.scheduler_tick(now=now + dt.timedelta(minutes=15))
    assert sorted(run.name for run in later) == ["appointment-reminders", "audit-seal-reads"]


@pytest.mark.django_db
def test_a_scheduler_that_was_down_for_days_does_not_fire_old_slots() -> None:
    run = PeriodicRun.objects.create(name="audit-verify", slot=_at("2026-11-20T02:00"))
    now = _at("2026-12-03T10:00:00")
    fired = {r.name: r.slot for r in scheduler.scheduler_tick(now=now)}
    assert fired["audit-verify"] == _at("2026-12-03T02:00")  # today's, not the missed ones
    assert PeriodicRun.objects.filter(name="audit-verify").count() == 2
    assert run.pk in PeriodicRun.objects.values_list("pk", flat=True)


@pytest.mark.django_db
def test_a_failing_periodic_job_is_recorded_without_its_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def leaks() -> str:
        raise ValueError("Doe, Jane 1950-01-01")

    monkeypatch.setattr(
        periodic,
        "BY_NAME",
        {
            **periodic.BY_NAME,
            "progress-visits": periodic.Periodic("progress-visits", leaks, at=dt.time(2, 30)),
        },
    )
    run = PeriodicRun.objects.create(name="progress-visits", slot=_at("2026-12-03T02:30"))
    with pytest.raises(RuntimeError, match="periodic job progress-visits failed: ValueError"):
        periodic.periodic_execute(run_id=run.pk)
    run.refresh_from_db()
    assert (run.ok, run.outcome) == (False, "failed: ValueError")
    assert "Doe" not in run.outcome


@pytest.mark.django_db(transaction=True)
def test_otclinic_worker_batch_runs_the_queue_and_exits() -> None:
    from click.testing import CliRunner

    from otclinic.cli.worker import worker

    b = billing_practice()
    note(b)
    job = job_start(user=b.biller, kind=JobKind.CHARGES)
    result = CliRunner().invoke(worker, ["--batch", "--queue", "default", "--interval", "0"])
    assert result.exit_code == 0, result.output
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and Charge.objects.count() == 1


@pytest.mark.django_db
def test_demo_seed_background_queues_the_seed_for_a_worker() -> None:
    from click.testing import CliRunner

    from otclinic.cli.clinic import demo

    result = CliRunner().invoke(demo, ["seed", "--background", "--scale", "2"])
    assert result.exit_code == 0, result.output
    [queued] = DBTaskResult.objects.all()
    assert queued.task_path == "otclinic.clinic.demo.tasks.seed_demo_clinic"
    assert queued.args_kwargs == {"args": [2, 2026], "kwargs": {}}
    assert f"demo seed queued as task {queued.pk}" in result.output
