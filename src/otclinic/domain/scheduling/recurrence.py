"""Session dates of a recurring series, from the plan of care's frequency and duration."""

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True, slots=True)
class Series:
    """The dates to book, and the dates left out (holidays, past the certification)."""

    dates: tuple[date, ...]
    skipped_holidays: tuple[date, ...]
    past_certification: tuple[date, ...]


def _week_days(week_start: date, weekdays: frozenset[int], per_week: int) -> list[date]:
    days = (week_start + timedelta(days=offset) for offset in range(7))
    return [day for day in days if day.weekday() in weekdays][:per_week]


def session_dates(
    *,
    start: date,
    weekdays: Iterable[int],
    frequency_per_week: int,
    duration_weeks: int,
    certified_through: date | None = None,
    holidays: Collection[date] = (),
) -> Series:
    """Dates on the chosen weekdays (Monday = 0), `frequency_per_week` in each of the weeks
    counted from `start`, for `duration_weeks` weeks.

    A holiday is skipped, not moved: the plan's frequency is a ceiling, and a make-up session
    is the front desk's decision. No date falls after `certified_through`.
    """
    chosen = frozenset(weekdays)
    if not chosen or not chosen <= set(range(7)):
        raise ValueError(f"weekdays must be numbers 0 (Monday) to 6 (Sunday), got {sorted(chosen)}")
    if frequency_per_week < 1 or duration_weeks < 1:
        raise ValueError("frequency per week and duration in weeks must both be at least 1")
    if len(chosen) < frequency_per_week:
        raise ValueError(
            f"the plan asks for {frequency_per_week} sessions a week, "
            f"but only {len(chosen)} weekday(s) were chosen"
        )
    wanted = [
        day
        for week in range(duration_weeks)
        for day in _week_days(start + timedelta(weeks=week), chosen, frequency_per_week)
    ]
    late = tuple(d for d in wanted if certified_through is not None and d > certified_through)
    in_period = [d for d in wanted if d not in late]
    return Series(
        dates=tuple(d for d in in_period if d not in holidays),
        skipped_holidays=tuple(d for d in in_period if d in holidays),
        past_certification=late,
    )
