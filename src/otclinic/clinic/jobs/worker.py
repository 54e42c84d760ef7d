"""Running queued tasks in this process: for tests, and for the browser tests' worker thread.

`otclinic worker` runs django-tasks-db's own worker loop (`db_worker`). This module runs the
same claim-and-run steps, one task at a time, without that loop's connection housekeeping
(`close_old_connections` would close a test's transaction) and without signal handlers (which
only the main thread may install).
"""

from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

IN_PROCESS = "in-process"


def _worker(backend: str) -> Worker:
    return Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name=backend,
        startup_delay=False,
        max_tasks=None,
        worker_id=IN_PROCESS,
        excluded_queue_names=[],
    )


def run_next_task(*, backend: str = "default") -> bool:
    """Claim and run the next ready task, as a worker would; False when none is ready."""
    tasks = DBTaskResult.objects.ready().filter(backend_name=backend)
    with exclusive_transaction(tasks.db):
        task_result = tasks.get_locked()
        if task_result is not None:
            task_result.claim(IN_PROCESS)
    if task_result is None:
        return False
    _worker(backend).run_task(task_result)
    return True


def run_queued_tasks(*, backend: str = "default", limit: int = 1000) -> int:
    """Run ready tasks until none is left (at most `limit`); how many ran."""
    ran = 0
    while ran < limit and run_next_task(backend=backend):
        ran += 1
    return ran
