"""A treatment note's narrative paragraph, drafted from its structured entries.

Deterministic: the same entries always give the same words, in the order the clinician entered
them. No language model is involved. The clinician edits the draft before signing; what is
signed is what they saw.
"""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Intervention:
    code: str
    label: str
    minutes: int


@dataclass(frozen=True, slots=True)
class GoalMeasure:
    measure: str
    value: Decimal | None
    unit: str = ""
    baseline: Decimal | None = None
    target: Decimal | None = None


@dataclass(frozen=True, slots=True)
class EquipmentTrained:
    equipment: str
    independence: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Recommendation:
    modification: str
    room: str
    rationale: str


@dataclass(frozen=True, slots=True)
class CaregiverSession:
    who: str
    topic: str
    return_demonstration: bool
    patient_present: bool


@dataclass(frozen=True, slots=True)
class NoteContent:
    """What a note records, in the words of its choice lists (labels, not codes)."""

    interventions: tuple[Intervention, ...] = ()
    goals: tuple[GoalMeasure, ...] = ()
    equipment: tuple[EquipmentTrained, ...] = ()
    recommendations: tuple[Recommendation, ...] = ()
    caregiver: tuple[CaregiverSession, ...] = ()
    patient_response: str = ""
    changes_in_condition: str = ""
    plan_next_visit: str = ""


def draft_narrative(content: NoteContent) -> str:
    """One paragraph: interventions, goals, equipment, home changes, caregiver, response, plan."""
    sentences = [
        _interventions(content.interventions),
        *(_goal(goal) for goal in content.goals),
        _equipment(content.equipment),
        *(_recommendation(r) for r in content.recommendations),
        *(_caregiver(session) for session in content.caregiver),
        _labelled("Patient response", content.patient_response),
        _labelled("Changes in condition", content.changes_in_condition),
        _labelled("Plan for next visit", content.plan_next_visit),
    ]
    return " ".join(s for s in sentences if s)


def number(value: Decimal) -> str:
    """A measure as a person writes it: 22.00 -> 22, 22.50 -> 22.5."""
    return format(value.normalize(), "f")


def _interventions(items: tuple[Intervention, ...]) -> str:
    if not items:
        return ""
    parts = [f"{_lower(i.label)} ({i.code}, {i.minutes} min)" for i in items]
    total = sum(i.minutes for i in items)
    return f"Treatment provided: {_join(parts)}, {total} minutes in all."


def _goal(goal: GoalMeasure) -> str:
    if goal.value is None:
        return f"Goal addressed: {goal.measure} (no measure recorded)."
    unit = f" {goal.unit}" if goal.unit else ""
    context = []
    if goal.baseline is not None:
        context.append(f"baseline {number(goal.baseline)}")
    if goal.target is not None:
        context.append(f"target {number(goal.target)}")
    tail = f" ({', '.join(context)})" if context else ""
    return f"{_upper(goal.measure)} measured at {number(goal.value)}{unit}{tail}."


def _equipment(items: tuple[EquipmentTrained, ...]) -> str:
    if not items:
        return ""
    parts = []
    for item in items:
        detail = f" ({item.detail})" if item.detail else ""
        parts.append(f"{_lower(item.equipment)}{detail} with {_lower(item.independence)}")
    return f"Trained in use of {_join(parts)}."


def _recommendation(item: Recommendation) -> str:
    rationale = item.rationale.strip().rstrip(".")
    why = f" to {_lower(rationale)}" if rationale else ""
    return f"Recommended {_lower(item.modification)} in the {_lower(item.room)}{why}."


def _caregiver(session: CaregiverSession) -> str:
    shown = "completed" if session.return_demonstration else "not yet completed"
    present = "patient present" if session.patient_present else "patient not present"
    topic = session.topic.strip().rstrip(".")
    return (
        f"Caregiver training with {session.who} on {topic}; "
        f"return demonstration {shown}; {present}."
    )


def _labelled(label: str, text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    return f"{label}: {text}" + ("" if text.endswith((".", "!", "?")) else ".")


def _join(parts: list[str]) -> str:
    if len(parts) <= 2:
        return " and ".join(parts)
    return ", ".join(parts[:-1]) + f" and {parts[-1]}"


def _lower(text: str) -> str:
    """Lower the first letter unless the word is an acronym (ADL, TV)."""
    if len(text) > 1 and text[:2].isupper():
        return text
    return text[:1].lower() + text[1:]


def _upper(text: str) -> str:
    return text[:1].upper() + text[1:]
