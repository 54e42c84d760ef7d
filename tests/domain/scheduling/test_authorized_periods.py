"""A payer's authorization for one discipline: visits counted between its dates."""

import datetime as dt
from dataclasses import replace

from otclinic.domain.scheduling.authorization import AuthorizedPeriod, authorized_period_problem

WINTER = AuthorizedPeriod(
    number="A1",
    discipline="OT",
    visits=12,
    starts_on=dt.date(2026, 12, 1),
    ends_on=dt.date(2027, 2, 28),
    used=11,
)


def _problem(day: dt.date, *periods: AuthorizedPeriod, discipline: str = "OT") -> str | None:
    return authorized_period_problem(discipline=discipline, day=day, periods=periods)


def test_a_visit_within_the_dates_with_visits_left_is_fine() -> None:
    assert _problem(dt.date(2026, 12, 3), WINTER) is None


def test_the_first_and_last_authorized_days_are_inside() -> None:
    assert _problem(WINTER.starts_on, WINTER) is None
    assert _problem(WINTER.ends_on, WINTER) is None


def test_the_visit_past_the_authorized_count_says_so() -> None:
    assert _problem(dt.date(2027, 1, 5), replace(WINTER, used=12)) == (
        "OT authorization A1: visit 13 of 12 authorized: the coverage's authorization allows "
        "12 visits and 12 are already booked or completed"
    )


def test_a_visit_outside_the_dates_names_them() -> None:
    assert _problem(dt.date(2027, 3, 1), WINTER) == (
        "no OT authorization covers 03/01/2027 (A1 runs 12/01/2026 to 02/28/2027): ask the "
        "payer for an authorization for these dates before booking"
    )


def test_another_disciplines_authorization_does_not_limit_this_one() -> None:
    assert _problem(dt.date(2027, 3, 1), WINTER, discipline="PT") is None


def test_of_two_authorizations_in_force_the_one_with_visits_left_counts() -> None:
    full, fresh = replace(WINTER, used=12), replace(WINTER, number="A2", used=0)
    assert _problem(dt.date(2027, 1, 5), full, fresh) is None
