"""Local days as ranges of instants, so a filter on a timestamp column reads its index.

`created_at__date__range=(first, last)` converts every row's timestamp to a local date before
comparing (no index helps, and the planner cannot estimate it); `created_at__range` of the
instants the days start and end compares the column as it is stored.
"""

import datetime as dt

from django.utils import timezone


def day_start(day: dt.date) -> dt.datetime:
    """The instant local `day` starts (a DST day is 23 or 25 hours long, never shifted)."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def days_filter(field: str, first: dt.date, last: dt.date) -> dict[str, dt.datetime]:
    """Keyword filters for the timestamps `field` on the local days `first` to `last`, both
    included: `{f"{field}__gte": start of first, f"{field}__lt": start of the day after last}`."""
    return {
        f"{field}__gte": day_start(first),
        f"{field}__lt": day_start(last + dt.timedelta(days=1)),
    }
