"""What a clinician enters on a daily note, as plain values the form hands to the services."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from otclinic.clinic.care.billing_adapter import LineFacts, NoteFacts, line_facts
from otclinic.clinic.care.models import TreatmentNote


@dataclass(frozen=True)
class LineInput:
    code: str
    category: str
    therapist_minutes: int = 0
    assistant_minutes: int = 0
    together_minutes: int = 0
    separate_time_block: bool = False

    def facts(self) -> LineFacts:
        return line_facts(self)


@dataclass(frozen=True)
class GoalInput:
    goal_id: Any
    value: Decimal | None
    comment: str = ""


@dataclass(frozen=True)
class EquipmentInput:
    equipment: str
    independence: str
    detail: str = ""


@dataclass(frozen=True)
class EnvironmentInput:
    modification: str
    room: str
    rationale: str


@dataclass(frozen=True)
class CaregiverInput:
    caregiver_name: str
    topic: str
    return_demonstration: bool
    patient_present: bool
    consent_documented: bool


@dataclass(frozen=True)
class NotBillable:
    """The clinician's statement at signing that the visit is not billed, and why."""

    reason: str
    detail: str = ""


@dataclass(frozen=True)
class NoteContent:
    """Everything a clinician enters on a note; what the service stores."""

    lines: tuple[LineInput, ...] = ()
    goals: tuple[GoalInput, ...] = ()
    equipment: tuple[EquipmentInput, ...] = ()
    environment: tuple[EnvironmentInput, ...] = ()
    caregiver: tuple[CaregiverInput, ...] = ()
    subjective: str = ""
    patient_response: str = ""
    changes_in_condition: str = ""
    assessment: str = ""
    plan_next_visit: str = ""
    narrative: str = ""

    @property
    def patient_present(self) -> bool:
        """Caregiver training without the patient makes the visit one without the patient."""
        return all(c.patient_present for c in self.caregiver)

    @property
    def caregiver_consent(self) -> bool:
        return bool(self.caregiver) and all(c.consent_documented for c in self.caregiver)

    def billing_facts(self) -> NoteFacts:
        """What the billing check reads from these entries, as they would be saved."""
        return NoteFacts(
            lines=tuple(line.facts() for line in self.lines),
            patient_present=self.patient_present,
            caregiver_consent=self.caregiver_consent,
        )


def content_of(note: TreatmentNote) -> NoteContent:
    """A saved note's content, in the shape the form and the service use."""
    return NoteContent(
        lines=tuple(
            LineInput(
                code=line.code,
                category=line.category,
                therapist_minutes=line.therapist_minutes,
                assistant_minutes=line.assistant_minutes,
                together_minutes=line.together_minutes,
                separate_time_block=line.separate_time_block,
            )
            for line in note.lines.all()
        ),
        goals=tuple(
            GoalInput(goal_id=p.goal_id, value=p.value, comment=p.comment)
            for p in note.goal_progress.all()
        ),
        equipment=tuple(
            EquipmentInput(e.equipment, e.independence, e.detail)
            for e in note.equipment_trained.all()
        ),
        environment=tuple(
            EnvironmentInput(e.modification, e.room, e.rationale)
            for e in note.environment_recommendations.all()
        ),
        caregiver=tuple(
            CaregiverInput(
                c.caregiver_name,
                c.topic,
                c.return_demonstration,
                c.patient_present,
                c.consent_documented,
            )
            for c in note.caregiver_training.all()
        ),
        subjective=note.subjective,
        patient_response=note.patient_response,
        changes_in_condition=note.changes_in_condition,
        assessment=note.assessment,
        plan_next_visit=note.plan_next_visit,
        narrative=note.narrative,
    )


# The sections of a note as the clinician sees them, in page order, for "what differs".
SECTIONS = (
    ("subjective", "Subjective"),
    ("lines", "Interventions"),
    ("goals", "Goals addressed"),
    ("equipment", "Equipment trained"),
    ("environment", "Environmental modifications"),
    ("caregiver", "Caregiver training"),
    ("patient_response", "Patient response"),
    ("changes_in_condition", "Changes in condition"),
    ("assessment", "Assessment"),
    ("plan_next_visit", "Plan"),
    ("narrative", "Narrative"),
)


def content_differences(saved: NoteContent, typed: NoteContent) -> list[str]:
    """The sections (by their headings) in which two versions of a note's content differ."""
    a, b = _comparable(saved), _comparable(typed)
    return [label for name, label in SECTIONS if a[name] != b[name]]


def _comparable(content: NoteContent) -> dict[str, Any]:
    """Content with goal ids as text and text stripped, so equal entries compare equal."""
    values: dict[str, Any] = {name: getattr(content, name) for name, _ in SECTIONS}
    values["goals"] = tuple((str(g.goal_id), g.value, g.comment) for g in content.goals)
    for name, value in values.items():
        if isinstance(value, str):
            values[name] = value.strip()
    return values
