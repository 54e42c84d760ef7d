"""A job worker beside the browser tests' live server, outside its requests.

The live server answers one request after another on the test's single in-memory SQLite
connection (`demo_data.OneRequestAtATime`). The worker is a thread that uses the same connection
and takes the same lock: it claims and runs one queued task while no request is being answered,
exactly as `otclinic worker` would with its own connection. A request never runs a billing job:
the page that starts one only queues it, and the htmx poll of the job's page finds it done.

While a job works through its units, each progress write lets the server answer a waiting
request, when no transaction is open (between two notes of "create charges"); a job that is one
transaction (assembling claims) keeps the lock until it commits, since a request answered in the
middle of it would run inside its transaction.
"""

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

# One request, or one step of a job, at a time on the shared connection.
SHARED_CONNECTION = threading.Lock()


class JobWorker:
    """The running worker; `held()` keeps it from starting a task (to see a job wait)."""

    def __init__(self) -> None:
        self.holding = threading.Event()

    @contextmanager
    def held(self) -> Iterator[None]:
        self.holding.set()
        try:
            yield
        finally:
            self.holding.clear()


def job_done(page: Any, summary: str | re.Pattern[str]) -> None:
    """Wait (as the person does, on the job's page polled by htmx) until the job is done and
    its summary shows."""
    from playwright.sync_api import expect

    expect(page.locator("#job-status-h")).to_have_text("Done", timeout=30_000)
    expect(page.get_by_role("status")).to_contain_text(summary)


@contextmanager
def job_worker_running(*, poll: float = 0.1) -> Iterator[JobWorker]:
    from otclinic.clinic.jobs import progress
    from otclinic.clinic.jobs.worker import run_next_task

    connection = connections[DEFAULT_DB_ALIAS]
    connection.inc_thread_sharing()
    stop = threading.Event()

    def let_a_request_in() -> None:
        if threading.current_thread() is worker and not connection.in_atomic_block:
            SHARED_CONNECTION.release()
            SHARED_CONNECTION.acquire()

    def work() -> None:
        connections[DEFAULT_DB_ALIAS] = connection
        while not stop.is_set():
            ran = False
            if not control.holding.is_set():
                with SHARED_CONNECTION:
                    ran = run_next_task()
            if not ran:
                stop.wait(poll)

    control = JobWorker()

    worker = threading.Thread(target=work, name="otclinic-test-job-worker", daemon=True)
    progress.after_write.append(let_a_request_in)
    worker.start()
    try:
        yield control
    finally:
        stop.set()
        worker.join(30)
        progress.after_write.remove(let_a_request_in)
        connection.dec_thread_sharing()
