"""The suite's clock: every test runs at the same moment, whatever the real date.

The root conftest moves the clock (time-machine, process-wide, so a live server thread sees it
too) to `NOW` for each test, and lets it run from there (`tick=True`), so timestamps still
advance within a test. A test that needs another moment travels there itself; time-machine
nests, and leaving the inner travel comes back to this clock.

The moment is a Thursday morning in the clinic's time zone. Thursday, because the demo clinic's
OTA then has notes waiting for the OT's co-signature (their notes of the last two working days
are still drafts, and after four days they are co-signed). Early December, close to the dates the
tests were written around, with no closure in the demo calendar that week.
"""

import datetime as dt
from zoneinfo import ZoneInfo

TODAY = dt.date(2026, 12, 3)  # a Thursday
TIME_OF_DAY = dt.time(10, 0)
# The browser tests' demo clinic is seeded half an hour earlier, so that whatever a test writes
# is newer than every seeded row, as it would be in the clinic.
SEED_TIME_OF_DAY = dt.time(9, 30)


def clinic_time_zone() -> ZoneInfo:
    """The time zone the clinic's dates are in (settings.TIME_ZONE)."""
    from django.conf import settings

    return ZoneInfo(settings.TIME_ZONE)


def now() -> dt.datetime:
    """The moment every test starts at."""
    return dt.datetime.combine(TODAY, TIME_OF_DAY, tzinfo=clinic_time_zone())


def seeded_at() -> dt.datetime:
    """The moment the browser tests' demo clinic is seeded at."""
    return dt.datetime.combine(TODAY, SEED_TIME_OF_DAY, tzinfo=clinic_time_zone())
