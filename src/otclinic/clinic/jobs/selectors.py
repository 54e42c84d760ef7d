"""Reading jobs: a person sees the jobs of their organization that their role may start."""

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from otclinic.clinic.accounts.mail import mask, undelivered_for_organization
from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import organization_id_of, require, user_may
from otclinic.clinic.audit.reads import saw
from otclinic.clinic.common.errors import NotFoundForUser
from otclinic.clinic.jobs.kinds import KINDS, kind_for
from otclinic.clinic.jobs.models import JobKind, JobRun
from otclinic.domain.access import Capability


def _kinds_for(user: User) -> list[str]:
    return [kind for kind, spec in KINDS.items() if user_may(user, spec.capability)]


def jobs_for_user(*, user: User) -> QuerySet[JobRun]:
    """The organization's jobs of the kinds `user` may start, newest first; a role that may
    start none (a portal user, a therapist) is refused (403)."""
    kinds = _kinds_for(user)
    if not kinds:
        require(user, Capability.MANAGE_BILLING)
    return (
        JobRun.objects.for_org(user.organization_id)
        .filter(kind__in=kinds)
        .select_related("started_by")
        .order_by("-created_at")
    )


def job_get_for_user(*, user: User, job_id: uuid.UUID | str) -> JobRun:
    """One job of the user's organization (another's is a 404), if the user's role may start
    jobs of its kind (403 otherwise)."""
    if not getattr(user, "organization_id", None):
        raise NotFoundForUser("no such job")
    try:
        job = (
            JobRun.objects.for_org(user.organization_id).select_related("started_by").get(pk=job_id)
        )
    except (JobRun.DoesNotExist, ValueError) as exc:
        raise NotFoundForUser("no such job") from exc
    require(user, kind_for(JobKind(job.kind)).capability)
    saw([e.get("patient_id") for e in job.errors], "job results")
    return job


@dataclass(frozen=True)
class UndeliveredEmail:
    subject: str
    to: str  # masked: a***@example.org
    attempts: int
    error: str
    given_up_at: Any


def undelivered_emails_for_user(*, user: User) -> list[UndeliveredEmail]:
    """The organization's emails that the background job gave up on (addresses masked)."""
    return [
        UndeliveredEmail(
            subject=email.subject,
            to=", ".join(mask(address) for address in email.to),
            attempts=email.attempts,
            error=email.last_error,
            given_up_at=email.finished_at,
        )
        for email in undelivered_for_organization(organization_id=organization_id_of(user))
    ]
