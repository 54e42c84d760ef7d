"""A fieldwork student's treatment note as the facts of otclinic.domain.compliance.fieldwork:
Medicare's student-participation check item on the note page and in its billing preview."""

import dataclasses

from otclinic.clinic.care.adapters import payer_plan_of
from otclinic.clinic.care.models import TreatmentNote
from otclinic.domain.billing import Decision
from otclinic.domain.codes import Role
from otclinic.domain.compliance.fieldwork import student_note_findings
from otclinic.domain.compliance.findings import Finding


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
