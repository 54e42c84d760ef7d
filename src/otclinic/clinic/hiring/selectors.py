"""Reads for hiring: only users who may manage staff, only their organization's rows.

Applicants are private personal data: opening one is recorded in the audit trail.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import organization_id_of, require
from otclinic.clinic.audit.models import AuditAction
from otclinic.clinic.audit.services import audit_record
from otclinic.clinic.common.errors import NotFoundForUser
from otclinic.clinic.hiring.adapters import settings_for
from otclinic.clinic.hiring.models import (
    Applicant,
    ClaimedLicense,
    HiringSettings,
    JobPosting,
    LicenseLookup,
)
from otclinic.clinic.organizations.models import Clinic
from otclinic.domain.access import Capability
from otclinic.domain.hiring.pipeline import PIPELINE_ORDER, Stage


def postings_for_user(*, user: User) -> QuerySet[JobPosting]:
    require(user, Capability.MANAGE_STAFF)
    return (
        JobPosting.objects.for_org(user.organization_id)
        .select_related("clinic")
        .annotate(
            applicant_count=Count("applicants"),
            active_count=Count(
                "applicants", filter=~Q(applicants__stage__in=[Stage.HIRED, Stage.DECLINED])
            ),
        )
    )


def posting_get_for_user(*, user: User, posting_id: Any) -> JobPosting:
    """One posting of the user's organization (404 otherwise), for staff managers (403)."""
    posting = (
        JobPosting.objects.for_org(user.organization_id)
        .select_related("clinic")
        .filter(pk=posting_id)
        .first()
    )
    if posting is None:
        raise NotFoundForUser("No such posting.")
    require(user, Capability.MANAGE_STAFF)
    return posting


@dataclass(frozen=True)
class Column:
    stage: Stage
    applicants: list[Applicant]


def pipeline_board(*, posting: JobPosting) -> list[Column]:
    """The posting's applicants in one column per stage, in pipeline order."""
    by_stage: dict[str, list[Applicant]] = {s.value: [] for s in PIPELINE_ORDER}
    for applicant in posting.applicants.order_by("stage_changed_at"):
        by_stage[applicant.stage].append(applicant)
    return [Column(stage, by_stage[stage.value]) for stage in PIPELINE_ORDER]


def applicant_get_for_user(*, user: User, applicant_id: Any, record_view: bool = True) -> Applicant:
    """One applicant of the user's organization (404 otherwise), for staff managers (403).

    Opening an applicant is recorded in the audit trail, like opening a chart.
    """
    applicant = (
        Applicant.objects.for_org(user.organization_id)
        .select_related("posting__clinic", "staff_profile__user", "stage_changed_by")
        .filter(pk=applicant_id)
        .first()
    )
    if applicant is None:
        raise NotFoundForUser("No such applicant.")
    require(user, Capability.MANAGE_STAFF)
    if record_view:
        audit_record(
            action=AuditAction.VIEW,
            object_type="hiring.applicant",
            object_id=applicant.pk,
            organization_id=applicant.organization_id,
        )
    return applicant


def applicant_licenses(applicant: Applicant) -> QuerySet[ClaimedLicense]:
    lookups = LicenseLookup.objects.select_related("looked_up_by").order_by(
        "-looked_up_on", "-created_at"
    )
    # The plugin does not follow a Prefetch given to a related manager (django-stubs 5.2).
    return applicant.licenses.prefetch_related(Prefetch("lookups", queryset=lookups))  # type: ignore[arg-type]


def settings_for_user(*, user: User) -> HiringSettings:
    """The practice's hiring settings, or otclinic's defaults (unsaved) when it has none."""
    require(user, Capability.MANAGE_STAFF)
    return settings_for(organization_id_of(user), on=timezone.localdate())


def clinics_for_user(*, user: User) -> QuerySet[Clinic]:
    return Clinic.objects.filter(organization_id=organization_id_of(user))
