"""What the portal shows of one patient, read through a Grant (portal.access.grant_get).

Only finished work reaches the portal: measures from signed notes, signed progress reports
and the signed discharge; documents the therapist chose to share; booked visits still to come.
The goal's text is shown as the therapist wrote it, with its status in everyday words.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from otclinic.clinic.audit.reads import saw
from otclinic.clinic.care.models import (
    DocumentKind,
    DocumentStatus,
    Episode,
    EpisodeDocument,
    Goal,
    GoalAssessment,
    GoalProgress,
    NoteStatus,
    PlanOfCare,
    PlanStatus,
)
from otclinic.clinic.care.plots import GoalPoint, GoalSeries, goal_plot_svg
from otclinic.clinic.common.errors import NotFoundForUser
from otclinic.clinic.portal.access import Grant
from otclinic.clinic.scheduling.models import Appointment, AppointmentStatus

PLAIN_STATUS = {
    "active": "Working on it",
    "met": "Reached",
    "partially_met": "Partly reached",
    "not_met": "Not reached",
    "discontinued": "Stopped",
}
FINISHED_NOTES = (NoteStatus.SIGNED, NoteStatus.COSIGN_PENDING, NoteStatus.COSIGNED)
SHARED_KINDS = (DocumentKind.HOME_PROGRAM, DocumentKind.CAREGIVER_HANDOUT)


@dataclass(frozen=True)
class PortalGoal:
    goal: Goal
    status: str
    svg: str  # with a <title> and a <desc> that say the chart in words
    points: tuple[GoalPoint, ...]
    latest: GoalPoint | None


@dataclass(frozen=True)
class PortalEpisode:
    episode: Episode
    goals: list[PortalGoal]


def _fmt(value: Decimal) -> str:
    return f"{value.normalize():f}"


def goals_for(grant: Grant) -> list[PortalEpisode]:
    """Each episode's current goals with their measures, the open episodes first."""
    episodes = (
        Episode.objects.filter(patient=grant.patient, organization_id=grant.patient.organization_id)
        .select_related("therapist__user")
        .prefetch_related("plans__goals")
        .order_by("-started_on")
    )
    result = []
    for episode in episodes:
        plans = list(episode.plans.all())
        plan = next((p for p in plans if p.status == PlanStatus.ACTIVE), None) or max(
            plans, key=lambda p: p.version, default=None
        )
        if plan is None:
            continue
        result.append(
            PortalEpisode(episode, [_portal_goal(g, plan, plans) for g in plan.goals.all()])
        )
    return sorted(result, key=lambda e: e.episode.status != "open")


def _lineage(goal: Goal) -> tuple[str, str, str]:
    # A revised plan copies its goals; the same goal across versions shares one line of measures.
    return (goal.term, goal.measure.strip().lower(), goal.description.strip().lower())


def _portal_goal(goal: Goal, plan: PlanOfCare, plans: list[PlanOfCare]) -> PortalGoal:
    same = [g.pk for p in plans for g in p.goals.all() if _lineage(g) == _lineage(goal)]
    points = [GoalPoint(plan.established_on, goal.baseline, "baseline")]
    progress = GoalProgress.objects.filter(
        goal_id__in=same, value__isnull=False, note__status__in=FINISHED_NOTES
    ).select_related("note")
    points += [
        GoalPoint(gp.note.date_of_service, gp.value, "visit")
        for gp in progress
        if gp.value is not None  # (the query's filter)
    ]
    assessed = GoalAssessment.objects.filter(goal_id__in=same, value__isnull=False).filter(
        Q(progress_report__status=DocumentStatus.SIGNED)
        | Q(discharge__status=DocumentStatus.SIGNED)
    )
    for a in assessed.select_related("progress_report", "discharge"):
        if a.value is None:  # (the query's filter)
            continue
        if a.progress_report is not None:
            points.append(GoalPoint(a.progress_report.report_date, a.value, "progress report"))
        elif a.discharge is not None:
            points.append(GoalPoint(a.discharge.discharge_date, a.value, "discharge"))
    ordered = tuple(sorted(points, key=lambda p: p.day))
    series = GoalSeries(
        plot_id=f"portal-goal-{goal.pk}",
        label=f"Progress: {goal.description}",
        measure=goal.measure,
        unit=goal.unit,
        baseline=goal.baseline,
        target=goal.target,
        start=plan.established_on,
        target_date=goal.target_date,
        points=ordered,
    )
    measured = [p for p in ordered if p.source != "baseline"]
    return PortalGoal(
        goal=goal,
        status=PLAIN_STATUS.get(goal.status, goal.get_status_display()),
        svg=goal_plot_svg(series),
        points=ordered,
        latest=measured[-1] if measured else None,
    )


def documents_for(grant: Grant) -> list[EpisodeDocument]:
    """The home programs and caregiver handouts the therapist shared, newest first."""
    return list(_shared_documents(grant).order_by("-created_at"))


def _shared_documents(grant: Grant) -> QuerySet[EpisodeDocument]:
    return EpisodeDocument.objects.filter(
        organization_id=grant.patient.organization_id,
        episode__patient=grant.patient,
        shared_with_portal=True,
        kind__in=SHARED_KINDS,
    )


def document_open(grant: Grant, *, document_id: Any) -> EpisodeDocument:
    """One shared document to download, or 404; opening it is recorded in the audit trail."""
    try:
        document = _shared_documents(grant).get(pk=document_id)
    except (EpisodeDocument.DoesNotExist, ValueError) as exc:
        raise NotFoundForUser("no such document") from exc
    saw([grant.patient.pk], "portal download")
    return document


def appointments_for(grant: Grant, *, now: dt.datetime, limit: int = 20) -> list[Appointment]:
    """Booked visits still to come, soonest first (cancelled ones are not shown)."""
    return list(
        Appointment.objects.filter(
            organization_id=grant.patient.organization_id,
            patient=grant.patient,
            status=AppointmentStatus.SCHEDULED,
            starts_at__gte=now,
        )
        .select_related("clinician__user", "clinic")
        .order_by("starts_at")[:limit]
    )
