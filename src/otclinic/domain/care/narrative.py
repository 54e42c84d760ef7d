"""A treatment note's narrative paragraph, drafted from its structured entries.

Deterministic: the same entries always give the same words, in the order the clinician entered
them. Choice-list labels that do not read as part of a sentence ("Remove throw rugs", "Other")
are phrased from small tables; a sentence that would say the same thing twice is written once. No language model is involved. The clinician edits the draft before signing; what is
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
    """What a note records, in the words of its choice lists (labels, not codes).

    The patient's response, the assessment and the plan are sections of the note of their own
    (SOAP): the narrative tells what was done and measured, and does not repeat them."""

    interventions: tuple[Intervention, ...] = ()
    goals: tuple[GoalMeasure, ...] = ()
    equipment: tuple[EquipmentTrained, ...] = ()
    recommendations: tuple[Recommendation, ...] = ()
    caregiver: tuple[CaregiverSession, ...] = ()


# How a choice list's label reads inside a sentence, where the label alone does not.
INTERVENTION_PHRASES = {"cognitive": "cognitive intervention", "other": "other intervention"}
EQUIPMENT_PHRASES = {"other": "other equipment"}
MODIFICATION_PHRASES = {
    "ramp": "a ramp",
    "raised toilet seat": "a raised toilet seat",
    "tub transfer bench": "a tub transfer bench",
    "lighting": "better lighting",
    "remove throw rugs": "removing throw rugs",
    "desk or workstation changes": "changes to the desk or workstation",
    "other": "a home modification",
}
ROOM_PHRASES = {
    "entry or stairs": "at the entry or stairs",
    "workplace or school": "at work or school",
}
# A rationale that starts with one of these verbs reads as "to <rationale>".
PURPOSE_VERBS = frozenset(
    [
        "allow",
        "avoid",
        "decrease",
        "ease",
        "enable",
        "facilitate",
        "improve",
        "increase",
        "lower",
        "maintain",
        "minimize",
        "prevent",
        "promote",
        "protect",
        "provide",
        "reduce",
        "support",
    ]
)


def draft_narrative(content: NoteContent) -> str:
    """One paragraph: interventions, goals, equipment, home changes, caregiver training."""
    sentences = [
        _interventions(content.interventions),
        *(_goal(goal) for goal in content.goals),
        _equipment(content.equipment),
        *(_recommendation(r) for r in content.recommendations),
        *(_caregiver(session) for session in content.caregiver),
    ]
    return " ".join(dict.fromkeys(s for s in sentences if s))


def number(value: Decimal) -> str:
    """A measure as a person writes it: 22.00 -> 22, 22.50 -> 22.5."""
    return format(value.normalize(), "f")


def _interventions(items: tuple[Intervention, ...]) -> str:
    if not items:
        return ""
    parts = [f"{_phrase(INTERVENTION_PHRASES, i.label)} ({i.code}, {i.minutes} min)" for i in items]
    total = sum(i.minutes for i in items)
    return f"Treatment provided: {_join(parts)}, {total} minutes in all."


def _goal(goal: GoalMeasure) -> str:
    measure = _clean(goal.measure)
    if goal.value is None:
        return f"Goal addressed: {measure} (no measure recorded)."
    unit = f" {_clean(goal.unit)}" if _clean(goal.unit) else ""
    context = []
    if goal.baseline is not None:
        context.append(f"baseline {number(goal.baseline)}")
    if goal.target is not None:
        context.append(f"target {number(goal.target)}")
    tail = f" ({', '.join(context)})" if context else ""
    return f"{_upper(measure)} measured at {number(goal.value)}{unit}{tail}."


def _equipment(items: tuple[EquipmentTrained, ...]) -> str:
    if not items:
        return ""
    parts = []
    for item in items:
        detail = f" ({_clean(item.detail)})" if _clean(item.detail) else ""
        parts.append(
            f"{_phrase(EQUIPMENT_PHRASES, item.equipment)}{detail} with {_lower(item.independence)}"
        )
    return f"Trained in use of {_join(parts)}."


def _recommendation(item: Recommendation) -> str:
    what = _phrase(MODIFICATION_PHRASES, item.modification)
    room = _lower(item.room)
    where = "" if room == "other" else " " + ROOM_PHRASES.get(room, f"in the {room}")
    rationale = _clean(item.rationale)
    first = rationale.split(" ", 1)[0].lower()
    if not rationale:
        why = ""
    elif first == "to":
        why = f" {_lower(rationale)}"
    elif first in PURPOSE_VERBS:
        why = f" to {_lower(rationale)}"
    else:
        why = f"; rationale: {_lower(rationale)}"
    return f"Recommended {what}{where}{why}."


def _caregiver(session: CaregiverSession) -> str:
    shown = "completed" if session.return_demonstration else "not yet completed"
    present = "patient present" if session.patient_present else "patient not present"
    return (
        f"Caregiver training with {_clean(session.who)} on {_clean(session.topic)}; "
        f"return demonstration {shown}; {present}."
    )


def _clean(text: str) -> str:
    """Typed words as a clause: single spaces, no trailing full stop, no doubled word."""
    words: list[str] = []
    for word in text.split():
        if not words or word.lower() != words[-1].lower():
            words.append(word)
    return " ".join(words).rstrip(".;,: ")


def _phrase(phrases: dict[str, str], label: str) -> str:
    return phrases.get(label.strip().lower(), _lower(label.strip()))


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
