"""Reads of the schedule, scoped to the user's organization."""

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from otclinic.clinic.scheduling.models import Appointment


def _day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    return start, start + dt.timedelta(days=1)


def caseload_for_user(*, user: Any, day: dt.date) -> QuerySet[Appointment]:
    """The user's own appointments on one day (a clinician's caseload)."""
    start, end = _day_bounds(day)
    return (
        Appointment.objects.for_org(user.organization_id)
        .filter(clinician__user=user, starts_at__gte=start, starts_at__lt=end)
        .select_related("patient", "room", "clinic", "episode")
        .order_by("starts_at")
    )


def clinic_day_for_user(*, user: Any, day: dt.date) -> QuerySet[Appointment]:
    """Every appointment of the organization on one day (the front desk's view)."""
    start, end = _day_bounds(day)
    return (
        Appointment.objects.for_org(user.organization_id)
        .filter(starts_at__gte=start, starts_at__lt=end)
        .select_related("patient", "clinician__user", "room", "clinic")
        .order_by("starts_at")
    )
