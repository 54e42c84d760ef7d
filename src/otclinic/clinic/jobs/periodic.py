"""The periodic jobs: the daily commands, fired by `otclinic worker --scheduler` (`scheduler`).

The schedule (in the clinic's time zone, `TIME_ZONE`; adopted 2026-12-06, docs/operations.md).
Each app registers its own entries in its `AppConfig.ready()` (the jobs app sits below them and
imports none of them, save the audit app's below it); the scheduler refuses to tick while one
of these is missing (`HookMissing`), so no periodic duty is silently dropped:

| name | when | what (the same as the command) | registered by |
|---|---|---|---|
| appointment-reminders | every 15 minutes | `otclinic schedule remind` | scheduling |
| audit-seal-reads | every 5 minutes | `otclinic audit seal` | jobs |
| audit-checkpoint | hourly, on the hour | `otclinic audit checkpoint` | jobs |
| episode-checks | daily 00:15 | (none: the pages compute a missing answer when read) | care |
| supervision-statuses | daily 00:20 | `otclinic supervision refresh` | supervision |
| audit-verify | daily 02:00 | `otclinic audit verify` | jobs |
| progress-visits | daily 02:30 | `otclinic schedule progress-visits` | scheduling |
| certification-reminders | Monday to Friday 07:00 | `otclinic care certification-reminders` | care |
| credential-alerts | daily 07:15 | `otclinic staff alerts` | staff |
| clearinghouse-exchange | every 30 minutes | `otclinic clearinghouse send` and `fetch`, every clinic | clearinghouse |
| claim-status-inquiries | Monday to Friday 06:00 | `otclinic clearinghouse status-inquire`, every clinic | clearinghouse |
| fhir-export-expiry | hourly | (none: removes expired FHIR bulk export files) | fhir.bulk |

Every periodic job is safe to run late or twice (each sends what is due once).
"""

import datetime as dt
import logging
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from otclinic.clinic.audit.checkpoints import checkpoint_write
from otclinic.clinic.audit.seals import seal_reads
from otclinic.clinic.audit.services import audit_verify
from otclinic.clinic.common.hooks import HookMissing
from otclinic.clinic.jobs.models import PeriodicRun

log = logging.getLogger(__name__)

WEEKDAYS = frozenset(range(5))
EVERY_DAY = frozenset(range(7))
SCHEDULE_NAMES = (
    "appointment-reminders",
    "audit-seal-reads",
    "audit-checkpoint",
    "episode-checks",
    "supervision-statuses",
    "audit-verify",
    "progress-visits",
    "certification-reminders",
    "credential-alerts",
    "clearinghouse-exchange",
    "claim-status-inquiries",
    "fhir-export-expiry",
)


@dataclass(frozen=True)
class Periodic:
    """One periodic job: every `every_minutes` minutes, or daily at `at` on `days` (0 = Monday)."""

    name: str
    run: Callable[[], str]
    every_minutes: int | None = None
    at: dt.time | None = None
    days: frozenset[int] = EVERY_DAY

    def last_slot(self, now: dt.datetime) -> dt.datetime | None:
        """The latest moment at or before `now` when this job was due (None: none in a week)."""
        local = timezone.localtime(now)
        if self.every_minutes is not None:
            minute = local.minute - local.minute % self.every_minutes
            return local.replace(minute=minute, second=0, microsecond=0)
        assert self.at is not None
        for back in range(8):
            day = local.date() - dt.timedelta(days=back)
            slot = timezone.make_aware(dt.datetime.combine(day, self.at))
            if slot <= local and day.weekday() in self.days:
                return slot
        return None


class AuditBroken(RuntimeError):
    """`otclinic audit verify` found the trail broken: alert the operator."""


def _audit_verify() -> str:
    report = audit_verify()
    if not report.ok:
        raise AuditBroken(f"audit trail BROKEN after {report.entries} entries: {report.problem}")
    return f"audit trail intact: {report.entries} entries verified"


def _audit_checkpoint() -> str:
    # The reads written since the last seal go into the chains first, so the checkpoint
    # covers them too.
    sealed = seal_reads()
    return f"audit checkpoint written: {checkpoint_write().name} ({sealed} reads sealed first)"


def _audit_seal_reads() -> str:
    return f"reads sealed: {seal_reads()}"


BY_NAME: dict[str, Periodic] = {
    "audit-seal-reads": Periodic("audit-seal-reads", _audit_seal_reads, every_minutes=5),
    "audit-checkpoint": Periodic("audit-checkpoint", _audit_checkpoint, every_minutes=60),
    "audit-verify": Periodic("audit-verify", _audit_verify, at=dt.time(2, 0)),
}


def periodic_register(*entries: Periodic) -> None:
    """Add an app's periodic jobs to the schedule (again replaces them)."""
    for entry in entries:
        BY_NAME[entry.name] = entry


def schedule() -> list[Periodic]:
    """Every registered periodic job; `HookMissing` while one of the table's is not."""
    missing = [name for name in SCHEDULE_NAMES if name not in BY_NAME]
    if missing:
        raise HookMissing(
            f"periodic jobs {', '.join(missing)}: nothing is registered; the app that does each "
            "registers it in its AppConfig.ready() (jobs/periodic.py names which)"
        )
    return list(BY_NAME.values())


def periodic_execute(*, run_id: uuid.UUID) -> dict[str, str]:
    """Run one firing (the worker's side); a firing that already ran is not run again."""
    run = PeriodicRun.objects.get(pk=run_id)
    if run.finished_at is not None:
        return {"status": "skipped"}
    try:
        outcome = BY_NAME[run.name].run()
    except Exception as exc:  # noqa: BLE001 - recorded on the run, then raised again
        # Only the audit check's own words (entry ids, no PHI); other errors by their class.
        text = str(exc) if isinstance(exc, AuditBroken) else f"failed: {type(exc).__name__}"
        run.ok, run.outcome = False, text[:300]
        run.finished_at = timezone.now()
        run.save(update_fields=["ok", "outcome", "finished_at", "updated_at"])
        log.error(
            "periodic job failed name=%s error=%s\n%s",
            run.name,
            type(exc).__name__,
            "".join(traceback.format_tb(exc.__traceback__)),
        )
        raise RuntimeError(f"periodic job {run.name} failed: {type(exc).__name__}") from None
    run.ok, run.outcome, run.finished_at = True, outcome[:300], timezone.now()
    run.save(update_fields=["ok", "outcome", "finished_at", "updated_at"])
    log.info("periodic job done name=%s", run.name)
    return {"status": "done", "outcome": outcome}
