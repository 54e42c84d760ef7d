"""Timed units: the CMS total-time method (MCPM ch. 5 sec. 20.2) and the per-code method."""

import pytest

from otclinic.domain.billing.units import (
    allocate_per_code,
    allocate_total_time,
    base_and_addon_units,
    units_for_minutes,
)

CAREGIVER = {
    "base_minutes": 30,
    "base_threshold": 16,
    "addon_minutes": 15,
    "addon_threshold": 8,
}


@pytest.mark.parametrize(
    ("minutes", "units"),
    [
        (0, 0), (7, 0), (8, 1), (22, 1), (23, 2), (37, 2), (38, 3), (52, 3), (53, 4),
        (67, 4), (68, 5), (82, 5), (83, 6), (97, 6), (98, 7), (112, 7), (113, 8), (127, 8),
    ],
)  # fmt: skip
def test_units_follow_the_manuals_table(minutes: int, units: int) -> None:
    assert units_for_minutes(minutes) == units


def test_negative_minutes_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        units_for_minutes(-1)


# MCPM ch. 5 sec. 20.2: the manual's examples, then more cases of its total-time method.
@pytest.mark.parametrize(
    ("codes", "minutes", "expected"),
    [
        (("97112", "97110"), (24, 23), (2, 1)),
        (("97110", "97140"), (33, 7), (2, 1)),
        (("97530", "97535"), (23, 15), (2, 1)),
        (("97110", "97140"), (7, 7), (1, 0)),
        (("97110", "97140"), (5, 7), (0, 1)),
        (("97530",), (38,), (3,)),
        (("97530", "97535", "97110"), (15, 15, 15), (1, 1, 1)),
        (("97530", "97535", "97110"), (10, 10, 10), (1, 0, 1)),
    ],
)
def test_total_time_allocates_like_the_manual(
    codes: tuple[str, ...], minutes: tuple[int, ...], expected: tuple[int, ...]
) -> None:
    assert allocate_total_time(codes, minutes).units == expected


def test_twenty_and_twenty_minutes_give_three_units_and_the_tie_goes_to_the_lower_code() -> None:
    allocation = allocate_total_time(("97112", "97110"), (20, 20))
    assert allocation.total_units == 3
    assert allocation.units == (1, 2)
    assert allocation.tie_winners == ("97110",)
    assert allocation.tie_losers == ("97112",)


def test_the_tie_break_does_not_depend_on_the_order_of_the_lines() -> None:
    forward = allocate_total_time(("97110", "97112"), (20, 20))
    backward = allocate_total_time(("97112", "97110"), (20, 20))
    assert forward.units == (2, 1)
    assert backward.units == (1, 2)


def test_no_tie_is_reported_when_every_tied_code_gets_the_unit() -> None:
    allocation = allocate_total_time(("97110", "97112"), (8, 8))
    assert allocation.units == (1, 0)  # 16 min = 1 unit: a real tie
    assert allocation.tie_winners == ("97110",)
    both = allocate_total_time(("97110", "97112"), (12, 12))
    assert both.units == (1, 1)
    assert both.tie_winners == ()


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [((24, 23), (2, 2)), ((33, 7), (2, 0)), ((7, 7), (0, 0)), ((38,), (3,))],
)
def test_per_code_counts_each_code_on_its_own(
    minutes: tuple[int, ...], expected: tuple[int, ...]
) -> None:
    assert allocate_per_code(minutes) == expected


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [(15, (0, 0)), (16, (1, 0)), (30, (1, 0)), (37, (1, 0)), (38, (1, 1)), (52, (1, 1)),
     (53, (1, 2))],
)  # fmt: skip
def test_caregiver_training_units_follow_their_parameters(
    minutes: int, expected: tuple[int, int]
) -> None:
    assert base_and_addon_units(minutes, CAREGIVER) == expected
