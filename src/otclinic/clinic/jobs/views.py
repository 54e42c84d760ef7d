"""The job pages: one job with its progress (polled by htmx until it ends), and the list.

Thin: one selector, render. The progress partial is the same template's `progress` partial, so
the page and what the poll swaps in never drift apart.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from otclinic.clinic.accounts.http import AuthenticatedHttpRequest
from otclinic.clinic.jobs import selectors
from otclinic.clinic.jobs.models import JobRun

PAGE = "jobs/job.html"


@login_required
@require_GET
def job_detail(request: AuthenticatedHttpRequest, job_id: str) -> HttpResponse:
    job = selectors.job_get_for_user(user=request.user, job_id=job_id)
    return render(request, PAGE, {"job": job})


@login_required
@require_GET
def job_progress(request: AuthenticatedHttpRequest, job_id: str) -> HttpResponse:
    job = selectors.job_get_for_user(user=request.user, job_id=job_id)
    return render(request, f"{PAGE}#progress", {"job": job})


@login_required
@require_GET
def job_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    jobs = selectors.jobs_for_user(user=request.user)[:50]
    undelivered = selectors.undelivered_emails_for_user(user=request.user)
    return render(request, "jobs/list.html", {"jobs": jobs, "undelivered": undelivered})


def job_page(job: JobRun) -> HttpResponse:
    """Where a view that started `job` sends the person: the job's page, which shows progress."""
    return redirect("job-detail", job_id=job.pk)
