"""The tasks the workers run (Django's Tasks framework, through the django-tasks backport).

Task arguments are JSON: a job is passed by its id, and the worker reads the rest from its
`JobRun`; a periodic run by its `PeriodicRun` id.
"""

import uuid
from typing import Any

from django_tasks import task

from otclinic.clinic.jobs.periodic import periodic_execute
from otclinic.clinic.jobs.running import job_execute

PERIODIC_QUEUE = "periodic"


@task()
def run_job(job_id: str) -> dict[str, Any]:
    """Run one user-started job (`running.job_execute`)."""
    return job_execute(job_id=uuid.UUID(job_id))


@task(queue_name=PERIODIC_QUEUE)
def run_periodic(run_id: str) -> dict[str, Any]:
    """Run one firing of a periodic job (`periodic.periodic_execute`)."""
    return periodic_execute(run_id=uuid.UUID(run_id))
