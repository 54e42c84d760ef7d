"""Which of the plan's goals a line of shorthand measures, and the measure it gives.

A line with a level of assistance (`ADL LB dressing 10 min min A`) addresses the goal whose
measure or description shares at least two words with the line's activity ("lower body
dressing"). On a FIM goal (its measure names FIM, or its unit is "level") the level is the
measure (`fim_levels` in care/data/shorthand.yaml); on any other goal the level is a comment.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from otclinic.domain.care.shorthand.lexicon import Lexicon, shipped_lexicon
from otclinic.domain.care.shorthand.model import Measured, ShorthandLine

MIN_SHARED_WORDS = 2
_WORD = re.compile(r"[a-z]+")
_EXPANDED = {
    "lb": "lower body",
    "ub": "upper body",
    "tol": "tolerance",
    "sts": "sit stand",
    "ue": "upper extremity",
    "le": "lower extremity",
    "fm": "fine motor",
    "dressng": "dressing",
    "trnsfr": "transfer",
    "transfers": "transfer",
}
_IGNORED = {"with", "and", "the", "for", "from", "without", "improve", "safe", "patient", "will"}


@dataclass(frozen=True, slots=True)
class GoalRef:
    """A goal of the plan as the matcher needs it; `key` is the caller's id for it."""

    key: str
    measure: str
    description: str
    unit: str = ""

    @property
    def on_fim_scale(self) -> bool:
        return "fim" in self.measure.lower() or self.unit.strip().lower() == "level"


@dataclass(frozen=True, slots=True)
class GoalMeasure:
    key: str
    value: int | None
    assist_level: str


def _words(text: str) -> set[str]:
    found = set()
    for word in _WORD.findall(text.lower()):
        for part in _EXPANDED.get(word, word).split():
            if len(part) > 2 and part not in _IGNORED:
                found.add(part)
    return found


def goal_measure(
    line: ShorthandLine, goals: Sequence[GoalRef], *, lexicon: Lexicon | None = None
) -> GoalMeasure | None:
    """The goal the line's activity measures (most shared words, first on a tie), or None."""
    if line.assist_level is None:
        return None
    said = _words(line.activity)
    best: tuple[int, GoalRef] | None = None
    for goal in goals:
        shared = len(said & _words(f"{goal.measure} {goal.description}"))
        if shared >= MIN_SHARED_WORDS and (best is None or shared > best[0]):
            best = (shared, goal)
    if best is None:
        return None
    goal = best[1]
    levels = (lexicon or shipped_lexicon()).fim_levels
    value = levels.get(line.assist_level) if goal.on_fim_scale else None
    return GoalMeasure(goal.key, value, line.assist_level)


def measured_goal(
    measured: Measured, goals: Sequence[GoalRef], *, lexicon: Lexicon | None = None
) -> GoalRef | None:
    """The one goal whose measure names the instrument and whose unit is blank or one the
    instrument is written in; None when no goal or two goals fit (the clinician chooses)."""
    names = (lexicon or shipped_lexicon()).measures.values()
    name = next((n for n in names if n.instrument == measured.instrument), None)
    if name is None:
        return None
    fits = [
        goal
        for goal in goals
        if any(word in goal.measure.lower() for word in name.goal_words)
        and goal.unit.strip().lower() in name.units | {""}
    ]
    return fits[0] if len(fits) == 1 else None
