"""A plan's frequency, duration and certification period agree (BPM ch. 15 sec. 220.1.2-220.1.3)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from otclinic.domain.care.plan_agreement import plan_problems, plan_rules


@pytest.mark.parametrize(
    ("frequency", "weeks", "days"),
    [(3, 8, 56), (3, 8, 90), (2, 12, 84), (1, 12, 90), (14, 1, 7)],
)
def test_a_plan_whose_weeks_fit_its_period_agrees(frequency: int, weeks: int, days: int) -> None:
    assert (
        plan_problems(frequency_per_week=frequency, duration_weeks=weeks, duration_days=days) == {}
    )


@pytest.mark.parametrize(
    ("frequency", "weeks", "days", "field", "message"),
    [
        (3, 8, 55, "duration_weeks", "3x/week for 8 weeks (56 days) does not fit in the 55-day"),
        (2, 13, 90, "duration_weeks", "13 weeks (91 days)"),
        (2, 8, 91, "duration_days", "at most 90 days, not 91"),
        (15, 4, 28, "frequency_per_week", "between 1 and 14 visits a week, not 15"),
        (0, 4, 28, "frequency_per_week", "not 0"),
        (2, 0, 28, "duration_weeks", "at least 1"),
    ],
)
def test_a_plan_that_does_not_agree_is_refused_on_the_field(
    frequency: int, weeks: int, days: int, field: str, message: str
) -> None:
    problems = plan_problems(frequency_per_week=frequency, duration_weeks=weeks, duration_days=days)
    assert message in " ".join(problems[field])


def test_the_rule_cites_the_benefit_policy_manual() -> None:
    rules = plan_rules()
    assert rules.max_certification_days == 90
    assert "ch. 15 sec. 220.1.2" in rules.reference and "220.1.3" in rules.reference


@given(weeks=st.integers(1, 52), days=st.integers(1, 366))
def test_weeks_are_refused_exactly_when_they_outlast_the_period(weeks: int, days: int) -> None:
    problems = plan_problems(frequency_per_week=2, duration_weeks=weeks, duration_days=days)
    assert ("duration_weeks" in problems) == (weeks * 7 > days)
    assert ("duration_days" in problems) == (days > 90)
