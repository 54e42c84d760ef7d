"""The home program and caregiver handout in plain language, built from the plan and the last note.

Deterministic: the same facts give the same words, and no language model is involved. Sentences
are short and use "you"; clinical terms are replaced by everyday ones (a reader at about a
sixth-grade level should follow them).
"""

from dataclasses import dataclass
from enum import StrEnum

from otclinic.domain.codes import InterventionCategory


class Audience(StrEnum):
    PATIENT = "patient"
    CAREGIVER = "caregiver"


@dataclass(frozen=True, slots=True)
class Activity:
    """An exercise or activity: a planned intervention or a line of the last note."""

    category: str
    description: str


@dataclass(frozen=True, slots=True)
class EquipmentUse:
    equipment: str
    detail: str
    independence: str


@dataclass(frozen=True, slots=True)
class HomeChange:
    modification: str
    room: str
    rationale: str


@dataclass(frozen=True, slots=True)
class HomeProgramFacts:
    audience: Audience
    frequency_per_week: int
    activities: tuple[Activity, ...] = ()
    equipment: tuple[EquipmentUse, ...] = ()
    home_changes: tuple[HomeChange, ...] = ()
    goals: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Section:
    heading: str
    items: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class HomeProgram:
    title: str
    introduction: str
    sections: tuple[Section, ...]

    def text(self) -> str:
        """Every line of the program, for search and for tests."""
        lines = [self.title, self.introduction]
        for section in self.sections:
            lines.append(section.heading)
            lines.extend(section.items)
        return "\n".join(lines)


_CATEGORY_WORDS = {
    InterventionCategory.THERAPEUTIC_EXERCISE: "Exercise",
    InterventionCategory.THERAPEUTIC_ACTIVITY: "Practice activity",
    InterventionCategory.SELF_CARE_ADL: "Daily task practice",
    InterventionCategory.COGNITIVE: "Thinking and memory practice",
    InterventionCategory.ADAPTIVE_EQUIPMENT: "Practice with your equipment",
    InterventionCategory.CAREGIVER_TRAINING: "Helper practice",
    InterventionCategory.ENVIRONMENTAL_MODIFICATION: "Home set-up",
    InterventionCategory.OTHER: "Activity",
}

# Levels of assistance in everyday words (most help first).
HELP_WORDS = {
    "dependent": "with a helper doing most of it",
    "max_assist": "with a lot of help",
    "mod_assist": "with some help",
    "min_assist": "with a little help",
    "contact_guard": "with a helper's hand on you for safety",
    "standby": "with a helper close by",
    "supervision": "with someone watching or setting it up",
    "modified_independent": "on your own, using the equipment",
    "independent": "on your own",
}

# The same levels, said to the helper about the person they help.
HELP_WORDS_FOR_HELPER = {
    "dependent": "while you do most of it for them",
    "max_assist": "while you give a lot of help",
    "mod_assist": "while you give some help",
    "min_assist": "while you give a little help",
    "contact_guard": "with your hand on them for safety",
    "standby": "with you close by",
    "supervision": "while you watch or set it up",
    "modified_independent": "on their own, using the equipment",
    "independent": "on their own",
}

_SAFETY_LINE = (
    "Stop and rest if you feel pain, dizziness or short of breath, and tell your therapist."
)


def build_home_program(facts: HomeProgramFacts) -> HomeProgram:
    """The program's title, a short introduction and its sections, in plain language."""
    caregiver = facts.audience is Audience.CAREGIVER
    sections = [
        _activities(facts),
        _equipment(facts.equipment, caregiver=caregiver),
        _home_changes(facts.home_changes),
        _goals(facts.goals),
    ]
    title = "Caregiver handout" if caregiver else "Your home program"
    who = "the person you help" if caregiver else "you"
    introduction = (
        f"Your occupational therapist chose these activities for {who}. "
        f"Aim to practise on {_days(facts.frequency_per_week)}. {_SAFETY_LINE}"
    )
    return HomeProgram(title, introduction, tuple(s for s in sections if s.items))


def _days(per_week: int) -> str:
    other_days = max(1, 7 - per_week)
    return f"{other_days} day{'s' if other_days != 1 else ''} a week between therapy visits"


def _activities(facts: HomeProgramFacts) -> Section:
    seen: set[str] = set()
    items = []
    for activity in facts.activities:
        text = _plain_activity(activity)
        if text.lower() not in seen:
            seen.add(text.lower())
            items.append(text)
    return Section("Exercises and activities", tuple(items))


def _plain_activity(activity: Activity) -> str:
    try:
        word = _CATEGORY_WORDS[InterventionCategory(activity.category)]
    except ValueError:
        word = "Activity"
    what = activity.description.strip().rstrip(".") or "as your therapist showed you"
    return f"{word}: {what}. Go slowly and do it the way you practised in therapy."


def _equipment(uses: tuple[EquipmentUse, ...], *, caregiver: bool) -> Section:
    items = []
    for use in uses:
        words = HELP_WORDS_FOR_HELPER if caregiver else HELP_WORDS
        how = words.get(use.independence, "as practised in therapy")
        detail = f" ({use.detail.strip()})" if use.detail.strip() else ""
        items.append(f"Use the {use.equipment.lower()}{detail} {how}.")
    return Section("Using your equipment", tuple(items))


def _home_changes(changes: tuple[HomeChange, ...]) -> Section:
    items = [
        f"{change.modification} in the {change.room.lower()}: {change.rationale.strip().rstrip('.')}."
        for change in changes
    ]
    return Section("Making your home safer", tuple(items))


def _goals(goals: tuple[str, ...]) -> Section:
    return Section("What we are working towards", tuple(g.strip() for g in goals if g.strip()))
