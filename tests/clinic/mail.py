"""Emails in tests: they leave through a background job, after the writer's transaction commits.

A test runs inside a transaction that never commits, so `emails_sent()` runs its block the way
a request or a periodic job runs: the block's on-commit callbacks fire at its end (queueing
the emails), and then the worker runs what is queued, which sends them to Django's test outbox.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.test import TestCase

from otclinic.clinic.jobs.worker import run_queued_tasks


@contextmanager
def emails_sent() -> Iterator[None]:
    with TestCase.captureOnCommitCallbacks(execute=True):
        yield
    run_queued_tasks()
