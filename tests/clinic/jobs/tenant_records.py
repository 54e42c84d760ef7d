"""One job of a tenant for tests/clinic/test_tenant_isolation.py: its ID_KINDS names it for
the URLs that take job_id. Its errors carry the patient's name, a secret the walk looks for."""

from typing import Any

from otclinic.clinic.jobs.models import JobKind, JobRun, JobStatus


def _job(t: Any) -> JobRun:
    made = t.__dict__.setdefault("_made", {})
    if "job" not in made:
        made["job"] = JobRun.objects.create(
            organization=t.org,
            kind=JobKind.CHARGES,
            started_by=t.user,
            status=JobStatus.DONE,
            result={"summary": "1 charge(s) created from 1 signed note(s)."},
            errors=[{"message": "left aside", "patient": t.patient.last_name, "url": ""}],
        )
    return made["job"]


ID_KINDS = {"job_id": lambda t: _job(t).pk}
