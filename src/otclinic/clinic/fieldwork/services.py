"""Writes for fieldwork: placing a student with an educator, logging hours, evaluations.

Placing a student makes the educator the student's `supervising_ot`, so the co-signature rule
(domain.compliance.supervision, pack `supervision.student.educator`) sends the student's signed
notes to the educator's co-sign queue. Saves are audit-logged by the OrgOwned signals.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import organization_id_of, require, user_may
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.fieldwork.adapters import educator_facts
from otclinic.clinic.fieldwork.models import (
    EvaluationKind,
    FieldworkEvaluation,
    FieldworkHours,
    FieldworkPlacement,
)
from otclinic.clinic.staff.models import StaffProfile
from otclinic.domain.access import Capability
from otclinic.domain.codes import Role
from otclinic.domain.compliance.fieldwork import Program, educator_findings


@transaction.atomic
def placement_create(
    *,
    user: User,
    student: StaffProfile,
    educator: StaffProfile,
    program: str,
    level: str,
    school: str,
    starts_on: dt.date,
    ends_on: dt.date,
    full_time_hours_per_week: Decimal = Decimal("40"),
) -> FieldworkPlacement:
    """Place a student with an eligible fieldwork educator, who becomes their co-signer."""
    require(user, Capability.MANAGE_STAFF)
    errors = _placement_errors(user, student, educator, starts_on, ends_on)
    if not errors:
        found = educator_findings(
            program=Program(program), educator=educator_facts(educator), starts_on=starts_on
        )
        if found:
            errors["educator"] = [finding.message for finding in found]
    if errors:
        raise ValidationFailed(errors)
    placement = FieldworkPlacement.objects.create(
        organization_id=organization_id_of(user),
        student=student,
        educator=educator,
        program=program,
        level=level,
        school=school,
        starts_on=starts_on,
        ends_on=ends_on,
        full_time_hours_per_week=full_time_hours_per_week,
    )
    student.supervising_ot = educator
    student.save(update_fields=["supervising_ot", "updated_at"])
    return placement


def _placement_errors(
    user: User, student: StaffProfile, educator: StaffProfile, starts_on: dt.date, ends_on: dt.date
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    org = user.organization_id
    if student.organization_id != org or student.user.role != Role.STUDENT:
        errors["student"] = ["Choose a member of staff whose role is student."]
    if educator.organization_id != org:
        errors["educator"] = ["Choose a fieldwork educator of this practice."]
    elif educator.pk == student.pk:
        errors["educator"] = ["A student cannot be their own fieldwork educator."]
    if ends_on <= starts_on:
        errors["ends_on"] = [f"The end date must be after the start date ({starts_on})."]
    return errors


def may_manage_placement(user: User, placement: FieldworkPlacement) -> bool:
    """Staff managers, and the placement's own educator, an OT or (for an OTA student) an OTA."""
    if user_may(user, Capability.MANAGE_STAFF):
        return True
    return (
        placement.educator.user_id == user.pk and placement.organization_id == user.organization_id
    )


def _require_manager_or_educator(user: User, placement: FieldworkPlacement, action: str) -> None:
    if not may_manage_placement(user, placement):
        raise PermissionDenied(f"your role may not {action} for this student")


@transaction.atomic
def hours_log(
    *, user: User, placement: FieldworkPlacement, worked_on: dt.date, hours: Decimal
) -> FieldworkHours:
    """Record the hours a student worked on one day of the placement (once per day)."""
    _require_manager_or_educator(user, placement, "log fieldwork hours")
    errors: dict[str, list[str]] = {}
    if not placement.starts_on <= worked_on <= placement.ends_on:
        errors["worked_on"] = [
            f"The day must fall within the placement, {placement.starts_on} to {placement.ends_on}."
        ]
    if not Decimal("0") < hours <= Decimal("24"):
        errors["hours"] = [f"Hours must be more than 0 and at most 24; {hours} was given."]
    if placement.hours.filter(worked_on=worked_on).exists():
        errors["worked_on"] = [f"Hours for {worked_on} are already logged."]
    if errors:
        raise ValidationFailed(errors)
    return FieldworkHours.objects.create(
        organization_id=placement.organization_id,
        placement=placement,
        worked_on=worked_on,
        hours=hours,
    )


@transaction.atomic
def evaluation_record(
    *,
    user: User,
    placement: FieldworkPlacement,
    kind: str,
    evaluated_on: dt.date,
    score: Decimal,
    passed: bool,
    notes: str = "",
) -> FieldworkEvaluation:
    """Record the midterm or the final evaluation (each once), signed by the user."""
    _require_manager_or_educator(user, placement, "record fieldwork evaluations")
    evaluator = StaffProfile.objects.filter(user=user).first()
    errors: dict[str, list[str]] = {}
    if evaluator is None:
        errors["kind"] = ["Only a member of staff with a profile can record an evaluation."]
    if placement.evaluations.filter(kind=kind).exists():
        label = EvaluationKind(kind).label.lower()
        errors["kind"] = [f"The {label} evaluation is already recorded."]
    if evaluated_on < placement.starts_on:
        errors["evaluated_on"] = [
            f"The date cannot be before the placement starts ({placement.starts_on})."
        ]
    if score < 0:
        errors["score"] = ["The score cannot be negative."]
    if errors:
        raise ValidationFailed(errors)
    assert evaluator is not None  # refused above
    return FieldworkEvaluation.objects.create(
        organization_id=placement.organization_id,
        placement=placement,
        kind=kind,
        evaluated_on=evaluated_on,
        score=score,
        passed=passed,
        notes=notes,
        evaluator=evaluator,
    )
