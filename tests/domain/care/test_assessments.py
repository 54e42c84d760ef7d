import datetime as dt
from decimal import Decimal

import pytest

from otclinic.domain.care.assessments import (
    SCALES,
    Direction,
    Instrument,
    age_on,
    label_of,
    measure_set_for,
    score_problem,
)

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


@pytest.mark.parametrize(
    ("instrument", "value", "message"),
    [
        (Ins.GAS, "2", None),
        (Ins.GAS, "-2", None),
        (Ins.GAS, "-3", "between -2 and 2"),
        (Ins.GAS, "0.5", "steps of 1"),
    ],
)
def test_goal_attainment_scaling_runs_from_minus_two_to_plus_two(
    instrument: Instrument, value: str, message: str | None
) -> None:
    problem = score_problem(instrument, Decimal(value), "")
    assert (problem is None) if message is None else (message in (problem or ""))


@pytest.mark.parametrize(
    ("age", "codes", "set_name"),
    [
        (8, ["F82"], "Paediatric: development and participation"),
        (8, ["I69.351"], "Paediatric: development and participation"),
        (17, [], "Paediatric: development and participation"),
        (18, [], "Adult: general"),
        (72, ["I69.351", "M19.011"], "Adult: neurological"),
        (45, ["S62.101A"], "Adult: hand and upper limb"),
    ],
)
def test_the_measure_set_follows_age_group_and_condition(
    age: int, codes: list[str], set_name: str
) -> None:
    assert measure_set_for(age=age, diagnosis_codes=codes).name == set_name


def test_a_child_is_never_offered_an_adult_only_instrument() -> None:
    child = measure_set_for(age=8, diagnosis_codes=["F82"])
    assert Ins.BARTHEL not in child.instruments and Ins.QUICKDASH not in child.instruments
    assert {Ins.COPM_PERFORMANCE, Ins.GAS, Ins.GRIP_KG, Ins.NINE_HOLE_PEG} <= set(child.instruments)


def test_every_instrument_cites_its_source_licence_scoring_and_direction() -> None:
    for instrument, scale in SCALES.items():
        assert scale.source and scale.licence and scale.scoring, instrument
        assert scale.low < scale.high
    assert SCALES[Ins.NINE_HOLE_PEG].direction is Direction.LOWER
    assert SCALES[Ins.GRIP_KG].direction is Direction.HIGHER


@pytest.mark.parametrize(
    ("instrument", "age", "author"),
    [
        (Ins.NINE_HOLE_PEG, 8, "Poole"),
        (Ins.NINE_HOLE_PEG, 40, "Mathiowetz"),
        (Ins.GRIP_KG, 10, "norms for 6- to 19-year-olds"),
        (Ins.GRIP_KG, 5, None),
    ],
)
def test_the_norm_is_the_one_for_the_patients_age_band(
    instrument: Instrument, age: int, author: str | None
) -> None:
    norm = SCALES[instrument].norm_for(age)
    assert (norm is None) if author is None else (author in norm.source)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("birth", "day", "age"),
    [
        (dt.date(2018, 5, 2), dt.date(2026, 12, 3), 8),
        (dt.date(2018, 12, 3), dt.date(2026, 12, 3), 8),
        (dt.date(2018, 12, 4), dt.date(2026, 12, 3), 7),
        (dt.date(2016, 2, 29), dt.date(2026, 2, 28), 9),
    ],
)
def test_age_is_counted_in_whole_years(birth: dt.date, day: dt.date, age: int) -> None:
    assert age_on(birth, day) == age


def test_a_stored_key_is_shown_by_its_label() -> None:
    assert label_of("nine_hole_peg_s") == "Nine-Hole Peg Test"
    assert label_of("something_else") == "something_else"
