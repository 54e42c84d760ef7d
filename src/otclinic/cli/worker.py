"""`otclinic worker`: run the background jobs queued in the database (django-tasks-db's worker).

Any number of workers, on one machine or several, may share one PostgreSQL queue: each claims a
task with `SELECT ... FOR UPDATE SKIP LOCKED`, so no task runs twice. `--scheduler` also fires
the periodic jobs (`jobs/scheduler.py`); several schedulers may run, and each firing is still
queued once (docs/operations.md).
"""

import os
import signal
import subprocess
import sys
import threading
from typing import Any

import click

from otclinic.cli.clinic import setup_django


def _child_command(options: dict[str, Any], index: int) -> list[str]:
    args = [sys.executable, "-c", "from otclinic.cli import main; main()", "worker"]
    for queue in options["queues"]:
        args += ["--queue", queue]
    args += ["--interval", str(options["interval"])]
    if options["batch"]:
        args.append("--batch")
    if options["max_tasks"]:
        args += ["--max-tasks", str(options["max_tasks"])]
    if options["worker_id"]:
        args += ["--worker-id", f"{options['worker_id']}-{index}"]
    return args


def _run_children(options: dict[str, Any], concurrency: int) -> int:
    """`concurrency` worker processes; signals are passed on to them; the worst exit code."""
    children = [subprocess.Popen(_child_command(options, i)) for i in range(concurrency)]  # noqa: S603

    def forward(signum: int, frame: Any) -> None:
        for child in children:
            if child.poll() is None:
                child.send_signal(signum)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    return max(child.wait() for child in children)


def _start_scheduler(interval: float) -> threading.Event:
    from otclinic.clinic.jobs.scheduler import scheduler_loop

    stop = threading.Event()
    threading.Thread(
        target=scheduler_loop,
        args=(stop,),
        kwargs={"interval": interval},
        daemon=True,
        name="otclinic-scheduler",
    ).start()
    return stop


@click.command()
@click.option(
    "--queue",
    "queues",
    multiple=True,
    default=["*"],
    show_default=True,
    help="A queue to work on (repeat for several): default or periodic; * for every queue.",
)
@click.option(
    "--concurrency",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="How many worker processes to run (each runs one task at a time).",
)
@click.option(
    "--interval",
    type=click.FloatRange(0),
    default=1.0,
    show_default=True,
    help="Seconds to wait before looking again when the queue is empty.",
)
@click.option("--batch", is_flag=True, help="Run every queued task, then exit.")
@click.option("--max-tasks", type=click.IntRange(1), default=None, help="Exit after this many.")
@click.option("--worker-id", default=None, help="A name for this worker, unique in the pool.")
@click.option(
    "--scheduler",
    is_flag=True,
    help="Also fire the periodic jobs (reminders, alerts, audit verify) when they are due.",
)
@click.option(
    "--scheduler-interval",
    type=click.FloatRange(1),
    default=30.0,
    show_default=True,
    help="Seconds between the scheduler's looks at the schedule.",
)
def worker(
    queues: tuple[str, ...],
    concurrency: int,
    interval: float,
    batch: bool,
    max_tasks: int | None,
    worker_id: str | None,
    scheduler: bool,
    scheduler_interval: float,
) -> None:
    """Run the background jobs: billing runs, ERA imports, statements and the periodic jobs."""
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    setup_django()
    stop = _start_scheduler(scheduler_interval) if scheduler else None
    options = {
        "queues": queues,
        "interval": interval,
        "batch": batch,
        "max_tasks": max_tasks,
        "worker_id": worker_id,
    }
    try:
        if concurrency > 1:
            sys.exit(_run_children(options, concurrency))
        _run_worker(options)
    finally:
        if stop is not None:
            stop.set()


def _run_worker(options: dict[str, Any]) -> None:
    from django.core.management import call_command

    extra = {"worker_id": options["worker_id"]} if options["worker_id"] else {}
    if options["max_tasks"]:
        extra["max_tasks"] = options["max_tasks"]
    call_command(
        "db_worker",
        queue_name=",".join(options["queues"]),
        interval=options["interval"],
        batch=options["batch"],
        reload=False,
        **extra,
    )
