"""The kinds of job: who may start each and what it runs.

The apps whose services a job runs register the kind in their `AppConfig.ready()` (the jobs app
sits below them and imports none of them): the billing run's kinds are `revenue.job_runners`,
which says how each uses transactions. Starting or running a kind that no app registered
raises `HookMissing`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from otclinic.clinic.common.hooks import HookMissing
from otclinic.clinic.jobs.models import JobKind
from otclinic.domain.access import Capability


class JobProblems(ValueError):
    """The job refused its work as a whole (nothing was written); `errors` says why, each
    naming what to fix."""

    def __init__(self, message: str, errors: list[dict[str, Any]]) -> None:
        super().__init__(message)
        self.errors = errors


Runner = Callable[..., dict[str, Any]]


@dataclass(frozen=True)
class Kind:
    capability: Capability
    run: Runner


KINDS: dict[JobKind, Kind] = {}


def kind_register(kind: JobKind, *, capability: Capability, run: Runner) -> None:
    """Name who may start `kind` and what it runs (again replaces it)."""
    KINDS[kind] = Kind(capability, run)


def kind_for(kind: JobKind) -> Kind:
    """The registered kind; `HookMissing` when no app registered it."""
    try:
        return KINDS[kind]
    except KeyError:
        raise HookMissing(
            f"job kind {kind.value!r}: nothing is registered; the app whose services it runs "
            "registers it in its AppConfig.ready()"
        ) from None


def link(label: str, name: str, *args: Any) -> dict[str, str]:
    """A link for a job's result page."""
    return {"label": label, "url": reverse(name, args=args)}
