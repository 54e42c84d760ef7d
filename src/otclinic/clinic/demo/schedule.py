"""The demo clinic's calendar extras: the days it closes, and two patients on the waitlist.

Run after the main seed and again on any later run: it adds only what is missing, so running the
seed twice adds nothing. The closures are the practice's own choice (six US federal holidays,
on the weekday they are observed), not a rule; only days after today are added, so the visits
already in the demo's history never fall on a closed day.
"""

import datetime as dt
import uuid
from typing import Any

from otclinic.clinic.patients.models import Patient
from otclinic.clinic.scheduling.models import ClinicHoliday, WaitlistEntry, WaitlistStatus
from otclinic.clinic.staff.models import StaffProfile


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The n-th (1-based; -1 = last) `weekday` (Monday = 0) of a month."""
    if n < 0:
        last = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
        return last - dt.timedelta(days=(last.weekday() - weekday) % 7)
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _observed(day: dt.date) -> dt.date:
    """A Saturday holiday is observed on Friday, a Sunday one on Monday (5 U.S.C. 6103(b))."""
    return day + dt.timedelta(days={5: -1, 6: 1}.get(day.weekday(), 0))


def closures(year: int) -> list[tuple[dt.date, str]]:
    """The days the demo practice closes in `year`."""
    return [
        (_observed(dt.date(year, 1, 1)), "New Year's Day"),
        (_nth_weekday(year, 5, 0, -1), "Memorial Day"),
        (_observed(dt.date(year, 7, 4)), "Independence Day"),
        (_nth_weekday(year, 9, 0, 1), "Labor Day"),
        (_nth_weekday(year, 11, 3, 4), "Thanksgiving Day"),
        (_observed(dt.date(year, 12, 25)), "Christmas Day"),
    ]


def add_closures(organization_id: uuid.UUID, today: dt.date) -> int:
    """Organization-wide closures from tomorrow through next year; the ones missing only."""
    taken = set(
        ClinicHoliday.objects.filter(organization_id=organization_id, clinic=None).values_list(
            "date", flat=True
        )
    )
    rows = [
        ClinicHoliday(organization_id=organization_id, date=day, name=name)
        for year in (today.year, today.year + 1)
        for day, name in closures(year)
        if day > today and day not in taken
    ]
    ClinicHoliday.objects.bulk_create(rows)
    return len(rows)


def add_waitlist(organization_id: uuid.UUID) -> int:
    """Two patients in care who would take an earlier slot; none added if any entry exists."""
    if WaitlistEntry.objects.filter(organization_id=organization_id).exists():
        return 0
    patients = list(
        Patient.objects.filter(organization_id=organization_id, episodes__status="open")
        .distinct()
        .order_by("mrn")[:2]
    )
    ot = (
        StaffProfile.objects.filter(organization_id=organization_id, user__role="OT", active=True)
        .order_by("user__username")
        .first()
    )
    wishes: list[dict[str, Any]] = [
        {
            "preferred_weekdays": [0, 2, 4],
            "preferred_from": dt.time(8),
            "preferred_until": dt.time(12),
        },
        {"clinician": ot, "preferred_from": dt.time(13)},
    ]
    rows = [
        WaitlistEntry(
            organization_id=organization_id, patient=patient, status=WaitlistStatus.WAITING, **wish
        )
        for patient, wish in zip(patients, wishes, strict=False)
    ]
    WaitlistEntry.objects.bulk_create(rows)
    return len(rows)


def add_schedule_extras(organization_id: uuid.UUID, today: dt.date) -> int:
    """Closures and the waitlist; how many rows were added (0 on a repeated run)."""
    return add_closures(organization_id, today) + add_waitlist(organization_id)
