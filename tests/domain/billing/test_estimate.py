"""Payment estimates: MPPR on the practice-expense portion, then 85% for assistant lines."""

from datetime import date
from decimal import Decimal

import pytest

from otclinic.domain.billing.estimate import EstimateLine, estimate_allowed

D = Decimal


def line(code: str, units: int, *modifiers: str, allowed: str, pe: str | None) -> EstimateLine:
    return EstimateLine(
        code=code,
        units=units,
        modifiers=modifiers,
        allowed_per_unit=D(allowed),
        practice_expense_per_unit=None if pe is None else D(pe),
    )


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        # One unit: nothing to reduce.
        ([line("97530", 1, "GO", allowed="35.10", pe="14.00")], ["35.10"]),
        # Two units of one code: the second loses half its PE, 70.20 - 7.00.
        ([line("97530", 2, "GO", allowed="35.10", pe="14.00")], ["63.20"]),
        # Two codes: the higher-PE unit (97530) is full, 97110 loses 6.00 of 30.00.
        (
            [
                line("97110", 1, "GO", allowed="30.00", pe="12.00"),
                line("97530", 1, "GO", allowed="35.10", pe="14.00"),
            ],
            ["24.00", "35.10"],
        ),
        # An assistant line alone: 85% of 35.10 = 29.835, rounded half up once.
        ([line("97530", 1, "GO", "CO", allowed="35.10", pe="14.00")], ["29.84"]),
        # Split CO: the therapist's unit full; the CO unit (35.10 - 7.00) x 0.85 = 23.885.
        (
            [
                line("97530", 1, "GO", allowed="35.10", pe="14.00"),
                line("97530", 1, "GO", "CO", allowed="35.10", pe="14.00"),
            ],
            ["35.10", "23.89"],
        ),
        # CQ (the PTA's modifier) is paid at 85% too.
        ([line("97110", 2, "GP", "CQ", allowed="30.00", pe="12.00")], ["45.90"]),
        # No PE amount in the schedule: no MPPR reduction can be estimated.
        ([line("97535", 3, "GO", allowed="40.00", pe=None)], ["120.00"]),
        # A tie on PE: the first line keeps the full unit.
        (
            [
                line("97110", 1, "GO", allowed="30.00", pe="12.00"),
                line("97112", 1, "GO", allowed="33.00", pe="12.00"),
            ],
            ["30.00", "27.00"],
        ),
        # An untimed evaluation with the highest PE takes the full unit from the timed codes.
        (
            [
                line("97165", 1, "GO", allowed="100.00", pe="45.00"),
                line("97530", 2, "GO", allowed="35.10", pe="14.00"),
            ],
            ["100.00", "56.20"],
        ),
    ],
)
def test_estimates_follow_the_table(lines: list[EstimateLine], expected: list[str]) -> None:
    estimate = estimate_allowed(lines, date_of_service=date(2026, 3, 12))
    assert estimate.lines == tuple(D(amount) for amount in expected)
    assert estimate.total == sum((D(amount) for amount in expected), D(0))


def test_negative_amounts_are_refused() -> None:
    with pytest.raises(ValueError, match="97530"):
        estimate_allowed(
            [line("97530", 1, allowed="-1.00", pe=None)], date_of_service=date(2026, 3, 12)
        )


@pytest.mark.parametrize(
    ("day", "expected"),
    [(date(2021, 12, 31), "35.10"), (date(2022, 1, 1), "29.84"), (date(2019, 6, 1), "35.10")],
)
def test_the_assistants_85_percent_applies_only_from_2022(day: date, expected: str) -> None:
    lines = [line("97530", 1, "GO", "CO", allowed="35.10", pe="14.00")]
    assert estimate_allowed(lines, date_of_service=day).lines == (D(expected),)
