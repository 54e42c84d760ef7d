"""Episodes and treatment notes over the JSON API: a patient's episodes, one episode with its
plan of care and goals, an episode's notes, one note, a draft for a visit, and signing.

The same selectors and services as the chart and the note pages: who sees which episode and
note is care.access (another organization's id is 404), a draft is `note_draft` and signing is
`note_sign`, with its checks (the billing engine's errors, missing minutes and measures,
credentials, the co-signature rule) answered 422 by field.
"""

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.utils import timezone
from ninja import Field, Router, Schema, Status

from otclinic.clinic.accounts.http import AuthenticatedHttpRequest
from otclinic.clinic.care import selectors_clinical, selectors_notes, selectors_overview
from otclinic.clinic.care.models import Episode, NotBillableReason, PlanOfCare
from otclinic.clinic.care.services import notes as svc
from otclinic.clinic.common.api_schemas import FieldProblems
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.patients.selectors import patient_get_for_user
from otclinic.domain.codes import InterventionCategory
from otclinic.domain.compliance.findings import Finding

episodes_router = Router(tags=["episodes"])
notes_router = Router(tags=["notes"])


class GoalOut(Schema):
    id: uuid.UUID
    term: str
    description: str
    measure: str
    unit: str
    baseline: Decimal
    target: Decimal
    target_date: dt.date
    status: str


class PlanOut(Schema):
    id: uuid.UUID
    version: int
    status: str
    established_on: dt.date
    certification_end: dt.date
    frequency_per_week: int
    duration_weeks: int
    certified_on: dt.date | None
    signed_at: dt.datetime | None
    goals: list[GoalOut]

    @staticmethod
    def resolve_goals(plan: PlanOfCare) -> list[Any]:
        return sorted(plan.goals.all(), key=lambda goal: (goal.position, str(goal.pk)))


class EpisodeOut(Schema):
    id: uuid.UUID
    patient_id: uuid.UUID
    clinic_id: uuid.UUID
    therapist_id: uuid.UUID
    discipline: str
    status: str
    started_on: dt.date
    ended_on: dt.date | None


class EpisodeDetailOut(EpisodeOut):
    plan_of_care: PlanOut | None = Field(None, description="The latest version of the plan.")

    @staticmethod
    def resolve_plan_of_care(episode: Episode) -> PlanOfCare | None:
        return selectors_clinical.latest_plan(episode)


class NoteLineIO(Schema):
    code: str = Field(max_length=5)
    category: InterventionCategory
    therapist_minutes: int = Field(0, ge=0, le=svc.MAX_LINE_MINUTES)
    assistant_minutes: int = Field(0, ge=0, le=svc.MAX_LINE_MINUTES)
    together_minutes: int = Field(0, ge=0, le=svc.MAX_LINE_MINUTES)
    separate_time_block: bool = False


class GoalMeasureIO(Schema):
    goal_id: uuid.UUID
    value: Decimal | None = Field(None, max_digits=8, decimal_places=2)


class NoteOut(Schema):
    id: uuid.UUID
    episode_id: uuid.UUID
    author_id: uuid.UUID
    date_of_service: dt.date
    status: str
    revision: int
    total_timed_minutes: int
    total_treatment_minutes: int
    not_billable: bool
    signed_at: dt.datetime | None
    cosign_required: bool
    lines: list[NoteLineIO]
    goals: list[GoalMeasureIO]

    @staticmethod
    def resolve_lines(note: Any) -> list[Any]:
        return list(note.lines.order_by("position"))

    @staticmethod
    def resolve_goals(note: Any) -> list[Any]:
        return list(note.goal_progress.order_by("goal__position", "goal_id"))


class NoteIn(Schema):
    # Required, but checked after the episode is found: another organization's id is 404
    # whatever the body holds.
    date_of_service: dt.date | None = None
    # Without lines or goals the draft is carried forward from the episode's last note.
    lines: list[NoteLineIO] | None = Field(None, max_length=20)
    goals: list[GoalMeasureIO] = Field(default_factory=list, max_length=20)
    patient_response: str = Field("", max_length=4000)
    assessment: str = Field("", max_length=4000)
    plan_next_visit: str = Field("", max_length=4000)


class SignIn(Schema):
    # The revision the caller read: a draft saved since is refused, not signed unseen.
    # Required, but checked after the note is found (another organization's id is 404).
    revision: int | None = Field(None, ge=1)
    # Given, the note is signed as not billed, with this reason (and words for "other").
    not_billable_reason: NotBillableReason | None = None
    not_billable_detail: str = Field("", max_length=300)


# Which field of the note a signing refusal is about, by its rule id's start; the rest (the
# billing engine's codes, units and modifiers, interventions without minutes) is the lines'.
_FINDING_FIELDS = (
    ("note.goal", "goals"),
    ("credentials.", "author"),
    ("supervision.", "author"),
)


@episodes_router.get("/", response={200: list[EpisodeOut]})
def episode_list(request: AuthenticatedHttpRequest, patient_id: uuid.UUID) -> Any:
    """A patient's episodes, the latest first."""
    patient = patient_get_for_user(user=request.user, patient_id=patient_id)
    return selectors_clinical.episode_list_for_chart(user=request.user, patient=patient)


@episodes_router.get("/{episode_id}", response=EpisodeDetailOut)
def episode_get(request: AuthenticatedHttpRequest, episode_id: uuid.UUID) -> Any:
    """One episode with its plan of care (the latest version) and the plan's goals."""
    return selectors_overview.episode_get_for_user(user=request.user, episode_id=episode_id)


@episodes_router.get("/{episode_id}/notes", response=list[NoteOut])
def episode_notes(request: AuthenticatedHttpRequest, episode_id: uuid.UUID) -> Any:
    """The episode's treatment notes by date of service, the latest first."""
    episode = selectors_notes.episode_get_for_user(user=request.user, episode_id=episode_id)
    notes = selectors_notes.notes_for_user(user=request.user).filter(episode=episode)
    return list(notes.prefetch_related("lines", "goal_progress").order_by("-date_of_service"))


@episodes_router.post("/{episode_id}/notes", response={201: NoteOut, 422: FieldProblems})
def note_draft(request: AuthenticatedHttpRequest, episode_id: uuid.UUID, payload: NoteIn) -> Any:
    """The caller's draft note for a day of service (the same draft when called again), with
    the interventions and goal measures given; 422 names each entry that cannot be saved."""
    episode = selectors_notes.episode_get_for_user(user=request.user, episode_id=episode_id)
    if payload.date_of_service is None:
        return Status(422, {"errors": {"date_of_service": ["Give the day of service."]}})
    if payload.date_of_service > timezone.localdate():
        return Status(422, {"errors": {"date_of_service": ["Give a day not in the future."]}})
    try:
        note = svc.note_draft(
            user=request.user,
            episode=episode,
            date_of_service=payload.date_of_service,
            content=_content(payload),
        )
    except ValidationFailed as exc:
        return Status(422, {"errors": _api_fields(exc.errors)})
    return Status(201, note)


@notes_router.get("/{note_id}", response=NoteOut)
def note_get(request: AuthenticatedHttpRequest, note_id: uuid.UUID) -> Any:
    return selectors_notes.note_get_for_user(user=request.user, note_id=note_id)


@notes_router.post("/{note_id}/sign", response={200: NoteOut, 422: FieldProblems})
def note_sign(request: AuthenticatedHttpRequest, note_id: uuid.UUID, payload: SignIn) -> Any:
    """Sign and lock the caller's draft, as the note page signs it: what blocks signing answers
    422 by field and nothing is signed."""
    note = selectors_notes.note_get_for_user(user=request.user, note_id=note_id)
    if payload.revision is None:
        return Status(422, {"errors": {"revision": ["Give the revision of the note you read."]}})
    statement = None
    if payload.not_billable_reason is not None:
        statement = svc.NotBillable(
            reason=str(payload.not_billable_reason), detail=payload.not_billable_detail
        )
    try:
        signed = svc.note_sign(
            user=request.user, note=note, revision=payload.revision, not_billable=statement
        )
    except svc.NoteLocked as exc:
        return Status(422, {"errors": {"status": [str(exc)]}})
    except svc.StaleRevision as exc:
        return Status(422, {"errors": {"revision": [str(exc)]}})
    except ValidationFailed as exc:
        return Status(422, {"errors": exc.errors})
    except svc.NoteNotSignable as exc:
        return Status(422, {"errors": _finding_fields(exc.findings)})
    return signed


def _content(payload: NoteIn) -> svc.NoteContent | None:
    if payload.lines is None and not payload.goals:
        return None
    return svc.NoteContent(
        lines=tuple(svc.LineInput(**line.dict()) for line in payload.lines or ()),
        goals=tuple(svc.GoalInput(goal.goal_id, goal.value) for goal in payload.goals),
        patient_response=payload.patient_response,
        assessment=payload.assessment,
        plan_next_visit=payload.plan_next_visit,
    )


def _api_fields(errors: dict[str, list[str]]) -> dict[str, list[str]]:
    """The note form's field names ("lines-0-code", "goals-1-goal") as the API's."""
    renamed = {"goal": "goal_id"}
    problems: dict[str, list[str]] = {}
    for key, messages in errors.items():
        parts = [renamed.get(part, part) for part in key.split("-")]
        problems.setdefault(".".join(parts), []).extend(messages)
    return problems


def _finding_fields(findings: list[Finding]) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    for finding in findings:
        field = next(
            (name for start, name in _FINDING_FIELDS if finding.rule_id.startswith(start)),
            "lines",
        )
        problems.setdefault(field, []).append(finding.message)
    return problems
