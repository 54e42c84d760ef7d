"""Fieldwork rows as the facts of otclinic.domain.compliance.fieldwork.

A student's treatment note as the same rule's facts lives with the notes, in
`care.fieldwork_adapter` (care sits above fieldwork)."""

from decimal import Decimal

from django.db.models import Sum

from otclinic.clinic.fieldwork.models import FieldworkPlacement
from otclinic.clinic.staff.models import StaffProfile
from otclinic.domain.codes import Role
from otclinic.domain.compliance.fieldwork import (
    EducatorFacts,
    FieldworkProgress,
    Level,
    Program,
    fieldwork_progress,
)


def educator_facts(staff: StaffProfile) -> EducatorFacts:
    role = staff.user.role
    return EducatorFacts(
        role=Role(role) if role else None, practice_started_on=staff.practice_started_on
    )


def placement_progress(placement: FieldworkPlacement) -> FieldworkProgress:
    total = placement.hours.aggregate(total=Sum("hours"))["total"] or Decimal("0")
    # SQLite and PostgreSQL return the sum at different scales; show it as the column stores it.
    logged = Decimal(total).quantize(Decimal("0.01"))
    return fieldwork_progress(
        program=Program(placement.program),
        level=Level(placement.level),
        starts_on=placement.starts_on,
        logged_hours=logged,
        full_time_hours_per_week=placement.full_time_hours_per_week,
    )
