"""How a long service reports its progress, without knowing who listens.

A service that works through many rows takes `progress: Progress | None = None` and, when given
one, says how much there is (`begin`), how far it got (`advance`) and what it had to leave aside
(`problem`, naming the note or claim so that the person can open it). The background job that
runs the service (`jobs.progress.JobProgress`) keeps these cheaply, writing them at most once a
second; called from the command line or a test, the service is given none and pays nothing.
"""

import datetime as dt
from typing import Any, Protocol


class Progress(Protocol):
    def begin(self, *, total: int | None, step: str) -> None:
        """The work about to start: how many units (None when unknown) and what, in words."""

    def advance(self, count: int = 1, *, step: str | None = None) -> None:
        """`count` more units done (and, optionally, what is being done now)."""

    def problem(
        self,
        *,
        message: str,
        note: Any = None,
        claim: Any = None,
        patient: Any = None,
        date_of_service: dt.date | None = None,
    ) -> None:
        """A unit left aside, with the note or claim (or patient and date) it concerns."""
