"""Starting a background job: with `running`, the only writers of `JobRun`.

`job_start` records the job and puts its task on the queue in one transaction: with the
database backend the queue row commits (or rolls back) with the job record, so a job is never
queued without its record nor recorded without being queued. What the worker runs is
`running.job_execute`.
"""

import logging
from typing import Any

from django.db import transaction

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import organization_id_of, require
from otclinic.clinic.jobs.kinds import kind_for
from otclinic.clinic.jobs.models import JobKind, JobRun, JobStatus
from otclinic.clinic.jobs.tasks import run_job

log = logging.getLogger(__name__)


@transaction.atomic
def job_start(
    *,
    user: User,
    kind: JobKind,
    params: dict[str, Any] | None = None,
    payload: bytes | None = None,
) -> JobRun:
    """Record a job for `user`'s organization and queue it for a worker."""
    require(user, kind_for(kind).capability)
    if payload is None:
        # A double-tapped button: the same run still waiting for a worker is the answer. (Not
        # a running one: a worker stopped mid-job leaves it running, and it must be startable.)
        pending = (
            JobRun.objects.for_org(user.organization_id)
            .filter(kind=kind, status=JobStatus.QUEUED, params=params or {})
            .first()
        )
        if pending is not None:
            return pending
    job = JobRun.objects.create(
        organization_id=organization_id_of(user),
        kind=kind,
        started_by=user,
        params=params or {},
        payload=payload,
        step="Waiting for a worker",
    )
    queued = run_job.enqueue(str(job.pk))
    JobRun.objects.filter(pk=job.pk).update(task_result_id=str(queued.id))
    job.refresh_from_db()
    log.info("job queued job=%s kind=%s", job.pk, kind)
    return job
