"""A note's entries as the narrative drafter's facts (domain.care.narrative): labels, not codes."""

from typing import TYPE_CHECKING

from otclinic.clinic.care.models import (
    Equipment,
    Goal,
    Independence,
    Modification,
    Room,
    TreatmentNote,
)
from otclinic.domain.care import narrative as facts
from otclinic.domain.codes import InterventionCategory

if TYPE_CHECKING:
    from otclinic.clinic.care.services.notes import NoteContent


def _label(choices: type, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def narrative_content(note: TreatmentNote, content: "NoteContent") -> facts.NoteContent:
    goals = {str(g.pk): g for g in Goal.objects.filter(plan__episode=note.episode)}
    return facts.NoteContent(
        interventions=tuple(
            facts.Intervention(
                line.code, _label(InterventionCategory, line.category), line.facts().minutes
            )
            for line in content.lines
        ),
        goals=tuple(
            facts.GoalMeasure(
                measure=goals[str(g.goal_id)].measure,
                value=g.value,
                unit=goals[str(g.goal_id)].unit,
                baseline=goals[str(g.goal_id)].baseline,
                target=goals[str(g.goal_id)].target,
            )
            for g in content.goals
            if str(g.goal_id) in goals
        ),
        equipment=tuple(
            facts.EquipmentTrained(
                _label(Equipment, e.equipment), _label(Independence, e.independence), e.detail
            )
            for e in content.equipment
        ),
        recommendations=tuple(
            facts.Recommendation(
                _label(Modification, e.modification), _label(Room, e.room), e.rationale
            )
            for e in content.environment
        ),
        caregiver=tuple(
            facts.CaregiverSession(
                c.caregiver_name, c.topic, c.return_demonstration, c.patient_present
            )
            for c in content.caregiver
        ),
    )


def assistance_attestation(note: TreatmentNote) -> str:
    """What a signed note whose narrative began as a language model's draft says of it (the
    signer reviewed it); empty for a draft note or one written without the assistant."""
    if not note.drafted_with_assistance or not note.locked:
        return ""
    user = note.author.user
    return f"Drafted with assistance, reviewed by {user.get_full_name() or user.username}"
