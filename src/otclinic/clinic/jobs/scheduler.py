"""The scheduler of the periodic jobs (`periodic`): a thread of `otclinic worker --scheduler`.

Any number of schedulers may run (one per worker machine, for redundancy): each firing is a
`PeriodicRun` row whose unique key is (name, slot), so of several schedulers that see the same
slot exactly one inserts the row and queues the task; the others get an integrity error and
pass. A scheduler that was down fires only the latest slot it missed, and only within a day.
"""

import datetime as dt
import logging
import threading

from django.db import IntegrityError, close_old_connections, transaction
from django.utils import timezone

from otclinic.clinic.jobs.models import PeriodicRun
from otclinic.clinic.jobs.periodic import schedule
from otclinic.clinic.jobs.tasks import run_periodic

log = logging.getLogger(__name__)

GRACE = dt.timedelta(hours=24)


def scheduler_tick(*, now: dt.datetime | None = None) -> list[PeriodicRun]:
    """Fire every periodic job whose latest slot has not fired yet; the runs this call fired."""
    now = now or timezone.now()
    fired = []
    for entry in schedule():
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
