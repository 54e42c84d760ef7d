"""The CMS manual's own examples of timed units (MCPM Pub. 100-04 ch. 5 sec. 20.2, examples 1-5).

Each example gives the minutes of each 15-minute code on one day and the units to bill. Where the
manual lets a tie go either way (examples 2 and 5), otclinic's documented tie-break picks the
lower code number, and the test says which.
"""

import pytest

from otclinic.domain.billing import check_visit
from otclinic.domain.codes import Discipline
from tests.domain.billing.builders import finding, line, units_by_code, visit

EXAMPLES = [
    # Example 1: 24 min 97112 + 23 min 97110 = 47 min, 3 units: 2 of 97112, 1 of 97110.
    ("1", {"97112": 24, "97110": 23}, 3, {"97112": 2, "97110": 1}),
    # Example 2: 20 min 97112 + 20 min 97110 = 40 min, 3 units: either code 2, the other 1.
    ("2", {"97112": 20, "97110": 20}, 3, {"97110": 2, "97112": 1}),
    # Example 3: 33 min 97110 + 7 min 97140 = 40 min, 3 units: 2 of 97110, 1 of 97140.
    ("3", {"97110": 33, "97140": 7}, 3, {"97110": 2, "97140": 1}),
    # Example 4: 18 min 97110 + 13 min 97140 + 10 min 97116 + 8 min 97035 = 49 min, 3 units:
    # one each of 97110, 97140 and 97116; nothing for 97035.
    (
        "4",
        {"97110": 18, "97140": 13, "97116": 10, "97035": 8},
        3,
        {"97110": 1, "97140": 1, "97116": 1},
    ),
    # Example 5: 7 min each of 97112, 97110 and 97140 = 21 min, 1 unit: any one of the three.
    ("5", {"97112": 7, "97110": 7, "97140": 7}, 1, {"97110": 1}),
]


@pytest.mark.parametrize(("example", "minutes", "total", "units"), EXAMPLES)
@pytest.mark.parametrize("discipline", [Discipline.PT, Discipline.OT])
def test_the_manuals_examples_are_billed_as_the_manual_says(
    example: str,
    minutes: dict[str, int],
    total: int,
    units: dict[str, int],
    discipline: Discipline,
) -> None:
    decision = check_visit(
        visit(*(line(code, m) for code, m in minutes.items()), discipline=discipline)
    )
    assert decision.total_timed_minutes == sum(minutes.values())
    assert decision.total_timed_units == total
    assert units_by_code(decision) == units
    assert decision.billable


def test_the_example_list_is_complete() -> None:
    assert [e[0] for e in EXAMPLES] == ["1", "2", "3", "4", "5"]


def test_example_four_explains_why_97035_gets_nothing() -> None:
    decision = check_visit(
        visit(line("97110", 18), line("97140", 13), line("97116", 10), line("97035", 8))
    )
    message = finding(decision, "units.total_time")
    assert message.startswith("49 timed minutes = 3 full units + 4 minutes, so 3 units")
    assert "97035 8 min gets 0" in message


def test_example_five_says_the_tie_went_to_the_lower_code() -> None:
    decision = check_visit(visit(line("97112", 7), line("97110", 7), line("97140", 7)))
    message = finding(decision, "units.tie_break")
    assert "97110, 97112, 97140 tie with 7 leftover minutes each" in message
    assert "lower code number: 97110" in message
