"""Which OT evaluation code an evaluation's findings support: 97165, 97166 or 97167.

CPT (since 2017) grades an OT evaluation by three components, and the level billed is the
highest one whose every component is met (our own summary of CPT; the AMA's texts are licensed):

| level    | code  | occupational profile and history       | performance deficits | clinical decision making |
|----------|-------|----------------------------------------|----------------------|--------------------------|
| low      | 97165 | brief history review                   | 1-3                  | low                      |
| moderate | 97166 | expanded review (physical, cognitive,  | 3-5                  | moderate                 |
|          |       | psychosocial history)                  |                      |                          |
| high     | 97167 | extensive additional review            | 5 or more            | high                     |

The deficit counts overlap at 3 and at 5. Because the level is the highest one whose every
component is met, 3 deficits meet moderate and 5 meet high: so 1-2 count as low, 3-4 as
moderate, 5 or more as high. The selected level is therefore the lowest of the three
components' levels, and the reasoning says which component held it there.
"""

from dataclasses import dataclass
from enum import IntEnum, StrEnum


class Level(IntEnum):
    """A complexity level, ordered so that the lowest of several components is `min()`."""

    LOW = 1
    MODERATE = 2
    HIGH = 3

    @property
    def word(self) -> str:
        return self.name.lower()


class HistoryReview(StrEnum):
    """How much of the occupational profile and history the therapist reviewed."""

    BRIEF = "brief"
    EXPANDED = "expanded"
    EXTENSIVE = "extensive"


class DecisionMaking(StrEnum):
    """The analytic complexity of the clinical decision making."""

    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"


EVALUATION_CODES: dict[Level, str] = {
    Level.LOW: "97165",
    Level.MODERATE: "97166",
    Level.HIGH: "97167",
}
REEVALUATION_CODE = "97168"

_HISTORY_LEVEL = {
    HistoryReview.BRIEF: Level.LOW,
    HistoryReview.EXPANDED: Level.MODERATE,
    HistoryReview.EXTENSIVE: Level.HIGH,
}
_DECISION_LEVEL = {
    DecisionMaking.LOW: Level.LOW,
    DecisionMaking.MODERATE: Level.MODERATE,
    DecisionMaking.HIGH: Level.HIGH,
}


class NoDeficits(ValueError):
    """An evaluation with no performance deficit supports no evaluation code."""


@dataclass(frozen=True, slots=True)
class ComplexitySelection:
    """The selected level and code, and one line of reasoning per component."""

    level: Level
    code: str
    reasons: tuple[str, ...]

    @property
    def reasoning(self) -> str:
        return "\n".join(self.reasons)


def deficits_level(count: int) -> Level:
    """The level a count of performance deficits meets (1-2 low, 3-4 moderate, 5+ high)."""
    if count < 1:
        raise NoDeficits(
            "An evaluation needs at least one performance deficit to support 97165-97167."
        )
    if count >= 5:
        return Level.HIGH
    return Level.MODERATE if count >= 3 else Level.LOW


def select_complexity(
    *, history: HistoryReview, deficits: int, decision_making: DecisionMaking
) -> ComplexitySelection:
    """The evaluation code the three components support, with the reasoning shown."""
    components = {
        "Occupational profile and history": (
            _HISTORY_LEVEL[history],
            f"{history.value} review",
        ),
        "Performance deficits": (deficits_level(deficits), f"{deficits} identified"),
        "Clinical decision making": (_DECISION_LEVEL[decision_making], decision_making.value),
    }
    level = min(level for level, _ in components.values())
    reasons = [
        f"{name}: {detail} meets {component.word} complexity."
        for name, (component, detail) in components.items()
    ]
    holding = [name.lower() for name, (component, _) in components.items() if component == level]
    reasons.append(
        f"Every component must be met, so the lowest, {level.word}, selects "
        f"{EVALUATION_CODES[level]} (held there by {' and '.join(holding)})."
    )
    return ComplexitySelection(level=level, code=EVALUATION_CODES[level], reasons=tuple(reasons))
