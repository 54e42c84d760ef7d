"""What the episode overview shows, built from rows already read (`selectors_overview`): the
timeline, the goals with their plots and states, and what is due. No query of its own.

Every due date shown comes from the domain's `check_episode` (its answer passed in).
"""

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from otclinic.clinic.care.models import (
    DischargeSummary,
    Episode,
    EpisodeStatus,
    Goal,
    NoteStatus,
    PlanOfCare,
)
from otclinic.clinic.care.plots import GoalPoint, GoalSeries, goal_plot_svg
from otclinic.clinic.care.selectors_clinical import active_plan, latest_plan
from otclinic.domain.care.goals import GoalFacts, GoalState, goal_state, overdue_text
from otclinic.domain.compliance.episode_model import EpisodeResult
from otclinic.domain.compliance.findings import Finding, Severity


class NoteLine(NamedTuple):
    """What the timeline shows of a treatment note."""

    day: dt.date
    status: str
    not_billable: bool


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


def episode_timeline(episode: Episode, *, notes: Iterable[NoteLine]) -> list[TimelineEntry]:
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
    for note in notes:
        billing = ", not billable" if note.not_billable else ""
        status = NoteStatus(note.status).label.lower()
        entries.append(TimelineEntry(note.day, "note", f"Treatment note ({status}{billing})"))
    for report in episode.progress_reports.all():
        text = f"Progress report ({report.get_status_display().lower()})"
        entries.append(
            TimelineEntry(report.report_date, "progress", text, f"/care/progress/{report.pk}/")
        )
    discharge = discharge_of(episode)
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


def discharge_of(episode: Episode) -> DischargeSummary | None:
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


def goal_views(
    episode: Episode, *, points: dict[uuid.UUID, list[GoalPoint]], as_of: dt.date
) -> list[GoalView]:
    """The current plan's goals, each with a progress plot over the whole episode and its
    status from its latest measure and target date: from the episode's plans and goals as
    prefetched and each goal's measured values (`goal_points`), no query of its own."""
    plan = active_plan(episode) or latest_plan(episode)
    if plan is None:
        return []
    points_by_line: dict[tuple[str, str, str], list[GoalPoint]] = {}
    for p in episode.plans.all():
        for g in p.goals.all():
            points_by_line.setdefault(_lineage(g), []).extend(points.get(g.pk, ()))
    views = []
    for goal in plan.goals.all():
        measured = points_by_line[_lineage(goal)]
        series = _series(goal, measured, plan)
        state = goal_state(
            goal_facts(goal, latest=_latest(measured)),
            as_of=as_of,
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
