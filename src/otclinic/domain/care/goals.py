"""A goal's status from its measures and dates: met, not met, overdue or in progress.

A goal says where the patient starts (baseline), where they should be (target) and by when. Its
direction follows from the two: a target above the baseline is reached from below (grip
strength, COPM), one below it from above (seconds on the Nine-Hole Peg Test, QuickDASH). A goal
is met once its latest measure reaches the target; an open goal whose target date has passed
without that is overdue; when the episode has ended it is not met. A status the therapist
recorded on a progress report or the discharge (met, partially met, not met, discontinued)
stands: only an active goal is computed.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from otclinic.domain.care.narrative import number


class GoalState(StrEnum):
    IN_PROGRESS = "in_progress"
    MET = "met"
    PARTIALLY_MET = "partially_met"
    NOT_MET = "not_met"
    OVERDUE = "overdue"
    DISCONTINUED = "discontinued"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


# The statuses a therapist records (`care.GoalStatus`); "active" is the one computed here.
_RECORDED = {
    "met": GoalState.MET,
    "partially_met": GoalState.PARTIALLY_MET,
    "not_met": GoalState.NOT_MET,
    "discontinued": GoalState.DISCONTINUED,
}


@dataclass(frozen=True, slots=True)
class GoalFacts:
    baseline: Decimal
    target: Decimal
    target_date: dt.date
    recorded_status: str = "active"
    latest: Decimal | None = None


def higher_is_better(baseline: Decimal, target: Decimal) -> bool:
    """Whether the goal is reached by rising (a target above the baseline) or by falling."""
    return target >= baseline


def reached(facts: GoalFacts, value: Decimal) -> bool:
    """Whether a measured value reaches the target, in the goal's direction."""
    if higher_is_better(facts.baseline, facts.target):
        return value >= facts.target
    return value <= facts.target


def goal_state(facts: GoalFacts, *, as_of: dt.date, episode_open: bool = True) -> GoalState:
    """The goal's status on a day (see the module's docstring for the rules)."""
    recorded = _RECORDED.get(facts.recorded_status)
    if recorded is not None:
        return recorded
    if facts.latest is not None and reached(facts, facts.latest):
        return GoalState.MET
    if not episode_open:
        return GoalState.NOT_MET
    if as_of > facts.target_date:
        return GoalState.OVERDUE
    return GoalState.IN_PROGRESS


def overdue_text(*, measure: str, target: Decimal, unit: str, target_date: dt.date) -> str:
    """The due list's line for an overdue goal."""
    what = f"{number(target)} {unit}".strip()
    return f"Goal overdue: {measure} target {what} was due by {target_date:%b %d, %Y}; reassess it."
