"""A draft note: start it (carried forward from the last note), check it, save it with totals.

A draft belongs to its author alone; each save must name the revision it was based on, so two
people saving one draft never overwrite each other silently. Totals are computed from the lines.
"""

import uuid
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.care.billing_adapter import is_evaluation, note_check, note_totals
from otclinic.clinic.care.models import (
    CaregiverTraining,
    EnvironmentalRecommendation,
    Episode,
    EpisodeStatus,
    EquipmentTraining,
    Goal,
    GoalProgress,
    NoteLine,
    NoteStatus,
    PlanStatus,
    TreatmentNote,
)
from otclinic.clinic.care.narrative import narrative_content
from otclinic.clinic.care.services.notes.common import draft_for_author, same_org, staff_of
from otclinic.clinic.care.services.notes.content import (
    LineInput,
    NoteContent,
    content_differences,
    content_of,
)
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.domain.access import Capability
from otclinic.domain.billing import Decision
from otclinic.domain.billing.codebook import CODE_PATTERN
from otclinic.domain.care.narrative import draft_narrative

MAX_LINE_MINUTES = 480


# Starting a note


@transaction.atomic
def note_start(
    *, user: User, episode: Episode, date_of_service: Any, visit: Any = None
) -> TreatmentNote:
    """A draft note for a visit of the episode, carried forward from the episode's last note."""
    require(user, Capability.WRITE_TREATMENT_NOTE)
    same_org(user, episode)
    if episode.status != EpisodeStatus.OPEN:
        raise ValidationFailed({"episode": ["This episode is closed: reopen it to add notes."]})
    author = staff_of(user)
    existing = TreatmentNote.objects.filter(
        episode=episode, author=author, date_of_service=date_of_service, status=NoteStatus.DRAFT
    ).first()
    if existing:
        return existing
    previous = (
        TreatmentNote.objects.filter(episode=episode, date_of_service__lte=date_of_service)
        .order_by("-date_of_service", "-created_at")
        .first()
    )
    note = TreatmentNote.objects.create(
        organization_id=episode.organization_id,
        episode=episode,
        visit=visit,
        date_of_service=date_of_service,
        author=author,
        carried_forward_from=previous,
    )
    if previous:
        _carry_forward(previous, note)
    return note


@transaction.atomic
def note_draft(
    *, user: User, episode: Episode, date_of_service: Any, content: NoteContent | None = None
) -> TreatmentNote:
    """The author's draft for the day (`note_start`), with `content` saved on it when given
    (`note_save`): for a program that sends a visit's entries at once. One transaction, so a
    refused content leaves no empty draft behind; calling it again saves over the same draft."""
    note = note_start(user=user, episode=episode, date_of_service=date_of_service)
    if content is None:
        return note
    saved: TreatmentNote = note_save(user=user, note=note, revision=note.revision, content=content)
    return saved


def _carry_forward(previous: TreatmentNote, note: TreatmentNote) -> None:
    """Codes, categories, goals addressed and the plan come forward; minutes and measures do not,
    nor evaluation and re-evaluation codes.

    Minutes and measures are what happened today: copying them would let yesterday's time be
    signed as today's, so they start blank and the note cannot be signed until they are entered.
    An evaluation is billed once, on the day it is performed: carried into a follow-up note it
    would be billed again (which codes are evaluations comes from the engine's code table).
    """
    org = note.organization_id
    lines = [
        line for line in previous.lines.all() if not is_evaluation(line.code, organization_id=org)
    ]
    for position, line in enumerate(lines, start=1):
        NoteLine.objects.create(
            organization_id=note.organization_id,
            note=note,
            position=position,
            code=line.code,
            category=line.category,
            description=line.description,
        )
    for progress in previous.goal_progress.all():
        GoalProgress.objects.create(
            organization_id=note.organization_id, note=note, goal_id=progress.goal_id
        )
    note.plan_next_visit = previous.plan_next_visit
    note.save(update_fields=["plan_next_visit", "updated_at"])


# Saving a draft


@transaction.atomic
def note_save(
    *, user: User, note: TreatmentNote, revision: int, content: NoteContent, editor: str = ""
) -> Any:
    """Store a draft's content; refuse a stale revision, a locked note, or another's draft.

    `editor` names the page that saves (see `draft_for_author`). Sections whose entries did
    not change are left as they are, so the audit trail records what changed, not every row."""
    current = draft_for_author(user, note, revision, editor)
    _validate(current, content)
    _replace_children(current, content, changed=content_differences(content_of(current), content))
    totals = note_totals(
        (line.facts() for line in content.lines), organization_id=current.organization_id
    )
    current.total_timed_minutes = totals.timed_minutes
    current.total_treatment_minutes = totals.treatment_minutes
    current.patient_present = content.patient_present
    current.caregiver_consent = content.caregiver_consent
    current.subjective = content.subjective
    current.patient_response = content.patient_response
    current.changes_in_condition = content.changes_in_condition
    current.assessment = content.assessment
    current.plan_next_visit = content.plan_next_visit
    current.narrative = content.narrative.strip() or narrative_for(current, content)
    current.revision += 1
    current.editor = editor[:36]
    current.save()
    return current


@transaction.atomic
def note_autosave(
    *, user: User, note: TreatmentNote, revision: int, content: NoteContent, editor: str
) -> tuple[TreatmentNote, bool]:
    """Save a draft as it is being typed: the same checks as `note_save`, and nothing written
    (no new revision, no audit entry) when the entries are what is already saved. Returns the
    note and whether anything was written."""
    current = draft_for_author(user, note, revision, editor)
    if not _differs(current, content):
        return current, False
    saved = note_save(
        user=user, note=current, revision=current.revision, content=content, editor=editor
    )
    return saved, True


def _differs(note: TreatmentNote, content: NoteContent) -> bool:
    """Whether saving `content` would change the note; a blank narrative stands for the
    drafted one, which is what saving it stores."""
    changed = content_differences(content_of(note), content)
    if changed == ["Narrative"] and not content.narrative.strip():
        return note.narrative != narrative_for(note, content)
    return bool(changed)


def _validate(note: TreatmentNote, content: NoteContent) -> None:
    errors: dict[str, list[str]] = {}
    for i, line in enumerate(content.lines):
        errors.update(_line_errors(i, line))
    goal_ids = set(_plan_goals(note.episode).values_list("pk", flat=True))
    for i, goal in enumerate(content.goals):
        if _as_uuid(goal.goal_id) not in goal_ids:
            errors[f"goals-{i}-goal"] = ["Choose a goal of this episode's plan of care."]
    seen = [str(g.goal_id) for g in content.goals]
    if len(seen) != len(set(seen)):
        errors.setdefault("goals", []).append("Each goal can be addressed once per note.")
    for i, item in enumerate(content.environment):
        if not item.rationale.strip():
            errors[f"environment-{i}-rationale"] = ["Say why this change is recommended."]
    for i, session in enumerate(content.caregiver):
        if not session.caregiver_name.strip() or not session.topic.strip():
            errors[f"caregiver-{i}-topic"] = ["Name who was trained and on what."]
    if errors:
        raise ValidationFailed(errors)


def _line_errors(i: int, line: LineInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not CODE_PATTERN.match(line.code):
        errors[f"lines-{i}-code"] = [f"{line.code!r} is not a CPT or HCPCS code (e.g. 97530)."]
    minutes = (line.therapist_minutes, line.assistant_minutes, line.together_minutes)
    if any(m < 0 for m in minutes):
        errors[f"lines-{i}-assistant_minutes"] = ["Minutes cannot be negative."]
    elif sum(minutes) > MAX_LINE_MINUTES:
        errors[f"lines-{i}-assistant_minutes"] = [
            f"{sum(minutes)} minutes on one intervention is more than {MAX_LINE_MINUTES}: "
            "check the numbers."
        ]
    return errors


def _replace_children(note: TreatmentNote, content: NoteContent, *, changed: list[str]) -> None:
    """Replace the rows of each section whose entries changed (`changed` names them)."""
    org = note.organization_id
    if "Interventions" in changed:
        note.lines.all().delete()
        for position, line in enumerate(content.lines, start=1):
            NoteLine.objects.create(
                organization_id=org, note=note, position=position, **line.__dict__
            )
    if "Goals addressed" in changed:
        note.goal_progress.all().delete()
        for goal in content.goals:
            GoalProgress.objects.create(
                organization_id=org,
                note=note,
                goal_id=goal.goal_id,
                value=goal.value,
                comment=goal.comment,
            )
    if "Equipment trained" in changed:
        note.equipment_trained.all().delete()
        for item in content.equipment:
            EquipmentTraining.objects.create(organization_id=org, note=note, **item.__dict__)
    if "Environmental modifications" in changed:
        note.environment_recommendations.all().delete()
        for env in content.environment:
            EnvironmentalRecommendation.objects.create(
                organization_id=org, note=note, **env.__dict__
            )
    if "Caregiver training" in changed:
        note.caregiver_training.all().delete()
        for cg in content.caregiver:
            CaregiverTraining.objects.create(organization_id=org, note=note, **cg.__dict__)


# Checks the page shows next to the fields (never blocking a draft save)


def note_warnings(*, note: TreatmentNote, content: NoteContent) -> dict[str, list[str]]:
    """Messages for fields: codes outside the plan, lines without minutes, goals without a
    measure, and minutes that do not fit the appointment."""
    warnings: dict[str, list[str]] = {}
    planned = set(_active_plan_codes(note.episode))
    for i, line in enumerate(content.lines):
        if planned and line.code not in planned:
            warnings[f"lines-{i}-code"] = [
                f"{line.code} is not among the plan of care's interventions "
                f"({', '.join(sorted(planned))}): the plan may need to change first."
            ]
        if line.facts().minutes == 0:
            warnings[f"lines-{i}-assistant_minutes"] = [
                "No minutes entered for this intervention yet."
            ]
    for i, goal in enumerate(content.goals):
        if goal.value is None:
            warnings[f"goals-{i}-value"] = ["Enter today's measure for this goal."]
    warnings.update(_appointment_warning(note, content))
    return warnings


def _appointment_warning(note: TreatmentNote, content: NoteContent) -> dict[str, list[str]]:
    visit = note.visit
    appointment = getattr(visit, "appointment", None) if visit else None
    if appointment is None:
        return {}
    booked = int((appointment.ends_at - appointment.starts_at).total_seconds() // 60)
    lines = (line.facts() for line in content.lines)
    total = note_totals(lines, organization_id=note.organization_id).treatment_minutes
    if total <= booked:
        return {}
    return {
        "lines": [
            f"The interventions add up to {total} minutes, but the visit was booked for "
            f"{booked} minutes: check the minutes."
        ]
    }


def preview_decision(*, note: TreatmentNote, content: NoteContent) -> Decision:
    """The billing decision for content as typed, before it is saved: the same check that
    signing and the charges run on the saved note (`billing_adapter.note_check`)."""
    return note_check(note, content.billing_facts()).decision


def narrative_for(note: TreatmentNote, content: NoteContent) -> str:
    """The deterministic draft of the narrative from the structured entries."""
    return draft_narrative(narrative_content(note, content))


def _plan_goals(episode: Episode) -> QuerySet[Goal]:
    return Goal.objects.filter(plan__episode=episode)


def _active_plan_codes(episode: Episode) -> list[str]:
    plan = episode.plans.filter(status=PlanStatus.ACTIVE).first()
    return list(plan.interventions.values_list("code", flat=True)) if plan else []


def _as_uuid(value: Any) -> Any:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None
