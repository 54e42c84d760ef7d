"""Sampled review: the draw decides, 0% never picks, 100% always does, the rate is the percent."""

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from otclinic.domain.codes import Role
from otclinic.domain.compliance.cosign_sampling import (
    DRAW_RANGE,
    eligible_for_sampling,
    sample_decision,
)

percents = st.integers(min_value=0, max_value=100)
draws = st.integers(min_value=0, max_value=DRAW_RANGE - 1)


@pytest.mark.parametrize(
    ("percent", "draw", "picked"),
    [
        (0, 0, False),
        (1, 99, True),
        (1, 100, False),
        (20, 1999, True),
        (20, 2000, False),
        (100, DRAW_RANGE - 1, True),
        (50, 4999, True),
        (50, 5000, False),
    ],
)
def test_a_draw_below_the_percentage_of_the_range_is_picked(
    percent: int, draw: int, picked: bool
) -> None:
    assert sample_decision(percent=percent, draw=draw).picked is picked


@given(draws)
def test_zero_percent_never_picks_and_100_always_does(draw: int) -> None:
    assert not sample_decision(percent=0, draw=draw).picked
    assert sample_decision(percent=100, draw=draw).picked


@given(percents, percents, draws)
def test_a_higher_percentage_picks_everything_a_lower_one_does(
    low: int, high: int, draw: int
) -> None:
    low, high = min(low, high), max(low, high)
    if sample_decision(percent=low, draw=draw).picked:
        assert sample_decision(percent=high, draw=draw).picked


@given(percents)
def test_exactly_the_percentage_of_all_draws_is_picked(percent: int) -> None:
    picked = sum(sample_decision(percent=percent, draw=d).picked for d in range(DRAW_RANGE))
    assert picked == percent * DRAW_RANGE // 100


def test_over_many_notes_with_a_fixed_seed_the_share_picked_is_near_the_percentage() -> None:
    rng = random.Random(20261127)
    picked = sum(
        sample_decision(percent=20, draw=rng.randrange(DRAW_RANGE)).picked for _ in range(5000)
    )
    # 5000 draws at p = 0.2: sd = sqrt(5000 * 0.2 * 0.8) = 28.3; four sd either side.
    assert 1000 - 114 <= picked <= 1000 + 114


@pytest.mark.parametrize(("percent", "draw"), [(-1, 0), (101, 0), (50, -1), (50, DRAW_RANGE)])
def test_out_of_range_inputs_are_refused(percent: int, draw: int) -> None:
    with pytest.raises(ValueError, match="must be"):
        sample_decision(percent=percent, draw=draw)


@pytest.mark.parametrize(
    ("role", "required", "supervisor", "eligible"),
    [
        (Role.OTA, False, True, True),
        (Role.STUDENT, False, True, True),
        (Role.OTA, True, True, False),
        (Role.OT, False, True, False),
        (Role.OTA, False, False, False),
    ],
)
def test_only_a_supervised_authors_note_without_a_required_cosignature_is_eligible(
    role: Role, required: bool, supervisor: bool, eligible: bool
) -> None:
    assert (
        eligible_for_sampling(author_role=role, cosign_required=required, has_supervisor=supervisor)
        is eligible
    )


def test_the_reason_shows_the_arithmetic() -> None:
    reason = sample_decision(percent=20, draw=1234).reason
    assert "20%" in reason and "1234" in reason and "2000" in reason


def test_the_plain_sentence_leaves_the_draw_to_the_figures() -> None:
    decision = sample_decision(percent=20, draw=1234)
    assert decision.plain.startswith("Picked at random") and "1234" not in decision.plain
    assert dict(decision.figures) == {
        "Draw": "1234 (a whole number from 0 to 9999)",
        "Picked when the draw is below": "2000 (20% of 10000)",
    }
    assert sample_decision(percent=20, draw=2000).plain.startswith("Not picked")
