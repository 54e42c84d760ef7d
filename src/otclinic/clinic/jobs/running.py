"""Running a queued job to its end (the worker's side): with `services`, the only writers of
`JobRun`.

`job_execute` marks the job running, calls the kind's runner with a `JobProgress`, and records
the result, or the failure, at the end. Each kind decides its own transactions (for the billing
run, `revenue.job_runners`); a job that fails leaves nothing half-written and can be started
again.
"""

import logging
import traceback
import uuid
from typing import Any

from django.utils import timezone

from otclinic.clinic.jobs.kinds import JobProblems, kind_for
from otclinic.clinic.jobs.models import JobKind, JobRun, JobStatus
from otclinic.clinic.jobs.progress import JobProgress

log = logging.getLogger(__name__)


class JobFailed(RuntimeError):
    """A job stopped on an unexpected error; the job record says so, without the details that
    might carry a patient's data (they stay out of the task queue's traceback and the logs)."""


def job_execute(*, job_id: uuid.UUID) -> dict[str, Any]:
    """Run a queued job to its end (the worker's side). A job that already ran is left alone,
    so a task delivered twice does the work once."""
    claimed = JobRun.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now(), step="Starting"
    )
    if not claimed:
        return {"status": "skipped"}
    job = JobRun.objects.select_related("started_by__organization").get(pk=job_id)
    progress = JobProgress(job_id=job.pk)
    try:
        result = kind_for(JobKind(job.kind)).run(job=job, user=job.started_by, progress=progress)
    except JobProblems as exc:
        progress.close()
        _finish(job, progress, JobStatus.FAILED, failure=str(exc), extra_errors=exc.errors)
        return {"status": JobStatus.FAILED}
    except Exception as exc:  # noqa: BLE001 - recorded on the job, then raised again
        progress.close()
        # The frames, not the message: an error's words may quote a patient's data.
        log.error(
            "job failed job=%s kind=%s error=%s\n%s",
            job.pk,
            job.kind,
            type(exc).__name__,
            "".join(traceback.format_tb(exc.__traceback__)),
        )
        _finish(job, progress, JobStatus.FAILED, failure=_failure_text(exc))
        raise JobFailed(f"job {job.pk} ({job.kind}) failed: {type(exc).__name__}") from None
    progress.close()
    _finish(job, progress, JobStatus.DONE, result=result)
    return {"status": JobStatus.DONE}


def _failure_text(exc: Exception) -> str:
    return (
        f"The job stopped on an unexpected error ({type(exc).__name__}); nothing it was doing "
        "was kept. Start it again, or tell your administrator if it fails again."
    )


def _finish(
    job: JobRun,
    progress: JobProgress,
    status: JobStatus,
    *,
    result: dict[str, Any] | None = None,
    failure: str = "",
    extra_errors: list[dict[str, Any]] | None = None,
) -> None:
    job.refresh_from_db()
    job.status = status
    job.done, job.total = progress.done, progress.total
    job.step = "Done" if status is JobStatus.DONE else "Stopped"
    job.errors = progress.errors + (extra_errors or [])
    job.result = result or {}
    job.failure = failure[:300]
    job.payload = None  # the uploaded file was posted (or refused): it is not kept twice
    job.finished_at = timezone.now()
    job.save()
    log.info("job finished job=%s kind=%s status=%s", job.pk, job.kind, status)
