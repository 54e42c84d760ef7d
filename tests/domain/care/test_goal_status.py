"""A goal's status from its measures and dates, in the goal's own direction."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from otclinic.domain.care.goals import GoalFacts, GoalState, goal_state, overdue_text, reached

BY = dt.date(2026, 12, 1)
BEFORE, AFTER = BY - dt.timedelta(days=1), BY + dt.timedelta(days=1)
D = Decimal


def facts(baseline: str, target: str, latest: str | None, status: str = "active") -> GoalFacts:
    return GoalFacts(
        baseline=D(baseline),
        target=D(target),
        target_date=BY,
        recorded_status=status,
        latest=None if latest is None else D(latest),
    )


@pytest.mark.parametrize(
    ("goal", "as_of", "state"),
    [
        # Grip strength, higher is better: 19 kg against an 18 kg target is met.
        (facts("12", "18", "19"), BEFORE, GoalState.MET),
        (facts("12", "18", "18"), AFTER, GoalState.MET),
        (facts("12", "18", "17.5"), BEFORE, GoalState.IN_PROGRESS),
        (facts("12", "18", "17.5"), AFTER, GoalState.OVERDUE),
        (facts("12", "18", None), AFTER, GoalState.OVERDUE),
        (facts("12", "18", None), BY, GoalState.IN_PROGRESS),  # due today is not yet overdue
        # Nine-Hole Peg Test in seconds, lower is better.
        (facts("41", "30", "29.8"), BEFORE, GoalState.MET),
        (facts("41", "30", "31"), BEFORE, GoalState.IN_PROGRESS),
        (facts("41", "30", "31"), AFTER, GoalState.OVERDUE),
        # What the therapist recorded on a progress report or the discharge stands.
        (facts("12", "18", "19", "partially_met"), BEFORE, GoalState.PARTIALLY_MET),
        (facts("12", "18", "10", "discontinued"), AFTER, GoalState.DISCONTINUED),
        (facts("12", "18", "10", "not_met"), BEFORE, GoalState.NOT_MET),
    ],
)
def test_a_goals_status_follows_its_measure_direction_and_date(
    goal: GoalFacts, as_of: dt.date, state: GoalState
) -> None:
    assert goal_state(goal, as_of=as_of) is state


def test_an_unreached_goal_of_a_closed_episode_is_not_met() -> None:
    assert goal_state(facts("12", "18", "15"), as_of=AFTER, episode_open=False) is (
        GoalState.NOT_MET
    )
    assert goal_state(facts("12", "18", "18"), as_of=AFTER, episode_open=False) is GoalState.MET


values = st.decimals(min_value=-100, max_value=1000, places=2, allow_nan=False)


@given(baseline=values, target=values, value=values)
def test_reaching_is_the_mirror_image_when_the_direction_flips(
    baseline: Decimal, target: Decimal, value: Decimal
) -> None:
    """Negating every figure turns a higher-is-better goal into a lower-is-better one."""
    if baseline == target:
        return
    up = facts(str(baseline), str(target), None)
    down = facts(str(-baseline), str(-target), None)
    assert reached(up, value) == reached(down, -value)


@given(baseline=values, target=values, latest=values, days=st.integers(-60, 60))
def test_a_measure_at_or_past_the_target_is_met_whatever_the_date(
    baseline: Decimal, target: Decimal, latest: Decimal, days: int
) -> None:
    goal = facts(str(baseline), str(target), str(latest))
    as_of = BY + dt.timedelta(days=days)
    state = goal_state(goal, as_of=as_of)
    assert (state is GoalState.MET) == reached(goal, latest)
    if state is not GoalState.MET:
        assert state is (GoalState.OVERDUE if days > 0 else GoalState.IN_PROGRESS)


def test_the_overdue_line_names_the_measure_target_and_date() -> None:
    text = overdue_text(measure="Grip strength", target=D("18.00"), unit="kg", target_date=BY)
    assert text == "Goal overdue: Grip strength target 18 kg was due by Dec 01, 2026; reassess it."


@pytest.mark.parametrize(("target", "written"), [("30.00", "30"), ("100", "100"), ("2.50", "2.5")])
def test_the_overdue_line_writes_a_round_target_as_a_person_does(target: str, written: str) -> None:
    # Decimal("30.00").normalize() prints as "3E+1": the line must never show an exponent.
    text = overdue_text(measure="Tower", target=D(target), unit="blocks", target_date=BY)
    assert f"target {written} blocks was due" in text
