"""Overdue goals of many episodes at once, for the home page's due list (stored with each
episode's check, `care.due_list`): one query however many episodes and goals (the episode page
computes the same status from what it has loaded)."""

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import OuterRef, Subquery

from otclinic.clinic.care.models import Goal, GoalAssessment, GoalProgress, GoalStatus, PlanStatus
from otclinic.domain.care.goals import GoalFacts, GoalState, goal_state, overdue_text


@dataclass(frozen=True)
class OverdueGoal:
    episode_id: uuid.UUID
    text: str
    target_date: dt.date


def _latest(rows: Any, date_field: str) -> tuple[Subquery, Subquery]:
    """The value and date of a goal's latest measure among `rows`."""
    ordered = rows.filter(goal=OuterRef("pk"), value__isnull=False).order_by(f"-{date_field}")
    return Subquery(ordered.values("value")[:1]), Subquery(ordered.values(date_field)[:1])


def overdue_goals(episode_ids: Iterable[uuid.UUID], *, as_of: dt.date) -> list[OverdueGoal]:
    """The active plans' open goals past their target date whose latest measure (on a note or a
    progress report) has not reached the target, in the goal's direction; the earliest target
    first, and the goals of one plan due on the same day in the plan's order."""
    ids = list(episode_ids)
    if not ids:
        return []
    note_value, note_day = _latest(GoalProgress.objects.all(), "note__date_of_service")
    report_value, report_day = _latest(
        GoalAssessment.objects.filter(progress_report__isnull=False), "progress_report__report_date"
    )
    rows = (
        Goal.objects.filter(
            plan__episode_id__in=ids,
            plan__status=PlanStatus.ACTIVE,
            status=GoalStatus.ACTIVE,
            target_date__lt=as_of,
        )
        .annotate(
            note_value=note_value,
            note_day=note_day,
            report_value=report_value,
            report_day=report_day,
        )
        .values(
            "plan__episode_id",
            "measure",
            "unit",
            "baseline",
            "target",
            "target_date",
            "note_value",
            "note_day",
            "report_value",
            "report_day",
        )
        .order_by("target_date", "plan__episode_id", "position")
    )
    found = []
    for row in rows:
        facts = GoalFacts(
            baseline=row["baseline"],
            target=row["target"],
            target_date=row["target_date"],
            latest=_newer(row),
        )
        if goal_state(facts, as_of=as_of) is GoalState.OVERDUE:
            text = overdue_text(
                measure=row["measure"],
                target=row["target"],
                unit=row["unit"],
                target_date=row["target_date"],
            )
            found.append(OverdueGoal(row["plan__episode_id"], text, row["target_date"]))
    return found


def _newer(row: dict[str, Any]) -> Decimal | None:
    """The later of the goal's latest note measure and latest progress-report measure."""
    measured = [
        (row[day], row[value])
        for day, value in (("note_day", "note_value"), ("report_day", "report_value"))
        if row[value] is not None
    ]
    return max(measured)[1] if measured else None
