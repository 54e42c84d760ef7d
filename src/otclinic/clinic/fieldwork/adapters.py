"""Fieldwork rows as the facts of otclinic.domain.compliance.fieldwork."""

import dataclasses
from decimal import Decimal

from django.db.models import Sum

from otclinic.clinic.care.adapters import payer_plan_of
from otclinic.clinic.care.models import TreatmentNote
from otclinic.clinic.fieldwork.models import FieldworkPlacement
from otclinic.clinic.staff.models import StaffProfile
from otclinic.domain.billing import Decision
from otclinic.domain.codes import Role
from otclinic.domain.compliance.fieldwork import (
    EducatorFacts,
    FieldworkProgress,
    Level,
    Program,
    fieldwork_progress,
    student_note_findings,
)
from otclinic.domain.compliance.findings import Finding


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


def note_student_findings(note: TreatmentNote) -> tuple[Finding, ...]:
    """Medicare's student-participation check item, when a student wrote the note."""
    role = note.author.user.role
    if role != Role.STUDENT:
        return ()
    return student_note_findings(author_role=Role.STUDENT, payer_plan=payer_plan_of(note.episode))


def with_student_findings(decision: Decision, note: TreatmentNote) -> Decision:
    """The note's billing decision with Medicare's student check item added when it applies,
    so the note page's billing preview shows it beside the engine's findings."""
    found = note_student_findings(note)
    if not found:
        return decision
    return dataclasses.replace(decision, findings=(*decision.findings, *found))
