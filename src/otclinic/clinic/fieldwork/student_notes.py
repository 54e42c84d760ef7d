"""A student's notes: who may co-sign them, and who renders and bills them.

The co-signer of a student's note is the student's fieldwork educator in the placement active on
the note's date of service, an OT or (for an OTA student) an OTA. An OTA has no general co-sign
capability (domain.access): being the educator admits them to their own students' notes only.

The rendering provider follows domain.compliance.fieldwork.student_note_billing: an OT educator
renders the note; an OTA educator's supervising OT renders it, with the assistant modifier on
every line, as for an OTA's own note (OTAs cannot enroll with Medicare: only an OT in private
practice does, 42 CFR 410.59(c); the assistant modifier: SSA 1834(v)).
"""

import dataclasses
import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, Q

from otclinic.clinic.accounts.models import User
from otclinic.clinic.fieldwork.models import FieldworkPlacement
from otclinic.domain.codes import Role
from otclinic.domain.compliance.fieldwork import StudentBilling, student_note_billing


def placement_on(*, student: Any, day: dt.date) -> FieldworkPlacement | None:
    """The student's placement in force on `day` (the latest to start, if two overlap)."""
    return (
        FieldworkPlacement.objects.for_org(student.organization_id)
        .filter(student=student, starts_on__lte=day, ends_on__gte=day)
        .select_related("educator__user", "educator__supervising_ot__user")
        .order_by("-starts_on")
        .first()
    )


def is_student_note(note: Any) -> bool:
    return bool(note.author.user.role == Role.STUDENT)


def educates_author_on(*, user: User, note: Any) -> bool:
    """Whether `user` is the note's student author's educator on its date of service."""
    if not is_student_note(note) or note.organization_id != user.organization_id:
        return False
    placement = placement_on(student=note.author, day=note.date_of_service)
    return placement is not None and placement.educator.user_id == user.pk


def educated_by(user: User) -> Q:
    """Notes (a TreatmentNote filter) by the user's own students, written during the placement."""
    placements = FieldworkPlacement.objects.for_org(user.organization_id).filter(
        student=OuterRef("author"),
        educator__user=user,
        starts_on__lte=OuterRef("date_of_service"),
        ends_on__gte=OuterRef("date_of_service"),
    )
    return Q(author__user__role=Role.STUDENT) & Q(Exists(placements))


def educator_of(note: Any) -> Any:
    """The educator of the placement on the note's date, else the student's supervisor on file."""
    placement = placement_on(student=note.author, day=note.date_of_service)
    return placement.educator if placement is not None else note.author.supervising_ot


def student_billing(note: Any) -> tuple[Any, StudentBilling] | None:
    """(rendering provider, the rule's answer) for a student's note; None for anyone else's
    note or a student without an educator. With an OTA educator who has no supervising OT the
    OTA educator stays the rendering provider, so that the scrubber refuses the claim."""
    if not is_student_note(note):
        return None
    educator = educator_of(note)
    if educator is None:
        return None
    supervisor = educator.supervising_ot
    answer = student_note_billing(
        educator_role=Role(educator.user.role) if educator.user.role else None,
        supervising_ot_role=Role(supervisor.user.role) if supervisor else None,
    )
    renders_with_supervisor = answer.assistant_modifier and supervisor is not None
    return (supervisor if renders_with_supervisor else educator), answer


def as_furnished(note: Any, lines: list[Any]) -> list[Any]:
    """The note's line facts as billed: under an OTA educator no OT took part, so every minute
    is the assistant's (SSA 1834(v), CY2020 PFS final rule: CO marks a service furnished in
    whole or in part by an OTA)."""
    routed = student_billing(note)
    if routed is None or not routed[1].assistant_modifier:
        return lines
    return [
        dataclasses.replace(
            line, therapist_minutes=0, together_minutes=0, assistant_minutes=line.minutes
        )
        for line in lines
    ]
