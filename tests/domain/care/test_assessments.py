from decimal import Decimal

import pytest

from otclinic.domain.care.assessments import Instrument, score_problem

Ins = Instrument


@pytest.mark.parametrize(
    ("instrument", "value", "side"),
    [
        (Ins.COPM_PERFORMANCE, "1", ""),
        (Ins.COPM_SATISFACTION, "10", ""),
        (Ins.BARTHEL, "0", ""),
        (Ins.BARTHEL, "85", ""),
        (Ins.QUICKDASH, "43.18", ""),
        (Ins.GRIP_KG, "18.5", "right"),
        (Ins.NINE_HOLE_PEG, "32.4", "left"),
    ],
)
def test_scores_on_the_scale_are_accepted(instrument: Instrument, value: str, side: str) -> None:
    assert score_problem(instrument, Decimal(value), side) is None


@pytest.mark.parametrize(
    ("instrument", "value", "side", "message"),
    [
        (Ins.COPM_PERFORMANCE, "0", "", "between 1 and 10"),
        (Ins.COPM_SATISFACTION, "11", "", "between 1 and 10"),
        (Ins.BARTHEL, "101", "", "between 0 and 100"),
        (Ins.BARTHEL, "82", "", "steps of 5"),
        (Ins.QUICKDASH, "-1", "", "between 0 and 100"),
        (Ins.GRIP_KG, "20", "", "choose left or right"),
        (Ins.NINE_HOLE_PEG, "2", "left", "between 5 and 600"),
        (Ins.BARTHEL, "60", "left", "not measured per side"),
    ],
)
def test_scores_off_the_scale_are_refused_with_the_range(
    instrument: Instrument, value: str, side: str, message: str
) -> None:
    problem = score_problem(instrument, Decimal(value), side)
    assert problem is not None
    assert message in problem
