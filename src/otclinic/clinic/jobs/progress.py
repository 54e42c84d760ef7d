"""A running job's progress, written to its `JobRun` at most once every
`OTCLINIC_JOB_PROGRESS_EVERY` seconds (never a write per row).

The writes are updates of the progress columns only: bookkeeping, not a change to a clinical or
financial record, and so not audited (the job's creation and its end are). Between units of work
they go through the job's own connection. Inside a job that runs as one transaction (assembling
claims) they would stay invisible until it commits, so on PostgreSQL they go through a second
connection of their own, which commits each at once; SQLite has one writer at a time, so there
the progress of such a job is kept and written when its transaction ends. The job's end is
written after its work commits or rolls back.
"""

import datetime as dt
import json
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.urls import reverse

from otclinic.clinic.jobs.models import JobRun

# Called after each write; the browser tests hook it to let the live server answer between units.
after_write: list[Callable[[], None]] = []


class JobProgress:
    """The `common.progress.Progress` of one `JobRun`."""

    def __init__(
        self,
        *,
        job_id: uuid.UUID,
        every: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.job_id = job_id
        self.every = settings.OTCLINIC_JOB_PROGRESS_EVERY if every is None else every
        self.clock = clock
        self.done = 0
        self.total: int | None = None
        self.step = ""
        self.errors: list[dict[str, Any]] = []
        self.writes = 0
        self._written_at: float | None = None
        self._aside: BaseDatabaseWrapper | None = None
        # Transactions open when the job started (a test's own): deeper ones are the job's.
        self._depth = len(connections[DEFAULT_DB_ALIAS].atomic_blocks)

    def begin(self, *, total: int | None, step: str) -> None:
        self.total, self.step = total, step[:200]
        self.flush()

    def advance(self, count: int = 1, *, step: str | None = None) -> None:
        self.done += count
        if step is not None:
            self.step = step[:200]
        if self._written_at is None or self.clock() - self._written_at >= self.every:
            self.flush()

    def problem(
        self,
        *,
        message: str,
        note: Any = None,
        claim: Any = None,
        patient: Any = None,
        date_of_service: dt.date | None = None,
    ) -> None:
        self.errors.append(
            error_entry(
                message=message,
                note=note,
                claim=claim,
                patient=patient,
                date_of_service=date_of_service,
            )
        )

    def flush(self) -> None:
        connection = connections[DEFAULT_DB_ALIAS]
        if len(connection.atomic_blocks) <= self._depth:
            JobRun.objects.filter(pk=self.job_id).update(
                done=self.done, total=self.total, step=self.step, errors=self.errors
            )
        elif connection.vendor == "postgresql":
            self._write_aside()
        else:
            return  # SQLite, inside the job's transaction: written when it ends
        self.writes += 1
        self._written_at = self.clock()
        for hook in after_write:
            hook()

    def _write_aside(self) -> None:
        """The progress through a connection of its own (autocommit), seen at once."""
        if self._aside is None:
            self._aside = connections.create_connection(DEFAULT_DB_ALIAS)
        with self._aside.cursor() as cursor:
            cursor.execute(
                f"UPDATE {JobRun._meta.db_table} SET done = %s, total = %s, step = %s, "  # noqa: S608 - the table name is ours
                "errors = %s::jsonb WHERE id = %s",
                [self.done, self.total, self.step, json.dumps(self.errors), self.job_id],
            )

    def close(self) -> None:
        """Close the connection of its own, if one was opened."""
        if self._aside is not None:
            self._aside.close()
            self._aside = None


def _name(patient: Any) -> str:
    return f"{patient.last_name}, {patient.first_name}"


def error_entry(
    *,
    message: str,
    note: Any = None,
    claim: Any = None,
    patient: Any = None,
    date_of_service: dt.date | None = None,
) -> dict[str, Any]:
    """One error as the job page shows it: the patient, the date of service, and a link to the
    note (or the claim) to correct."""
    url = ""
    if note is not None:
        patient = patient or note.episode.patient
        date_of_service = date_of_service or note.date_of_service
        url = reverse("note-detail", args=[note.pk])
    elif claim is not None:
        patient = patient or claim.patient
        date_of_service = date_of_service or claim.first_service_on
        url = reverse("claim-detail", args=[claim.pk])
    return {
        "message": message,
        "patient": _name(patient) if patient is not None else "",
        "patient_id": str(patient.pk) if patient is not None else "",
        "date_of_service": date_of_service.isoformat() if date_of_service else "",
        "url": url,
    }
