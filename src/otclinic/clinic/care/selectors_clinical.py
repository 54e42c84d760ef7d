"""Reads of the therapist's documents, always through the user's organization.

Another organization's record is answered exactly like one that does not exist (404). Every
due date shown comes from the domain's `check_episode` run on `adapters.episode_facts`.
"""

import datetime as dt
import uuid
from typing import Any, TypeVar

from django.db.models import Model

from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.audit.models import AuditAction
from otclinic.clinic.audit.services import audit_record
from otclinic.clinic.care.adapters import EPISODE_PREFETCH, EPISODE_SELECT, episode_facts
from otclinic.clinic.care.models import (
    DischargeSummary,
    Episode,
    EpisodeDocument,
    Evaluation,
    Goal,
    PlanOfCare,
    PlanStatus,
    ProgressReport,
)
from otclinic.clinic.common.errors import NotFoundForUser
from otclinic.clinic.payers.adapters import policy_for_payer
from otclinic.clinic.referrals.models import Referral
from otclinic.domain.access import Capability
from otclinic.domain.compliance.episode import check_episode
from otclinic.domain.compliance.episode_model import EpisodeResult

M = TypeVar("M", bound=Model)


def _get(model: type[M], *, user: Any, pk: uuid.UUID | str, what: str, **related: Any) -> M:
    require(user, Capability.VIEW_CHART)
    qs = model._default_manager.filter(organization_id=user.organization_id)  # type: ignore[attr-defined]
    if related.get("select"):
        qs = qs.select_related(*related["select"])
    try:
        return qs.get(pk=pk)  # type: ignore[no-any-return]
    except (model.DoesNotExist, ValueError, TypeError) as exc:  # type: ignore[attr-defined]
        raise NotFoundForUser(f"no such {what}") from exc


def episode_get_for_user(*, user: Any, episode_id: uuid.UUID | str) -> Episode:
    """One episode of the user's organization, with what the episode check reads, or 404."""
    require(user, Capability.VIEW_CHART)
    try:
        return (
            Episode.objects.for_org(user.organization_id)
            .select_related(*EPISODE_SELECT, "therapist__user", "clinic")
            .prefetch_related(*EPISODE_PREFETCH)
            .get(pk=episode_id)
        )
    except (Episode.DoesNotExist, ValueError) as exc:
        raise NotFoundForUser("no such episode") from exc


def referral_get_for_user(*, user: Any, referral_id: uuid.UUID | str) -> Referral:
    return _get(Referral, user=user, pk=referral_id, what="referral", select=("patient",))


def evaluation_get_for_user(*, user: Any, evaluation_id: uuid.UUID | str) -> Evaluation:
    return _get(
        Evaluation, user=user, pk=evaluation_id, what="evaluation", select=("episode__patient",)
    )


def plan_get_for_user(*, user: Any, plan_id: uuid.UUID | str) -> PlanOfCare:
    return _get(
        PlanOfCare,
        user=user,
        pk=plan_id,
        what="plan of care",
        select=("episode__patient", "certifying_physician"),
    )


def goal_get_for_user(*, user: Any, goal_id: uuid.UUID | str) -> Goal:
    return _get(Goal, user=user, pk=goal_id, what="goal", select=("plan__episode",))


def progress_report_get_for_user(*, user: Any, report_id: uuid.UUID | str) -> ProgressReport:
    return _get(
        ProgressReport,
        user=user,
        pk=report_id,
        what="progress report",
        select=("episode__patient",),
    )


def discharge_get_for_user(*, user: Any, discharge_id: uuid.UUID | str) -> DischargeSummary:
    return _get(
        DischargeSummary,
        user=user,
        pk=discharge_id,
        what="discharge summary",
        select=("episode__patient",),
    )


def document_get_for_user(*, user: Any, document_id: uuid.UUID | str) -> EpisodeDocument:
    return _get(
        EpisodeDocument, user=user, pk=document_id, what="document", select=("episode__patient",)
    )


def document_open_for_user(*, user: Any, document_id: uuid.UUID | str) -> EpisodeDocument:
    """A document to download; opening it is recorded in the audit trail."""
    document = document_get_for_user(user=user, document_id=document_id)
    audit_record(
        action=AuditAction.VIEW,
        object_type="care.episodedocument",
        object_id=document.pk,
        organization_id=document.organization_id,
        patient_id=document.episode.patient_id,
        detail="download",
    )
    return document


def active_plan(episode: Episode) -> PlanOfCare | None:
    return next((p for p in episode.plans.all() if p.status == PlanStatus.ACTIVE), None)


def latest_plan(episode: Episode) -> PlanOfCare | None:
    return max(episode.plans.all(), key=lambda p: p.version, default=None)


def episode_check_for(episode: Episode, *, as_of: dt.date) -> EpisodeResult | None:
    """The episode check's answer for a stored episode (None before it has a plan of care)."""
    facts = episode_facts(episode, as_of=as_of)
    if facts is None:
        return None
    payer = episode.coverage.payer if episode.coverage else None
    return check_episode(facts, policy=policy_for_payer(payer))


def reload_episode(episode: Episode) -> Episode:
    """The episode again with everything the episode check reads, after a write."""
    return (
        Episode.objects.select_related(*EPISODE_SELECT)
        .prefetch_related(*EPISODE_PREFETCH)
        .get(pk=episode.pk)
    )
