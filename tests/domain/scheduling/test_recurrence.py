from datetime import date, timedelta

import pytest

from otclinic.domain.scheduling.recurrence import session_dates

MON, WED, FRI = 0, 2, 4
START = date(2026, 6, 1)  # a Monday
JULY_4TH_OBSERVED = date(2026, 7, 3)  # a Friday in week 5


def _mwf(weeks: int) -> list[date]:
    return [START + timedelta(weeks=w, days=d) for w in range(weeks) for d in (0, 2, 4)]


def test_three_times_a_week_for_eight_weeks_skips_the_clinic_holiday() -> None:
    series = session_dates(
        start=START,
        weekdays=[MON, WED, FRI],
        frequency_per_week=3,
        duration_weeks=8,
        holidays={JULY_4TH_OBSERVED},
    )
    assert len(series.dates) == 23
    assert series.skipped_holidays == (JULY_4TH_OBSERVED,)
    assert list(series.dates) == [d for d in _mwf(8) if d != JULY_4TH_OBSERVED]
    assert series.dates[:4] == (
        date(2026, 6, 1),
        date(2026, 6, 3),
        date(2026, 6, 5),
        date(2026, 6, 8),
    )
    assert series.dates[-1] == date(2026, 7, 24)


def test_no_session_falls_after_the_certified_through_date() -> None:
    series = session_dates(
        start=START,
        weekdays=[MON, WED, FRI],
        frequency_per_week=3,
        duration_weeks=8,
        certified_through=date(2026, 6, 30),
    )
    assert series.dates[-1] == date(2026, 6, 29)
    assert all(d <= date(2026, 6, 30) for d in series.dates)
    assert series.past_certification[0] == date(2026, 7, 1)
    assert len(series.dates) + len(series.past_certification) == 24


def test_weeks_count_from_a_midweek_start() -> None:
    # Starting on a Wednesday, the first week runs Wednesday to Tuesday.
    series = session_dates(
        start=date(2026, 6, 3), weekdays=[MON, WED], frequency_per_week=2, duration_weeks=2
    )
    assert series.dates == (
        date(2026, 6, 3),
        date(2026, 6, 8),
        date(2026, 6, 10),
        date(2026, 6, 15),
    )


def test_extra_weekdays_do_not_exceed_the_plan_frequency() -> None:
    series = session_dates(
        start=START, weekdays=[0, 1, 2, 3, 4], frequency_per_week=2, duration_weeks=3
    )
    assert len(series.dates) == 6
    assert {d.weekday() for d in series.dates} == {0, 1}


@pytest.mark.parametrize(
    ("weekdays", "per_week", "message"),
    [([MON], 3, "only 1 weekday"), ([], 1, "weekdays must"), ([7], 1, "weekdays must")],
)
def test_impossible_series_are_refused_with_the_reason(
    weekdays: list[int], per_week: int, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        session_dates(start=START, weekdays=weekdays, frequency_per_week=per_week, duration_weeks=8)
