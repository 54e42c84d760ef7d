"""Constraint cases for the supervision tables (collected by test_constraints.py)."""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from otclinic.clinic.supervision.models import MonthlyHours
from tests.clinic.supervision.helpers import TODAY, contact_row, plan_row, team

Case = Callable[[bool], object]


def supervision_plan_ends_after_start(bad: bool) -> object:
    end = TODAY - dt.timedelta(days=61 if bad else 1)
    return plan_row(team(), effective_to=end)


def supervision_plan_every_days_in_range(bad: bool) -> object:
    return plan_row(team(), contact_every_days=0 if bad else 90)


def supervision_plan_has_a_contact_kind(bad: bool) -> object:
    return plan_row(team(), by_in_person=False, by_video=not bad)


def supervision_plan_not_self(bad: bool) -> object:
    t = team()
    return plan_row(t, supervising_ot=t.ota if bad else t.ot)


def supervision_plan_one_open_per_ota(bad: bool) -> object:
    t = team()
    plan_row(t)
    later = TODAY - dt.timedelta(days=10)
    return plan_row(t, effective_from=later, effective_to=None if bad else later)


def supervision_contact_minutes_in_range(bad: bool) -> object:
    return contact_row(team(), minutes=481 if bad else 480)


def supervision_contact_on_site_is_in_person(bad: bool) -> object:
    return contact_row(team(), method="video" if bad else "in_person", on_site_face_to_face=True)


def supervision_contact_not_self(bad: bool) -> object:
    t = team()
    return contact_row(t, supervisor=t.ota if bad else t.ot)


def _hours(ota: Any, month: dt.date, hours: str = "120") -> MonthlyHours:
    return MonthlyHours.objects.create(
        organization=ota.organization, ota=ota, month=month, hours=Decimal(hours)
    )


def monthly_hours_once_per_month(bad: bool) -> object:
    ota = team().ota
    _hours(ota, dt.date(2026, 3, 1))
    return _hours(ota, dt.date(2026, 3 if bad else 4, 1))


def monthly_hours_in_range(bad: bool) -> object:
    return _hours(team().ota, dt.date(2026, 3, 1), "400.01" if bad else "400")


def monthly_hours_month_starts_on_the_first(bad: bool) -> object:
    return _hours(team().ota, dt.date(2026, 3, 2 if bad else 1))


SUPERVISION_CASES: list[tuple[str, Case]] = [
    (fn.__name__, fn)
    for fn in (
        supervision_plan_ends_after_start,
        supervision_plan_every_days_in_range,
        supervision_plan_has_a_contact_kind,
        supervision_plan_not_self,
        supervision_plan_one_open_per_ota,
        supervision_contact_minutes_in_range,
        supervision_contact_on_site_is_in_person,
        supervision_contact_not_self,
        monthly_hours_once_per_month,
        monthly_hours_in_range,
        monthly_hours_month_starts_on_the_first,
    )
]
