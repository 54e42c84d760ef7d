"""Evaluation complexity: the highest level whose every CPT component is met."""

import pytest

from otclinic.domain.care.complexity import (
    DecisionMaking,
    HistoryReview,
    Level,
    NoDeficits,
    deficits_level,
    select_complexity,
)

B, E, X = HistoryReview.BRIEF, HistoryReview.EXPANDED, HistoryReview.EXTENSIVE
LO, MO, HI = DecisionMaking.LOW, DecisionMaking.MODERATE, DecisionMaking.HIGH


@pytest.mark.parametrize(
    ("count", "level"),
    [
        (1, Level.LOW),
        (2, Level.LOW),
        (3, Level.MODERATE),
        (4, Level.MODERATE),
        (5, Level.HIGH),
        (9, Level.HIGH),
    ],
)
def test_deficit_counts_overlap_upwards_at_three_and_five(count: int, level: Level) -> None:
    assert deficits_level(count) is level


@pytest.mark.parametrize(
    ("history", "deficits", "decision", "code"),
    [
        (B, 1, LO, "97165"),
        (B, 6, HI, "97165"),
        (X, 2, HI, "97165"),
        (E, 3, MO, "97166"),
        (X, 4, HI, "97166"),
        (X, 6, MO, "97166"),
        (E, 5, HI, "97166"),
        (X, 5, HI, "97167"),
        (X, 8, HI, "97167"),
    ],
)
def test_the_lowest_component_selects_the_code(
    history: HistoryReview, deficits: int, decision: DecisionMaking, code: str
) -> None:
    assert (
        select_complexity(history=history, deficits=deficits, decision_making=decision).code == code
    )


def test_the_reasoning_names_each_component_and_what_held_the_level() -> None:
    selection = select_complexity(history=X, deficits=4, decision_making=HI)

    assert selection.reasons[0] == (
        "Occupational profile and history: extensive review meets high complexity."
    )
    assert selection.reasons[1] == "Performance deficits: 4 identified meets moderate complexity."
    assert "selects 97166 (held there by performance deficits)" in selection.reasoning


def test_no_deficit_supports_no_evaluation_code() -> None:
    with pytest.raises(NoDeficits, match="at least one performance deficit"):
        select_complexity(history=B, deficits=0, decision_making=LO)
