"""Reads of the therapist's documents, always through the user's organization.

Another organization's record is answered exactly like one that does not exist (404). What the
episode page and the chart show of each episode (what is due, goals, documents, the timeline)
is read by `selectors_overview`.
"""

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import require, user_may
from otclinic.clinic.audit.reads import saw
from otclinic.clinic.care import episode_checks
from otclinic.clinic.care.access import visible_documents, visible_episodes
from otclinic.clinic.care.adapters import EPISODE_PREFETCH, EPISODE_SELECT
from otclinic.clinic.care.models import (
    DischargeSummary,
    Episode,
    EpisodeDocument,
    EpisodeStatus,
    Evaluation,
    Goal,
    PhysicianDelivery,
    PlanOfCare,
    PlanStatus,
    ProgressReport,
)
from otclinic.clinic.common.access import get_visible
from otclinic.clinic.common.errors import NotFoundForUser
from otclinic.clinic.patients.models import Patient
from otclinic.clinic.referrals.models import Referral, ReferringPhysician
from otclinic.domain.access import Capability
from otclinic.domain.care.assessments import MeasureSet, age_on, condition_of, measure_set_for
from otclinic.domain.compliance.episode_model import EpisodeResult

M = TypeVar("M", bound=Model)


def _get(model: type[M], *, user: User, pk: uuid.UUID | str, what: str, **related: Any) -> M:
    require(user, Capability.VIEW_CHART)
    qs = model._default_manager.filter(organization_id=user.organization_id)
    if related.get("select"):
        qs = qs.select_related(*related["select"])
    try:
        return qs.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:  # the model's DoesNotExist
        raise NotFoundForUser(f"no such {what}") from exc


def episode_list_for_chart(*, user: User, patient: Patient) -> list[Episode]:
    """A patient's episodes as the chart lists them (discipline, dates, status, therapist,
    clinic), in one query; their overviews are a section of their own (`selectors_overview.episodes_for_chart`)."""
    require(user, Capability.VIEW_CHART)
    return list(
        visible_episodes(user)
        .filter(patient=patient)
        .select_related("therapist__user", "clinic")
        .order_by("-started_on", "pk")
    )


def referral_get_for_user(*, user: User, referral_id: uuid.UUID | str) -> Referral:
    return _get(Referral, user=user, pk=referral_id, what="referral", select=("patient",))


def evaluation_get_for_user(*, user: User, evaluation_id: uuid.UUID | str) -> Evaluation:
    return _get(
        Evaluation, user=user, pk=evaluation_id, what="evaluation", select=("episode__patient",)
    )


def plan_get_for_user(*, user: User, plan_id: uuid.UUID | str) -> PlanOfCare:
    return _get(
        PlanOfCare,
        user=user,
        pk=plan_id,
        what="plan of care",
        select=("episode__patient", "certifying_physician"),
    )


def goal_get_for_user(*, user: User, goal_id: uuid.UUID | str) -> Goal:
    return _get(Goal, user=user, pk=goal_id, what="goal", select=("plan__episode",))


def progress_report_get_for_user(*, user: User, report_id: uuid.UUID | str) -> ProgressReport:
    return _get(
        ProgressReport,
        user=user,
        pk=report_id,
        what="progress report",
        select=("episode__patient",),
    )


def discharge_get_for_user(*, user: User, discharge_id: uuid.UUID | str) -> DischargeSummary:
    return _get(
        DischargeSummary,
        user=user,
        pk=discharge_id,
        what="discharge summary",
        select=("episode__patient",),
    )


def document_get_for_user(*, user: Any, document_id: uuid.UUID | str) -> EpisodeDocument:
    """One document the user may see (care.access), or 404."""
    require(user, Capability.VIEW_CHART)
    documents = visible_documents(user).select_related("episode__patient")
    return get_visible(documents, document_id, what="document")


def delivery_get_for_user(
    *, user: Any, delivery_id: uuid.UUID | str, episode_id: uuid.UUID | None = None
) -> PhysicianDelivery:
    """One sending of a document (of this episode, when given) that the user may see
    (care.access), or 404."""
    require(user, Capability.VIEW_CHART)
    deliveries = PhysicianDelivery.objects.for_org(user.organization_id).filter(
        document__in=visible_documents(user)
    )
    if episode_id is not None:
        deliveries = deliveries.filter(document__episode_id=episode_id)
    return get_visible(
        deliveries.select_related("document", "physician"), delivery_id, what="delivery"
    )


def record_deliveries(record: Any) -> list[PhysicianDelivery]:
    """What became of each sending of a signed record's PDF (`services.record_sending`),
    newest first; the caller has opened the record through its own selector."""
    return list(
        PhysicianDelivery.objects.for_org(record.organization_id)
        .filter(document__source_id=record.pk, document__episode_id=record.episode_id)
        .select_related("physician", "document")
        .order_by("-created_at")
    )


def document_open_for_user(*, user: User, document_id: uuid.UUID | str) -> EpisodeDocument:
    """A document to download; opening it is recorded in the audit trail."""
    document = document_get_for_user(user=user, document_id=document_id)
    saw([document.episode.patient_id], "document download")
    return document


def referrals_to_evaluate(*, user: User, referrals: list[Referral]) -> list[Referral]:
    """The referrals in the user's discipline that no evaluation answers yet, for the chart's
    "Start evaluation": one query, and none for a user who does not evaluate or a chart without
    a referral in their discipline."""
    if not user_may(user, Capability.EVALUATE):
        return []
    theirs = [r for r in referrals if r.discipline == user.role]
    if not theirs:
        return []
    evaluated = set(
        Evaluation.objects.filter(episode__referral_id__in=[r.pk for r in theirs]).values_list(
            "episode__referral_id", flat=True
        )
    )
    return [r for r in theirs if r.pk not in evaluated]


def open_episode_for_referral(referral: Referral) -> Episode | None:
    """The open episode of the referral's patient and discipline, if one is open."""
    return (
        Episode.objects.filter(
            patient_id=referral.patient_id,
            discipline=referral.discipline,
            status=EpisodeStatus.OPEN,
        )
        .order_by("-started_on")
        .first()
    )


@dataclass(frozen=True)
class MeasuresOffered:
    """The measure set an evaluation offers, and the age and condition that chose it."""

    measure_set: MeasureSet
    age: int
    condition: str


def measures_offered(episode: Episode, *, as_of: dt.date) -> MeasuresOffered:
    """The measures for the patient's age and condition (their referral's and problem list's
    diagnoses)."""
    patient = episode.patient
    codes = list(patient.diagnoses.filter(resolved_on__isnull=True).values_list("code", flat=True))
    if episode.referral is not None:
        codes += list(episode.referral.diagnosis_codes or [])
    age = age_on(patient.birth_date, as_of)
    return MeasuresOffered(
        measure_set=measure_set_for(age=age, diagnosis_codes=codes),
        age=age,
        condition=condition_of(codes).replace("_", " "),
    )


def active_plan(episode: Episode) -> PlanOfCare | None:
    return next((p for p in episode.plans.all() if p.status == PlanStatus.ACTIVE), None)


def latest_plan(episode: Episode) -> PlanOfCare | None:
    return max(episode.plans.all(), key=lambda p: p.version, default=None)


def physician_of(record: Any) -> ReferringPhysician | None:
    """Who receives the record: the plan's certifying physician, else the referring one."""
    plan = latest_plan(record.episode)
    if plan is not None and plan.certifying_physician is not None:
        return plan.certifying_physician
    referral = record.episode.referral
    return referral.physician if referral is not None else None


def episode_check_for(episode: Episode, *, as_of: dt.date) -> EpisodeResult | None:
    """The episode check's answer for a stored episode (None before it has a plan of care),
    computed now from its documents (services that write read it inside their transaction)."""
    return episode_checks.live_result(episode, as_of=as_of)


def reload_episode(episode: Episode) -> Episode:
    """The episode again with everything the episode check reads, after a write."""
    return (
        Episode.objects.select_related(*EPISODE_SELECT)
        .prefetch_related(*EPISODE_PREFETCH)
        .get(pk=episode.pk)
    )
