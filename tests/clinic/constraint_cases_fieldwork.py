"""Constraint cases for the fieldwork tables (collected by test_constraints.py)."""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from otclinic.clinic.fieldwork.models import FieldworkEvaluation, FieldworkHours
from tests.clinic.fieldwork.helpers import START, placement_row

Case = Callable[[bool], object]


def fieldwork_ends_after_start(bad: bool) -> object:
    return placement_row(ends_on=START if bad else START + dt.timedelta(days=1))


def fieldwork_full_time_hours_in_range(bad: bool) -> object:
    return placement_row(full_time_hours_per_week=Decimal("0" if bad else "32"))


def fieldwork_educator_not_student(bad: bool) -> object:
    first = placement_row()
    return placement_row(educator=first.educator, student=first.educator if bad else None)


def _hours(placement: object, day: dt.date, hours: str) -> FieldworkHours:
    return FieldworkHours.objects.create(
        organization=placement.organization,  # type: ignore[attr-defined]
        placement=placement,
        worked_on=day,
        hours=Decimal(hours),
    )


def fieldwork_hours_one_row_per_day(bad: bool) -> object:
    placement = placement_row()
    _hours(placement, START, "8")
    return _hours(placement, START if bad else START + dt.timedelta(days=1), "8")


def fieldwork_hours_within_a_day(bad: bool) -> object:
    return _hours(placement_row(), START, "24.25" if bad else "24")


def _evaluation(placement: object, kind: str, score: str = "120") -> FieldworkEvaluation:
    return FieldworkEvaluation.objects.create(
        organization=placement.organization,  # type: ignore[attr-defined]
        placement=placement,
        kind=kind,
        evaluated_on=START + dt.timedelta(days=60),
        score=Decimal(score),
        passed=True,
        evaluator=placement.educator,  # type: ignore[attr-defined]
    )


def fieldwork_evaluation_once_per_kind(bad: bool) -> object:
    placement = placement_row()
    _evaluation(placement, "midterm")
    return _evaluation(placement, "midterm" if bad else "final")


def fieldwork_evaluation_score_not_negative(bad: bool) -> object:
    return _evaluation(placement_row(), "final", "-1" if bad else "0")


FIELDWORK_CASES: list[tuple[str, Case]] = [
    ("fieldwork_ends_after_start", fieldwork_ends_after_start),
    ("fieldwork_full_time_hours_in_range", fieldwork_full_time_hours_in_range),
    ("fieldwork_educator_not_student", fieldwork_educator_not_student),
    ("fieldwork_hours_one_row_per_day", fieldwork_hours_one_row_per_day),
    ("fieldwork_hours_within_a_day", fieldwork_hours_within_a_day),
    ("fieldwork_evaluation_once_per_kind", fieldwork_evaluation_once_per_kind),
    ("fieldwork_evaluation_score_not_negative", fieldwork_evaluation_score_not_negative),
]
