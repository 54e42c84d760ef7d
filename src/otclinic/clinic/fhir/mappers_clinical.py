"""Condition, Encounter, Procedure, Goal, CarePlan and Observation (US Core 6.1)."""

import datetime as dt
from typing import Any

from otclinic.clinic.care.models import (
    AssessmentScore,
    Evaluation,
    Goal,
    GoalProgress,
    NoteLine,
    NoteStatus,
    PlanOfCare,
    TreatmentNote,
)
from otclinic.clinic.fhir.shapes import (
    Ctx,
    base,
    coding,
    concept,
    day,
    narrative,
    prune,
    quantity,
    ref,
)
from otclinic.clinic.patients.models import PatientDiagnosis
from otclinic.domain.fhir.terminology import (
    ACT_CODE,
    CAREPLAN_CATEGORY,
    CAREPLAN_STATUS,
    CONDITION_CATEGORY,
    CONDITION_CLINICAL,
    CONDITION_VERIFICATION,
    CPT,
    ENCOUNTER_CLASS,
    ENCOUNTER_STATUS,
    GOAL_ACHIEVEMENT,
    GOAL_ACHIEVEMENT_SYSTEM,
    GOAL_LIFECYCLE,
    ICD10CM,
    LOCAL_GOAL_MEASURE,
    LOCAL_INSTRUMENT,
    LOINC,
    OBSERVATION_CATEGORY,
    UCUM,
    US_CORE_CATEGORY,
    instrument_loinc,
)

MINUTES_EXTENSION = "urn:otclinic:fhir:extension:minutes"
PHYSICAL_MEASURES = frozenset({"grip_kg", "nine_hole_peg_s"})


def condition(row: PatientDiagnosis, ctx: Ctx) -> dict[str, Any]:
    """A diagnosis on the problem list: active until its resolution day."""
    clinical = "resolved" if row.resolved_on else "active"
    return prune(
        {
            **base("Condition", row),
            "clinicalStatus": concept(CONDITION_CLINICAL, clinical),
            "verificationStatus": concept(CONDITION_VERIFICATION, "confirmed"),
            "category": [concept(CONDITION_CATEGORY, "problem-list-item", "Problem List Item")],
            "code": concept(ICD10CM, row.code, row.description, row.description),
            "subject": ref("Patient", row.patient_id),
            "onsetDateTime": day(row.onset_on) if row.onset_on else None,
            "abatementDateTime": day(row.resolved_on) if row.resolved_on else None,
            "recordedDate": row.created_at.isoformat(),
        }
    )


def _encounter(
    row: Any,
    *,
    patient_id: Any,
    status: str,
    when: dt.date,
    label: str,
    performer_id: Any,
    clinic_id: Any,
    referral_id: Any = None,
) -> dict[str, Any]:
    return prune(
        {
            **base("Encounter", row),
            "status": status,
            "basedOn": [ref("ServiceRequest", referral_id)] if referral_id else None,
            "class": coding(ACT_CODE, *ENCOUNTER_CLASS),
            "type": [{"text": label}],
            "subject": ref("Patient", patient_id),
            "participant": [{"individual": ref("Practitioner", performer_id)}],
            "period": {"start": day(when), "end": day(when)},
            "location": [{"location": ref("Location", clinic_id)}],
            "serviceProvider": ref("Organization", row.organization_id),
        }
    )


def encounter_from_note(row: TreatmentNote, ctx: Ctx) -> dict[str, Any]:
    episode = row.episode
    return _encounter(
        row,
        patient_id=episode.patient_id,
        status=ENCOUNTER_STATUS[row.status],
        when=row.date_of_service,
        label=f"{episode.discipline} treatment visit",
        performer_id=row.author_id,
        clinic_id=episode.clinic_id,
    )


def encounter_from_evaluation(row: Evaluation, ctx: Ctx) -> dict[str, Any]:
    episode = row.episode
    return _encounter(
        row,
        patient_id=episode.patient_id,
        status="finished" if row.signed_at else "in-progress",
        when=row.performed_on,
        label=f"{episode.discipline} {row.get_kind_display().lower()}",
        performer_id=row.therapist_id,
        clinic_id=episode.clinic_id,
        referral_id=episode.referral_id,
    )


def _minutes(value: int) -> dict[str, Any]:
    return {
        "url": MINUTES_EXTENSION,
        "valueDuration": {"value": value, "unit": "min", "system": UCUM, "code": "min"},
    }


def procedure_from_line(row: NoteLine, ctx: Ctx) -> dict[str, Any]:
    """A billed service line of a signed note: its CPT code and the minutes furnished."""
    note = row.note
    minutes = row.therapist_minutes + row.assistant_minutes + row.together_minutes
    return prune(
        {
            **base("Procedure", row),
            "extension": [_minutes(minutes)],
            "status": "completed",
            "code": concept(CPT, row.code, row.description, row.description or row.code),
            "subject": ref("Patient", note.episode.patient_id),
            "encounter": ref("Encounter", note.pk),
            "performedDateTime": day(note.date_of_service),
            "performer": [{"actor": ref("Practitioner", note.author_id)}],
        }
    )


def procedure_from_evaluation(row: Evaluation, ctx: Ctx) -> dict[str, Any]:
    return prune(
        {
            **base("Procedure", row),
            "status": "completed" if row.signed_at else "in-progress",
            "code": concept(CPT, row.code, text=row.get_kind_display()),
            "subject": ref("Patient", row.episode.patient_id),
            "encounter": ref("Encounter", row.pk),
            "performedDateTime": day(row.performed_on),
            "performer": [{"actor": ref("Practitioner", row.therapist_id)}],
        }
    )


def goal(row: Goal, ctx: Ctx) -> dict[str, Any]:
    plan = row.plan
    target = {
        "measure": {"text": row.measure},
        "detailQuantity": quantity(row.target, row.unit),
        "dueDate": day(row.target_date),
    }
    return prune(
        {
            **base("Goal", row),
            "lifecycleStatus": GOAL_LIFECYCLE[row.status],
            "achievementStatus": concept(GOAL_ACHIEVEMENT_SYSTEM, GOAL_ACHIEVEMENT[row.status]),
            "category": [{"text": row.get_term_display()}],
            "description": {"text": row.description},
            "subject": ref("Patient", plan.episode.patient_id),
            "startDate": day(plan.established_on),
            "target": [target],
            "expressedBy": ref("Practitioner", plan.author_id),
            "note": [{"text": f"Baseline {row.baseline.normalize():f} {row.unit}".strip()}],
        }
    )


def certification_end(plan: PlanOfCare) -> dt.date:
    """The last day the plan's certification covers (day 1 is the evaluation day)."""
    return plan.certification_end


def careplan(row: PlanOfCare, ctx: Ctx) -> dict[str, Any]:
    """The plan of care; its period is the certification period."""
    episode = row.episode
    frequency = f"{row.frequency_per_week}x/week for {row.duration_weeks} weeks"
    activity_status = {"draft": "not-started", "active": "in-progress"}.get(row.status, "stopped")
    return prune(
        {
            **base("CarePlan", row),
            "text": narrative(
                f"{episode.discipline} plan of care, version {row.version}",
                f"Certification period {day(row.established_on)} to {day(certification_end(row))}",
                frequency,
            ),
            "status": CAREPLAN_STATUS[row.status],
            "intent": "plan",
            "category": [
                concept(CAREPLAN_CATEGORY, "assess-plan", "Assessment and Plan of Treatment")
            ],
            "title": f"{episode.discipline} plan of care v{row.version}",
            "description": frequency,
            "subject": ref("Patient", episode.patient_id),
            # R4's CarePlan.basedOn names only CarePlans: the referral is supporting information.
            "supportingInfo": (
                [ref("ServiceRequest", episode.referral_id)] if episode.referral_id else None
            ),
            "period": {"start": day(row.established_on), "end": day(certification_end(row))},
            "created": row.signed_at.isoformat() if row.signed_at else None,
            "author": ref("Practitioner", row.author_id),
            "addresses": [ref("Condition", d.diagnosis_id) for d in row.plan_diagnoses.all()],
            "goal": [ref("Goal", g.pk) for g in row.goals.all()],
            "activity": [
                {
                    "detail": prune(
                        {
                            "code": concept(CPT, i.code, i.description, i.get_category_display()),
                            "status": activity_status,
                        }
                    )
                }
                for i in row.interventions.all()
            ],
        }
    )


def _categories(instrument: str) -> list[dict[str, Any]]:
    kind = ("exam", "Exam") if instrument in PHYSICAL_MEASURES else ("survey", "Survey")
    return [
        concept(OBSERVATION_CATEGORY, *kind),
        concept(US_CORE_CATEGORY, "functional-status", "Functional Status"),
    ]


def _instrument_code(row: AssessmentScore) -> dict[str, Any]:
    """LOINC first where the instrument has a code, then otclinic's own (a reader of either finds
    the score)."""
    local = coding(LOCAL_INSTRUMENT, row.instrument, row.label)
    loinc = instrument_loinc(row.instrument, row.side)
    codings = [coding(LOINC, *loinc), local] if loinc else [local]
    return {"coding": codings, "text": row.label}


def observation_from_score(row: AssessmentScore, ctx: Ctx) -> dict[str, Any]:
    """A standardized assessment's score, from an evaluation or a note."""
    document = row.evaluation or row.note
    assert document is not None  # a score belongs to a document (constraint)
    signed = document.signed_at is not None
    return prune(
        {
            **base("Observation", row),
            "status": "final" if signed else "preliminary",
            "category": _categories(row.instrument),
            "code": _instrument_code(row),
            "subject": ref("Patient", document.episode.patient_id),
            "encounter": ref("Encounter", document.pk),
            "effectiveDateTime": day(row.measured_on),
            "valueQuantity": quantity(row.value, row.unit),
            "bodySite": {"text": f"{row.side} side"} if row.side else None,
        }
    )


def observation_from_progress(row: GoalProgress, ctx: Ctx) -> dict[str, Any]:
    """A goal's measure taken on a treatment note."""
    note, measured = row.note, row.goal
    status = "preliminary" if note.status == NoteStatus.DRAFT else "final"
    return prune(
        {
            **base("Observation", row),
            "status": status,
            "category": [concept(US_CORE_CATEGORY, "functional-status", "Functional Status")],
            "code": concept(LOCAL_GOAL_MEASURE, measured.measure.strip(), text=measured.measure),
            "subject": ref("Patient", note.episode.patient_id),
            "focus": [ref("Goal", measured.pk)],
            "encounter": ref("Encounter", note.pk),
            "effectiveDateTime": day(note.date_of_service),
            "valueQuantity": quantity(row.value, measured.unit) if row.value is not None else None,
            "dataAbsentReason": (
                concept("http://terminology.hl7.org/CodeSystem/data-absent-reason", "not-performed")
                if row.value is None
                else None
            ),
            "note": [{"text": row.comment}] if row.comment else None,
        }
    )
