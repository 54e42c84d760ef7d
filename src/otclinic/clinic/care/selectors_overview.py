"""The episode overview: what the episode page and the chart's episodes section show of an
episode (what is due, goals with their plots, documents, the timeline), read in a fixed number
of queries however many documents the episodes hold; `overview_parts` builds what they show.

Every due date shown comes from the domain's `check_episode`: run on `adapters.episode_facts` for
the episode page, its stored answer (`episode_checks`) for the chart's section.
"""

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import (
    BooleanField,
    DateField,
    Model,
    Prefetch,
    Value,
    prefetch_related_objects,
)
from django.db.models.expressions import RawSQL

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import require, user_may
from otclinic.clinic.care import episode_checks
from otclinic.clinic.care.access import visible_episodes
from otclinic.clinic.care.adapters import EPISODE_PREFETCH, EPISODE_SELECT
from otclinic.clinic.care.models import (
    DischargeSummary,
    Episode,
    EpisodeDocument,
    Evaluation,
    Goal,
    GoalAssessment,
    GoalProgress,
    PlanOfCare,
    ProgressReport,
    Recertification,
    TreatmentNote,
)
from otclinic.clinic.care.overview_parts import (
    NoteLine,
    discharge_of,
    due_lines,
    episode_timeline,
    goal_views,
    overdue_goal_lines,
)
from otclinic.clinic.care.plots import GoalPoint
from otclinic.clinic.care.selectors_clinical import active_plan, episode_check_for
from otclinic.clinic.care.timeline_html import timeline_items
from otclinic.clinic.common.access import get_visible
from otclinic.clinic.common.models import PrefetchLookup
from otclinic.clinic.patients.models import Patient
from otclinic.domain.access import Capability
from otclinic.domain.compliance.episode_model import EpisodeResult

# What `episode_overview` reads beyond the episode check: documents, and every plan's goals (their
# measured values are `goal_points`, one query).
OVERVIEW_PREFETCH: tuple[PrefetchLookup, ...] = (*EPISODE_PREFETCH, "documents", "plans__goals")


def episode_get_for_user(*, user: User, episode_id: uuid.UUID | str) -> Episode:
    """One episode of the user's organization, with what the episode check reads, or 404."""
    require(user, Capability.VIEW_CHART)
    episodes = (
        visible_episodes(user)
        .select_related(*EPISODE_SELECT, "therapist__user", "clinic")
        .prefetch_related(*OVERVIEW_PREFETCH)
    )
    return get_visible(episodes, episode_id, what="episode")


# The columns the chart's episodes section shows of each relation (`episodes_for_chart`): the
# timeline's dates and labels, the goals' captions, the documents' links. The notes, the bulk of
# an episode, are read as tuples (`NoteLine`), not models. The episode check's answer is not
# computed from them but read with the episodes (`episode_checks`).
CHART_PREFETCH: tuple[Prefetch[Any], ...] = (
    Prefetch(
        "plans",
        queryset=PlanOfCare.objects.only(
            "episode_id",
            "version",
            "status",
            "established_on",
            "sent_to_physician_on",
            "verbal_certification_on",
            "certified_on",
        ),
    ),
    Prefetch(
        "plans__goals",
        queryset=Goal.objects.only(
            "plan_id",
            "term",
            "description",
            "measure",
            "unit",
            "baseline",
            "target",
            "target_date",
            "status",
        ),
    ),
    Prefetch(
        "evaluations",
        queryset=Evaluation.objects.only("episode_id", "kind", "code", "performed_on", "signed_at"),
    ),
    Prefetch(
        "recertifications",
        queryset=Recertification.objects.only("episode_id", "certified_on", "through"),
    ),
    Prefetch(
        "progress_reports",
        queryset=ProgressReport.objects.only("episode_id", "report_date", "status"),
    ),
    Prefetch(
        "discharge",
        queryset=DischargeSummary.objects.only("episode_id", "discharge_date", "reason"),
    ),
    Prefetch(
        "documents",
        queryset=EpisodeDocument.objects.only(
            "episode_id", "title", "kind", "created_at", "shared_with_portal"
        ),
    ),
)

# What the section shows of the episode itself, and its stored check (`episode_checks`).
_CHART_EPISODE_FIELDS = (
    "organization_id",
    "patient_id",
    "discipline",
    "started_on",
    "status",
    *(f"stored_check__{field}" for field in episode_checks.STORED_FIELDS),
)


@dataclass(frozen=True)
class ChartEpisodes:
    """A patient's episodes as the chart's section shows them, with each episode's check answer
    and every goal's measured values (by goal id)."""

    episodes: list[Episode]
    results: dict[uuid.UUID, EpisodeResult | None]
    points: dict[uuid.UUID, list[GoalPoint]]
    notes: dict[uuid.UUID, list["NoteLine"]]


def episodes_for_chart(*, user: User, patient: Patient, as_of: dt.date) -> ChartEpisodes:
    """A patient's episodes with the columns their overviews show (`CHART_PREFETCH`), in a
    fixed number of queries however many notes, plans and goals they hold; a relation that none
    of the episodes has (`OFTEN_EMPTY`) is known empty from the episodes' own query and not
    read. Each episode's check is its stored answer, read with it (computed and stored when it
    is not current: `episode_checks.results_for`)."""
    require(user, Capability.VIEW_CHART)
    episodes = list(
        visible_episodes(user)
        .filter(patient=patient)
        .select_related("stored_check")
        .only(*_CHART_EPISODE_FIELDS)
        .annotate(**{_has(name): _exists_of_episode(model) for name, model in OFTEN_EMPTY.items()})
        .order_by("-started_on", "pk")
    )
    for episode in episodes:
        episode.patient = patient  # at hand: not read again with each episode
    absent = {name for name in OFTEN_EMPTY if not any(getattr(e, _has(name)) for e in episodes)}
    prefetch_related_objects(
        episodes,
        *(lookup for lookup in CHART_PREFETCH if lookup.prefetch_through not in absent),
        # An empty queryset fills each episode's cache with nothing and sends no query.
        *(Prefetch(name, queryset=OFTEN_EMPTY[name]._default_manager.none()) for name in absent),
    )
    goals = [g.pk for e in episodes for p in e.plans.all() for g in p.goals.all()]
    notes: dict[uuid.UUID, list[NoteLine]] = {e.pk: [] for e in episodes}
    for episode_id, day, status, not_billable in TreatmentNote.objects.filter(
        episode__in=episodes
    ).values_list("episode_id", "date_of_service", "status", "not_billable"):
        notes[episode_id].append(NoteLine(day, status, not_billable))
    return ChartEpisodes(
        episodes,
        episode_checks.results_for(episodes, as_of=as_of),
        goal_points(goals),
        notes,
    )


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


def _exists_of_episode(model: type[Model]) -> RawSQL:
    """Whether the episode has a row of `model` (through its `episode_id`), as a column of the
    episodes' query. Written as SQL: Django builds and compiles an `Exists` subquery anew on
    every request (about 0.3 ms of CPU each, as much as the empty query it saves), this costs
    next to nothing, and it is the same statement on SQLite and PostgreSQL."""
    quote = connection.ops.quote_name
    table, episodes = quote(model._meta.db_table), quote(Episode._meta.db_table)
    return RawSQL(  # noqa: S611 - table and column names from the models, no value
        f"EXISTS (SELECT 1 FROM {table} WHERE {table}.{quote('episode_id')} = "  # noqa: S608
        f"{episodes}.{quote('id')})",
        (),
        output_field=BooleanField(),
    )


def goal_points(goal_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[GoalPoint]]:
    """Each goal's measured values, from notes, progress reports and the discharge, in one
    query: only the value and its document's date (a UNION of the two kinds of measure)."""
    if not goal_ids:
        return {}
    on_notes = (
        GoalProgress.objects.filter(goal_id__in=goal_ids, value__isnull=False)
        .annotate(discharged=Value(None, output_field=DateField()), on_note=Value(True))
        .values_list("goal_id", "value", "note__date_of_service", "discharged", "on_note", "pk")
    )
    on_reports = (
        GoalAssessment.objects.filter(goal_id__in=goal_ids, value__isnull=False)
        .annotate(on_note=Value(False))
        .values_list(
            "goal_id",
            "value",
            "progress_report__report_date",
            "discharge__discharge_date",
            "on_note",
            "pk",
        )
    )
    points: dict[uuid.UUID, list[GoalPoint]] = {}
    # Measures on notes first, then those of progress reports and the discharge.
    # (value is never null; the date columns are null where the row is not of their kind)
    rows: list[tuple[Any, ...]] = sorted(
        on_notes.union(on_reports, all=True), key=lambda r: (not r[4], r[5])
    )
    for goal_id, value, day, discharged, on_note, _pk in rows:
        if on_note:
            point = GoalPoint(day, value, "note")
        elif day is not None:
            point = GoalPoint(day, value, "progress report")
        elif discharged is not None:
            point = GoalPoint(discharged, value, "discharge")
        else:
            continue  # an assessment of neither a report nor the discharge
        points.setdefault(goal_id, []).append(point)
    return points


def episode_overview(*, episode: Episode, user: User, as_of: dt.date) -> dict[str, Any]:
    """Everything the episode page shows of an episode read with `OVERVIEW_PREFETCH`.

    The episode check runs here on the documents that prefetch reads (a fraction of a
    millisecond); the chart's section, which reads only the columns it shows, reads the stored
    answer instead (`chart_overviews`).
    """
    goals = [g.pk for p in episode.plans.all() for g in p.goals.all()]
    return _overview(
        episode,
        user=user,
        as_of=as_of,
        result=episode_check_for(episode, as_of=as_of),
        points=goal_points(goals),
        notes=[NoteLine(n.date_of_service, n.status, n.not_billable) for n in episode.notes.all()],
    )


def chart_overviews(chart: ChartEpisodes, *, user: User, as_of: dt.date) -> list[dict[str, Any]]:
    """Each episode of the chart's section (`episodes_for_chart`) as the section shows it."""
    return [
        _overview(
            e,
            user=user,
            as_of=as_of,
            result=chart.results[e.pk],
            points=chart.points,
            notes=chart.notes[e.pk],
        )
        for e in chart.episodes
    ]


def _overview(
    episode: Episode,
    *,
    user: User,
    as_of: dt.date,
    result: EpisodeResult | None,
    points: dict[uuid.UUID, list[GoalPoint]],
    notes: list[NoteLine],
) -> dict[str, Any]:
    goals = goal_views(episode, points=points, as_of=as_of)
    timeline = episode_timeline(episode, notes=notes)
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
        "discharge": discharge_of(episode),
        "may": {
            "evaluate": user_may(user, Capability.EVALUATE),
            "plan": user_may(user, Capability.PLAN_OF_CARE),
            "progress": user_may(user, Capability.PROGRESS_REPORT),
            "draft_progress": user_may(user, Capability.WRITE_TREATMENT_NOTE),
            "discharge": user_may(user, Capability.DISCHARGE),
            "home_program": user_may(user, Capability.WRITE_TREATMENT_NOTE),
        },
    }
