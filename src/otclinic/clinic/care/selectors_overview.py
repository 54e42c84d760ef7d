"""The episode overview: what the episode page and the chart's episodes section show of an
episode (what is due, goals with their plots, documents, the timeline), read in a fixed number
of queries however many documents the episodes hold.

Every due date shown comes from the domain's `check_episode` run on `adapters.episode_facts`.
"""

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Exists, Model, OuterRef, Prefetch, prefetch_related_objects
from django.utils import timezone

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import require, user_may
from otclinic.clinic.care.access import visible_episodes
from otclinic.clinic.care.adapters import EPISODE_PREFETCH, EPISODE_SELECT
from otclinic.clinic.care.models import (
    DischargeSummary,
    Episode,
    EpisodeDocument,
    EpisodeStatus,
    Goal,
    GoalAssessment,
    GoalProgress,
    PlanOfCare,
    Recertification,
)
from otclinic.clinic.care.plots import GoalPoint, GoalSeries, goal_plot_svg
from otclinic.clinic.care.selectors_clinical import active_plan, episode_check_for, latest_plan
from otclinic.clinic.care.timeline_html import timeline_items
from otclinic.clinic.common.access import get_visible
from otclinic.clinic.common.models import PrefetchLookup
from otclinic.clinic.patients.models import Patient
from otclinic.domain.access import Capability
from otclinic.domain.care.goals import GoalFacts, GoalState, goal_state, overdue_text
from otclinic.domain.compliance.episode_model import EpisodeResult
from otclinic.domain.compliance.findings import Finding, Severity

# What `episode_overview` reads beyond the episode check: documents, and every plan's goals with
# their measured values (from notes, progress reports and the discharge).
OVERVIEW_PREFETCH: tuple[PrefetchLookup, ...] = (
    *EPISODE_PREFETCH,
    "documents",
    "plans__goals",
    # Only what a plot reads of each measurement: its value and its document's date (the
    # note's, report's or discharge's whole row would be read for one date).
    Prefetch(
        "plans__goals__progress",
        queryset=GoalProgress.objects.filter(value__isnull=False)
        .select_related("note")
        .only("goal", "value", "note__date_of_service"),
    ),
    Prefetch(
        "plans__goals__assessments",
        queryset=GoalAssessment.objects.filter(value__isnull=False)
        .select_related("progress_report", "discharge")
        .only(
            "goal",
            "value",
            "progress_report__report_date",
            "discharge__discharge_date",
        ),
    ),
)


def episode_get_for_user(*, user: User, episode_id: uuid.UUID | str) -> Episode:
    """One episode of the user's organization, with what the episode check reads, or 404."""
    require(user, Capability.VIEW_CHART)
    episodes = (
        visible_episodes(user)
        .select_related(*EPISODE_SELECT, "therapist__user", "clinic")
        .prefetch_related(*OVERVIEW_PREFETCH)
    )
    return get_visible(episodes, episode_id, what="episode")


def episodes_for_chart(*, user: User, patient: Patient) -> list[Episode]:
    """A patient's episodes with everything their overviews read (`episode_overview`), in a
    fixed number of queries however many notes, plans and goals they hold; a relation that
    none of the episodes has (`OFTEN_EMPTY`) is known empty from the episodes' own query and
    not read."""
    require(user, Capability.VIEW_CHART)
    episodes = list(
        visible_episodes(user)
        .filter(patient=patient)
        # The patient is at hand: not read again with each episode.
        .select_related(*_OTHER_THAN_PATIENT, "therapist__user", "clinic")
        .annotate(
            **{
                _has(name): Exists(model._default_manager.filter(episode=OuterRef("pk")))
                for name, model in OFTEN_EMPTY.items()
            }
        )
        .order_by("-started_on", "pk")
    )
    for episode in episodes:
        episode.patient = patient
    absent = {name for name in OFTEN_EMPTY if not any(getattr(e, _has(name)) for e in episodes)}
    prefetch_related_objects(
        episodes,
        *(lookup for lookup in OVERVIEW_PREFETCH if _lookup_root(lookup) not in absent),
        # An empty queryset fills each episode's cache with nothing and sends no query.
        *(Prefetch(name, queryset=OFTEN_EMPTY[name]._default_manager.none()) for name in absent),
    )
    return episodes


_OTHER_THAN_PATIENT = tuple(name for name in EPISODE_SELECT if name != "patient")

# What most episodes lack: a recertification, a discharge summary (until the end of the
# episode), an uploaded document. Whether each episode has one is a column of the episodes'
# query (an EXISTS), cheaper than a query of its own that finds nothing.
OFTEN_EMPTY: dict[str, type[Model]] = {
    "recertifications": Recertification,
    "discharge": DischargeSummary,
    "documents": EpisodeDocument,
}


def _has(relation: str) -> str:
    return f"has_{relation}"


def _lookup_root(lookup: PrefetchLookup) -> str:
    path = lookup.prefetch_through if isinstance(lookup, Prefetch) else lookup
    return path.split("__")[0]


@dataclass(frozen=True)
class TimelineEntry:
    day: dt.date
    kind: str
    text: str
    url: str = ""


@dataclass(frozen=True)
class DueLine:
    css: str  # "err" or "warn"
    text: str
    finding: Finding | None = None  # shown in plain words, the rule behind "Why?"


@dataclass(frozen=True)
class GoalView:
    goal: Goal
    svg: str
    points: int
    state: GoalState = GoalState.IN_PROGRESS


def episode_timeline(episode: Episode) -> list[TimelineEntry]:
    """Every dated event of the episode, oldest first."""
    entries = [TimelineEntry(episode.started_on, "episode", "Episode opened")]
    for e in episode.evaluations.all():
        text = f"{e.get_kind_display()} {e.code}{'' if e.signed_at else ' (unsigned)'}"
        entries.append(
            TimelineEntry(e.performed_on, "evaluation", text, f"/care/evaluations/{e.pk}/")
        )
    for plan in episode.plans.all():
        entries.extend(_plan_entries(plan))
    for r in episode.recertifications.all():
        entries.append(
            TimelineEntry(r.certified_on, "certification", f"Recertified through {r.through}")
        )
    for note in episode.notes.all():
        billing = ", not billable" if note.not_billable else ""
        entries.append(
            TimelineEntry(
                note.date_of_service,
                "note",
                f"Treatment note ({note.get_status_display().lower()}{billing})",
            )
        )
    for report in episode.progress_reports.all():
        text = f"Progress report ({report.get_status_display().lower()})"
        entries.append(
            TimelineEntry(report.report_date, "progress", text, f"/care/progress/{report.pk}/")
        )
    discharge = _discharge_of(episode)
    if discharge is not None:
        entries.append(
            TimelineEntry(
                discharge.discharge_date,
                "discharge",
                f"Discharged: {discharge.get_reason_display()}",
            )
        )
    for document in episode.documents.all():
        entries.append(
            TimelineEntry(
                timezone.localdate(document.created_at),
                "document",
                document.title,
                f"/care/documents/{document.pk}/",
            )
        )
    return sorted(entries, key=lambda e: (e.day, _KIND_ORDER.get(e.kind, 9)))


_KIND_ORDER = {
    "episode": 0,
    "evaluation": 1,
    "plan": 2,
    "certification": 3,
    "note": 4,
    "progress": 5,
    "discharge": 6,
    "document": 7,
}


def _plan_entries(plan: PlanOfCare) -> list[TimelineEntry]:
    url = f"/care/plans/{plan.pk}/"
    day = plan.established_on if plan.version == 1 else (plan.certified_on or plan.established_on)
    entries = [
        TimelineEntry(
            day, "plan", f"Plan of care v{plan.version} ({plan.get_status_display().lower()})", url
        )
    ]
    for field, text in (
        ("sent_to_physician_on", "Plan sent to physician"),
        ("verbal_certification_on", "Verbal certification"),
        ("certified_on", "Certification signed"),
    ):
        value = getattr(plan, field)
        if value and plan.version == 1:
            entries.append(TimelineEntry(value, "certification", text, url))
    return entries


def _discharge_of(episode: Episode) -> DischargeSummary | None:
    try:
        return episode.discharge
    except ObjectDoesNotExist:
        return None


def due_lines(result: EpisodeResult | None, *, episode: Episode) -> list[DueLine]:
    """What the episode check says is owed: its errors and warnings, and the next due dates."""
    if result is None:
        return [DueLine("warn", "No plan of care yet: evaluate and write the plan.")]
    lines = [
        DueLine("err" if f.severity is Severity.ERROR else "warn", f.message, f)
        for f in result.findings
        if f.severity is not Severity.INFO
    ]
    progress = result.progress_report
    if episode.status == "open" and progress.due_by and not progress.overdue:
        lines.append(
            DueLine(
                "warn",
                f"Progress report due by {progress.due_by:%b %d, %Y} (10th treatment day of the period).",
            )
        )
    return lines


def goal_views(episode: Episode, *, as_of: dt.date | None = None) -> list[GoalView]:
    """The current plan's goals, each with a progress plot over the whole episode and its
    status from its latest measure and target date (what `OVERVIEW_PREFETCH` reads: no query
    of its own when the episode comes with it)."""
    plan = active_plan(episode) or latest_plan(episode)
    if plan is None:
        return []
    day = as_of or timezone.localdate()
    points_by_line: dict[tuple[str, str, str], list[GoalPoint]] = {}
    for p in episode.plans.all():
        for g in p.goals.all():
            points_by_line.setdefault(_lineage(g), []).extend(_points_of(g))
    views = []
    for goal in plan.goals.all():
        measured = points_by_line[_lineage(goal)]
        series = _series(goal, measured, plan)
        state = goal_state(
            goal_facts(goal, latest=_latest(measured)),
            as_of=day,
            episode_open=episode.status == EpisodeStatus.OPEN,
        )
        views.append(GoalView(goal, goal_plot_svg(series), len(series.points), state))
    return views


def goal_facts(goal: Goal, *, latest: Decimal | None) -> GoalFacts:
    return GoalFacts(
        baseline=goal.baseline,
        target=goal.target,
        target_date=goal.target_date,
        recorded_status=goal.status,
        latest=latest,
    )


def _latest(points: list[GoalPoint]) -> Decimal | None:
    return max(points, key=lambda p: p.day).value if points else None


def overdue_goal_lines(views: list[GoalView]) -> list[DueLine]:
    """An overdue line for each goal whose target date passed without its target reached."""
    return [
        DueLine(
            "err",
            overdue_text(
                measure=v.goal.measure,
                target=v.goal.target,
                unit=v.goal.unit,
                target_date=v.goal.target_date,
            ),
        )
        for v in views
        if v.state is GoalState.OVERDUE
    ]


def _lineage(goal: Goal) -> tuple[str, str, str]:
    return (goal.term, goal.measure.strip().lower(), goal.description.strip().lower())


def _points_of(goal: Goal) -> list[GoalPoint]:
    """A goal's measured values: from notes, progress reports and the discharge."""
    points = [
        GoalPoint(gp.note.date_of_service, gp.value, "note")
        for gp in goal.progress.all()
        if gp.value is not None
    ]
    for a in goal.assessments.all():
        if a.value is None:
            continue
        if a.progress_report is not None:
            points.append(GoalPoint(a.progress_report.report_date, a.value, "progress report"))
        elif a.discharge is not None:
            points.append(GoalPoint(a.discharge.discharge_date, a.value, "discharge"))
    return points


def _series(goal: Goal, measured: list[GoalPoint], plan: PlanOfCare) -> GoalSeries:
    points = [GoalPoint(plan.established_on, goal.baseline, "baseline"), *measured]
    return GoalSeries(
        plot_id=f"goal-{goal.pk}",
        label=f"{goal.get_term_display()} goal: {goal.description}",
        measure=goal.measure,
        unit=goal.unit,
        baseline=goal.baseline,
        target=goal.target,
        start=plan.established_on,
        target_date=goal.target_date,
        points=tuple(sorted(points, key=lambda p: p.day)),
    )


def episode_overview(*, episode: Episode, user: User, as_of: dt.date) -> dict[str, Any]:
    """Everything the episode page and the chart show for one episode.

    The episode check runs here on the documents the overview reads anyway for its timeline
    and plots (`OVERVIEW_PREFETCH`): a fraction of a millisecond, less than reading its stored
    answer (`episode_checks`, which the home page's due list reads for many episodes at once).
    """
    result = episode_check_for(episode, as_of=as_of)
    goals = goal_views(episode, as_of=as_of)
    timeline = episode_timeline(episode)
    return {
        "episode": episode,
        "result": result,
        "due": due_lines(result, episode=episode) + overdue_goal_lines(goals),
        "timeline": timeline,
        "timeline_items": timeline_items(timeline),
        "goal_views": goals,
        "documents": list(episode.documents.all()),
        "evaluations": list(episode.evaluations.all()),
        "plans": sorted(episode.plans.all(), key=lambda p: p.version),
        "active_plan": active_plan(episode),
        "progress_reports": list(episode.progress_reports.all()),
        "discharge": _discharge_of(episode),
        "may": {
            "evaluate": user_may(user, Capability.EVALUATE),
            "plan": user_may(user, Capability.PLAN_OF_CARE),
            "progress": user_may(user, Capability.PROGRESS_REPORT),
            "draft_progress": user_may(user, Capability.WRITE_TREATMENT_NOTE),
            "discharge": user_may(user, Capability.DISCHARGE),
            "home_program": user_may(user, Capability.WRITE_TREATMENT_NOTE),
        },
    }
