"""Running the queued jobs in a test, through the database backend, as a worker would."""

from typing import Any

from django.test import Client

from otclinic.clinic.jobs.models import JobRun
from otclinic.clinic.jobs.worker import run_queued_tasks


def job_of(response: Any) -> JobRun:
    """The job a view queued: it answers with a redirect to the job's page."""
    assert response.status_code == 302, response.status_code
    assert response["Location"].startswith("/jobs/"), response["Location"]
    return JobRun.objects.get(pk=response["Location"].split("/")[2])


def finish(client: Client, response: Any) -> str:
    """Let a worker run what the view queued, then the job page as the person now sees it."""
    job = job_of(response)
    run_queued_tasks()
    page = client.get(f"/jobs/{job.pk}/")
    assert page.status_code == 200
    return page.content.decode()
