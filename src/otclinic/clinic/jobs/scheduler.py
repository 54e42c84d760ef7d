"""The periodic jobs: the daily commands, fired by `otclinic worker --scheduler`.

The schedule (in the clinic's time zone, `TIME_ZONE`; adopted 2026-12-06, docs/operations.md):

| name | when | what (the same as the command) |
|---|---|---|
| appointment-reminders | every 15 minutes | `otclinic schedule remind` |
| audit-checkpoint | hourly, on the hour | `otclinic audit checkpoint` |
| episode-checks | daily 00:15 | (none: the pages compute a missing answer when read) |
| supervision-statuses | daily 00:20 | `otclinic supervision refresh` |
| audit-verify | daily 02:00 | `otclinic audit verify` |
| progress-visits | daily 02:30 | `otclinic schedule progress-visits` |
| certification-reminders | Monday to Friday 07:00 | `otclinic care certification-reminders` |
| credential-alerts | daily 07:15 | `otclinic staff alerts` |
| clearinghouse-exchange | every 30 minutes | `otclinic clearinghouse send` and `fetch`, every clinic |
| claim-status-inquiries | Monday to Friday 06:00 | `otclinic clearinghouse status-inquire`, every clinic |

Any number of schedulers may run (one per worker machine, for redundancy): each firing is a
`PeriodicRun` row whose unique key is (name, slot), so of several schedulers that see the same
slot exactly one inserts the row and queues the task; the others get an integrity error and
pass. A scheduler that was down fires only the latest slot it missed, and only within a day;
every periodic job is safe to run late or twice (each sends what is due once).
"""

import datetime as dt
import logging
import threading
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, close_old_connections, transaction
from django.utils import timezone

from otclinic.clinic.jobs.models import PeriodicRun

log = logging.getLogger(__name__)

GRACE = dt.timedelta(hours=24)
WEEKDAYS = frozenset(range(5))
EVERY_DAY = frozenset(range(7))


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


def _reminders() -> str:
    from otclinic.clinic.scheduling.services_reminders import reminders_send

    run = reminders_send()
    return (
        f"{len(run.sent)} reminder(s) sent; {run.unreachable} due without a way to reach the "
        f"patient; {run.failed} not sent (tried again next run)"
    )


def _progress_visits() -> str:
    from otclinic.clinic.scheduling.progress_visits import progress_visits_mark_all

    return f"{progress_visits_mark_all()} episode(s) have a progress-report visit on the book"


def _episode_checks() -> str:
    from otclinic.clinic.care.episode_checks import refresh_open_episodes

    computed = refresh_open_episodes(as_of=timezone.localdate())
    return f"{computed} open episode(s) had their episode check computed for the day"


def _supervision_statuses() -> str:
    from otclinic.clinic.supervision.stored import refresh_all

    otas = refresh_all(as_of=timezone.localdate())
    return f"{otas} OTA(s) have a supervision status current for the day"


def _certification() -> str:
    from otclinic.clinic.care.services.clinical.certification_reminders import (
        certification_reminders_send,
    )

    sent = certification_reminders_send(today=timezone.localdate())
    return f"{len(sent)} certification reminder(s) sent"


def _credentials() -> str:
    from otclinic.clinic.staff.services import ce_shortfall_alerts_send, credential_alerts_send

    today = timezone.localdate()
    sent = credential_alerts_send(today=today)
    short = ce_shortfall_alerts_send(today=today)
    return f"{len(sent)} credential alert(s) and {len(short)} continuing-education alert(s) sent"


def _clearinghouse_exchange() -> str:
    from otclinic.clinic.clearinghouse.transport import exchange_all

    return exchange_all()


def _claim_status_inquiries() -> str:
    from otclinic.clinic.clearinghouse.transport import status_inquire_all

    return status_inquire_all()


class AuditBroken(RuntimeError):
    """`otclinic audit verify` found the trail broken: alert the operator."""


def _audit_verify() -> str:
    from otclinic.clinic.audit.services import audit_verify

    report = audit_verify()
    if not report.ok:
        raise AuditBroken(f"audit trail BROKEN after {report.entries} entries: {report.problem}")
    return f"audit trail intact: {report.entries} entries verified"


def _audit_checkpoint() -> str:
    from otclinic.clinic.audit.checkpoints import checkpoint_write

    return f"audit checkpoint written: {checkpoint_write().name}"


SCHEDULE: tuple[Periodic, ...] = (
    Periodic("appointment-reminders", _reminders, every_minutes=15),
    Periodic("audit-checkpoint", _audit_checkpoint, every_minutes=60),
    Periodic("episode-checks", _episode_checks, at=dt.time(0, 15)),
    Periodic("supervision-statuses", _supervision_statuses, at=dt.time(0, 20)),
    Periodic("audit-verify", _audit_verify, at=dt.time(2, 0)),
    Periodic("progress-visits", _progress_visits, at=dt.time(2, 30)),
    Periodic("certification-reminders", _certification, at=dt.time(7, 0), days=WEEKDAYS),
    Periodic("credential-alerts", _credentials, at=dt.time(7, 15)),
    Periodic("clearinghouse-exchange", _clearinghouse_exchange, every_minutes=30),
    Periodic("claim-status-inquiries", _claim_status_inquiries, at=dt.time(6, 0), days=WEEKDAYS),
)
BY_NAME = {entry.name: entry for entry in SCHEDULE}


def scheduler_tick(*, now: dt.datetime | None = None) -> list[PeriodicRun]:
    """Fire every periodic job whose latest slot has not fired yet; the runs this call fired."""
    from otclinic.clinic.jobs.tasks import run_periodic

    now = now or timezone.now()
    fired = []
    for entry in SCHEDULE:
        slot = entry.last_slot(now)
        if slot is None or now - slot > GRACE:
            continue
        if PeriodicRun.objects.filter(name=entry.name, slot=slot).exists():
            continue
        try:
            with transaction.atomic():
                run = PeriodicRun.objects.create(name=entry.name, slot=slot)
                queued = run_periodic.enqueue(str(run.pk))
                run.task_result_id = str(queued.id)
                run.save(update_fields=["task_result_id", "updated_at"])
        except IntegrityError:
            continue  # another scheduler fired this slot first
        log.info("periodic job queued name=%s slot=%s", entry.name, slot.isoformat())
        fired.append(run)
    return fired


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


def scheduler_loop(stop: threading.Event, *, interval: float = 30.0) -> None:
    """Tick every `interval` seconds until `stop` is set (a thread of `otclinic worker`)."""
    while not stop.is_set():
        try:
            scheduler_tick()
        except Exception:
            log.exception("scheduler tick failed")
        finally:
            close_old_connections()
        stop.wait(interval)
