"""Goal measures written in shorthand with their value: read with unit and scale checks, and
placed on the one plan goal that measures the instrument."""

from decimal import Decimal

import pytest

from otclinic.domain.care.shorthand import parse_line
from otclinic.domain.care.shorthand.goals import GoalRef, measured_goal
from otclinic.domain.care.shorthand.measures import left_unread


@pytest.mark.parametrize(
    ("text", "instrument", "value", "unit"),
    [
        ("grip 21.5 kg", "grip_kg", "21.5", "kg"),
        ("grip 21.5kg", "grip_kg", "21.5", "kg"),
        ("9HPT 24 s", "nine_hole_peg_s", "24", "s"),
        ("nine hole peg 31.2 sec", "nine_hole_peg_s", "31.2", "sec"),
        ("COPM perf 6", "copm_performance", "6", ""),
        ("COPM sat 7", "copm_satisfaction", "7", ""),
        ("barthel 85", "barthel", "85", ""),
        ("QuickDASH 40.9", "quickdash", "40.9", ""),
    ],
)
def test_a_measure_and_its_value_are_read(
    text: str, instrument: str, value: str, unit: str
) -> None:
    line = parse_line(text)

    assert [(m.instrument, m.value, m.unit) for m in line.measures] == [
        (instrument, Decimal(value), unit)
    ]
    assert line.unread == ()
    assert line.code is None


@pytest.mark.parametrize(
    "text",
    [
        "grip 48 lb",  # grip is recorded in kilograms, not converted
        "grip 21.5 s",  # a unit of another measure
        "9HPT 24 kg",
        "grip 250 kg",  # off the scale of rules/measures.yaml
        "COPM perf 12",  # COPM is 1-10
    ],
)
def test_a_wrong_unit_or_a_value_off_the_scale_stays_unread(text: str) -> None:
    line = parse_line(text)

    assert line.measures == ()
    assert line.unread == (text,)


@pytest.mark.parametrize(
    ("text", "assistant_minutes"),
    [
        ("ther ex grip 10 min", 10),  # minutes of grip exercise
        ("ther ex grip 10", 10),  # grip needs its unit written: a bare 10 is minutes
        ("ther ex 12 grip strengthening", 12),
    ],
)
def test_a_measure_word_without_its_measure_reads_as_before(
    text: str, assistant_minutes: int
) -> None:
    line = parse_line(text)

    assert line.measures == ()
    assert line.code == "97110"
    assert line.minutes.assistant == assistant_minutes
    assert "grip" in line.activity


def test_a_measure_on_an_intervention_line_is_read_with_the_intervention() -> None:
    line = parse_line("ther ex 10 BUE AROM grip 22 kg")

    assert (line.code, line.minutes.assistant) == ("97110", 10)
    assert [(m.instrument, m.value) for m in line.measures] == [("grip_kg", Decimal("22"))]
    assert line.unread == ()


GRIP = GoalRef("g1", "grip strength", "Improve grip to open jars", "kg")
BARTHEL = GoalRef("g2", "Barthel Index", "Independent in ADLs", "")
PEG = GoalRef("g3", "Nine-Hole Peg Test (R)", "Faster fine motor", "seconds")


@pytest.mark.parametrize(
    ("text", "goals", "key"),
    [
        ("grip 21.5 kg", [GRIP, BARTHEL], "g1"),
        ("barthel 80", [GRIP, BARTHEL], "g2"),
        ("9HPT 24 s", [GRIP, PEG], "g3"),
        ("9HPT 24 s", [GRIP, BARTHEL], None),  # no goal measures it
        ("grip 21.5 kg", [GoalRef("g4", "grip strength", "in pounds", "lb")], None),  # unit
        ("grip 21.5 kg", [GRIP, GoalRef("g5", "grip strength L", "left", "kg")], None),  # two
    ],
)
def test_a_measure_goes_to_the_one_goal_that_measures_it(
    text: str, goals: list[GoalRef], key: str | None
) -> None:
    (measured,) = parse_line(text).measures

    goal = measured_goal(measured, goals)

    assert (goal.key if goal else None) == key


def test_a_measure_left_unread_joins_its_neighbouring_unread_words() -> None:
    line = parse_line("ther ex 10 grip 22 kg R")
    assert line.unread == ("R",)

    left = left_unread(line, line.measures)

    assert left.measures == ()
    assert left.unread == ("grip 22 kg R",)
    assert [p.kind for p in left.pieces][-4:] == ["unread"] * 4
