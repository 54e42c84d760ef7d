"""Which rows each FHIR type is read from, whose patient they belong to, and their searches.

A type may be read from several tables (an Encounter is a treatment note's visit or an
evaluation's); its search runs over each source in turn, in the order listed here, each by
primary key, so that paging is stable. Every source's rows start from the caller's
`FhirAccess`: their organization, and the patients they may read records of for this type.
"""

from typing import Any

from django.db.models import Model, Q, QuerySet

from otclinic.clinic.care.models import (
    AssessmentScore,
    DischargeSummary,
    Evaluation,
    Goal,
    GoalProgress,
    NoteLine,
    NoteStatus,
    PlanOfCare,
    ProgressReport,
    Signature,
    TreatmentNote,
)
from otclinic.clinic.fhir import mappers_clinical as clinical
from otclinic.clinic.fhir import mappers_documents as documents
from otclinic.clinic.fhir import params as p
from otclinic.clinic.fhir.access import FhirAccess
from otclinic.clinic.fhir.catalog_admin import ADMINISTRATIVE
from otclinic.clinic.fhir.catalog_financial import FINANCIAL
from otclinic.clinic.fhir.groups import GROUP
from otclinic.clinic.fhir.sources import Mapper, ResourceType, Source
from otclinic.clinic.patients.models import PatientDiagnosis
from otclinic.clinic.referrals.models import Referral
from otclinic.clinic.scheduling.access import visible_appointments
from otclinic.clinic.scheduling.models import Appointment
from otclinic.domain.fhir import terminology as t


def _staff_appointments(access: FhirAccess, rows: QuerySet[Any]) -> QuerySet[Any]:
    return rows.filter(pk__in=visible_appointments(access.user)) if access.staff else rows


_SIGNED_NOTE = Q(status__in=[s for s in NoteStatus.values if s != NoteStatus.DRAFT])
_PROVENANCE_PATHS = (
    "note__episode__patient",
    "evaluation__episode__patient",
    "plan__episode__patient",
    "progress_report__episode__patient",
    "discharge__episode__patient",
    "addendum__note__episode__patient",
)


TYPES: dict[str, ResourceType] = {}


def _register(resource_type: ResourceType) -> None:
    TYPES[resource_type.name] = resource_type


for _served in (*ADMINISTRATIVE, *FINANCIAL):
    _register(_served)

_register(
    ResourceType(
        "Condition",
        (
            Source(
                PatientDiagnosis,
                clinical.condition,
                patient_paths=("patient",),
                params={
                    **p.subject("patient"),
                    "category": p.fixed(t.CONDITION_CATEGORY, ["problem-list-item"]),
                    "clinical-status": lambda rows, name, value: p.mapped(
                        "resolved_on__isnull", {True: "active", False: "resolved"}
                    )(rows, name, value),
                    "code": p.code("code", t.ICD10CM),
                    "onset-date": p.date("onset_on"),
                    "abatement-date": p.date("resolved_on"),
                    "recorded-date": p.date("created_at", is_datetime=True),
                },
            ),
        ),
        {
            "patient": "reference",
            "category": "token",
            "clinical-status": "token",
            "code": "token",
            "onset-date": "date",
            "abatement-date": "date",
            "recorded-date": "date",
        },
    )
)


def _evaluation_source(mapper: Mapper, *, signed: str, extra: dict[str, p.Filter]) -> Source:
    """An evaluation, as the visit it was (Encounter) or the service billed (Procedure)."""
    return Source(
        Evaluation,
        mapper,
        patient_paths=("episode__patient",),
        params={
            **p.subject("episode__patient"),
            "date": p.date("performed_on"),
            "status": p.mapped("signed_at__isnull", {True: "in-progress", False: signed}),
            **extra,
        },
        related=("episode",),
    )


_ENCOUNTER_SEARCH = {"patient": "reference", "date": "date", "status": "token", "class": "token"}
_AMB = p.fixed(t.ACT_CODE, [t.ENCOUNTER_CLASS[0]])
_register(
    ResourceType(
        "Encounter",
        (
            Source(
                TreatmentNote,
                clinical.encounter_from_note,
                patient_paths=("episode__patient",),
                params={
                    **p.subject("episode__patient"),
                    "date": p.date("date_of_service"),
                    "status": p.mapped("status", t.ENCOUNTER_STATUS),
                    "class": _AMB,
                },
                related=("episode",),
            ),
            _evaluation_source(
                clinical.encounter_from_evaluation, signed="finished", extra={"class": _AMB}
            ),
        ),
        _ENCOUNTER_SEARCH,
    )
)
_register(
    ResourceType(
        "Procedure",
        (
            Source(
                NoteLine,
                clinical.procedure_from_line,
                patient_paths=("note__episode__patient",),
                where=Q(note__status__in=[s for s in NoteStatus.values if s != NoteStatus.DRAFT]),
                params={
                    **p.subject("note__episode__patient"),
                    "date": p.date("note__date_of_service"),
                    "code": p.code("code", t.CPT),
                    "status": p.mapped(
                        "note__status",
                        {s: "completed" for s in NoteStatus.values if s != NoteStatus.DRAFT},
                    ),
                },
                related=("note__episode",),
            ),
            _evaluation_source(
                clinical.procedure_from_evaluation,
                signed="completed",
                extra={"code": p.code("code", t.CPT)},
            ),
        ),
        {"patient": "reference", "date": "date", "code": "token", "status": "token"},
    )
)
_register(
    ResourceType(
        "Goal",
        (
            Source(
                Goal,
                clinical.goal,
                patient_paths=("plan__episode__patient",),
                params={
                    **p.subject("plan__episode__patient"),
                    "lifecycle-status": p.mapped("status", t.GOAL_LIFECYCLE),
                    "target-date": p.date("target_date"),
                    "description": p.string("description"),
                },
                related=("plan__episode",),
            ),
        ),
        {
            "patient": "reference",
            "lifecycle-status": "token",
            "target-date": "date",
            "description": "string",
        },
    )
)
_register(
    ResourceType(
        "CarePlan",
        (
            Source(
                PlanOfCare,
                clinical.careplan,
                patient_paths=("episode__patient",),
                params={
                    **p.subject("episode__patient"),
                    "category": p.fixed(t.CAREPLAN_CATEGORY, ["assess-plan"]),
                    "status": p.mapped("status", t.CAREPLAN_STATUS),
                    "date": p.date("established_on"),
                },
                related=("episode",),
                prefetch=("plan_diagnoses", "goals", "interventions"),
            ),
        ),
        {"patient": "reference", "category": "token", "status": "token", "date": "date"},
        revinclude_provenance=True,
    )
)
_OBSERVATION_CATEGORIES = ["survey", "exam", "functional-status"]
_register(
    ResourceType(
        "Observation",
        (
            Source(
                AssessmentScore,
                clinical.observation_from_score,
                patient_paths=("evaluation__episode__patient", "note__episode__patient"),
                params={
                    "patient": p.any_of(
                        p.patient("evaluation__episode__patient"),
                        p.patient("note__episode__patient"),
                    ),
                    "subject": p.any_of(
                        p.patient("evaluation__episode__patient"),
                        p.patient("note__episode__patient"),
                    ),
                    "category": p.any_of(
                        p.fixed(t.OBSERVATION_CATEGORY, ["survey", "exam"]),
                        p.fixed(t.US_CORE_CATEGORY, ["functional-status"]),
                    ),
                    "code": p.any_of(
                        p.code("instrument", t.LOCAL_INSTRUMENT),
                        p.code_of_columns(("instrument", "side"), t.LOINC, t.INSTRUMENT_LOINC),
                    ),
                    "date": p.date("measured_on"),
                    "status": p.none_match,
                },
                related=("evaluation__episode", "note__episode"),
            ),
            Source(
                GoalProgress,
                clinical.observation_from_progress,
                patient_paths=("note__episode__patient",),
                params={
                    **p.subject("note__episode__patient"),
                    "category": p.fixed(t.US_CORE_CATEGORY, ["functional-status"]),
                    "code": p.code("goal__measure", t.LOCAL_GOAL_MEASURE),
                    "date": p.date("note__date_of_service"),
                    "status": p.mapped(
                        "note__status",
                        {
                            s: ("preliminary" if s == NoteStatus.DRAFT else "final")
                            for s in NoteStatus.values
                        },
                    ),
                },
                related=("note__episode", "goal"),
            ),
        ),
        {
            "patient": "reference",
            "category": "token",
            "code": "token",
            "date": "date",
            "status": "token",
        },
    )
)
_DOCUMENT_PARAMS = {
    "category": p.fixed(t.DOCUMENT_CATEGORY, ["clinical-note"]),
    "status": p.fixed("http://hl7.org/fhir/document-reference-status", ["current"]),
}


def _document_source(
    model: type[Model],
    mapper: Mapper,
    *,
    where: Q,
    date_field: str,
    type_codes: list[str],
    related: tuple[str, ...] = ("episode",),
) -> Source:
    return Source(
        model,
        mapper,
        patient_paths=("episode__patient",),
        where=where,
        params={
            **p.subject("episode__patient"),
            **_DOCUMENT_PARAMS,
            "type": p.fixed(t.LOINC, type_codes),
            "date": p.date(date_field, is_datetime=True),
        },
        related=related,
    )


_register(
    ResourceType(
        "DocumentReference",
        (
            _document_source(
                TreatmentNote,
                documents.document_from_note,
                where=_SIGNED_NOTE,
                date_field="signed_at",
                type_codes=[c for c, _ in t.PROGRESS_NOTE_BY_DISCIPLINE.values()],
            ),
            _document_source(
                Evaluation,
                documents.document_from_evaluation,
                where=Q(signed_at__isnull=False),
                date_field="signed_at",
                type_codes=[t.DOCUMENT_TYPE["evaluation"][0]],
            ),
            _document_source(
                ProgressReport,
                documents.document_from_progress,
                where=Q(status="signed"),
                date_field="signed_at",
                type_codes=[t.DOCUMENT_TYPE["progress_report"][0]],
            ),
            _document_source(
                DischargeSummary,
                documents.document_from_discharge,
                where=Q(status="signed"),
                date_field="signed_at",
                type_codes=[t.DOCUMENT_TYPE["discharge"][0]],
            ),
        ),
        {
            "patient": "reference",
            "category": "token",
            "type": "token",
            "date": "date",
            "status": "token",
        },
        revinclude_provenance=True,
    )
)
_register(
    ResourceType(
        "Appointment",
        (
            Source(
                Appointment,
                documents.appointment,
                patient_paths=("patient",),
                params={
                    **p.subject("patient"),
                    "date": p.date("starts_at", is_datetime=True),
                    "status": p.mapped("status", t.APPOINTMENT_STATUS),
                    "practitioner": p.ids("clinician_id", resource_type="Practitioner"),
                    "location": p.ids("clinic_id", resource_type="Location"),
                },
                narrow=_staff_appointments,
            ),
        ),
        {
            "patient": "reference",
            "date": "date",
            "status": "token",
            "practitioner": "reference",
            "location": "reference",
        },
    )
)
_register(
    ResourceType(
        "ServiceRequest",
        (
            Source(
                Referral,
                documents.service_request,
                patient_paths=("patient",),
                params={
                    **p.subject("patient"),
                    "authored": p.date("signed_on"),
                    "code": p.code("discipline", t.LOCAL_SERVICE),
                    "status": lambda rows, name, value: p.mapped(
                        "episodes__isnull", {True: "active", False: "completed"}
                    )(rows, name, value).distinct(),
                    "requester": p.ids("physician_id", resource_type="Practitioner"),
                },
                related=("physician",),
                prefetch=("episodes",),
            ),
        ),
        {
            "patient": "reference",
            "authored": "date",
            "code": "token",
            "status": "token",
            "requester": "reference",
        },
    )
)
_register(
    ResourceType(
        "Provenance",
        (
            Source(
                Signature,
                documents.provenance,
                patient_paths=_PROVENANCE_PATHS,
                params={
                    "patient": p.any_of(*(p.patient(path) for path in _PROVENANCE_PATHS)),
                    "target": p.any_of(
                        *(
                            p.ids(f"{d}_id")
                            for d in ("note", "evaluation", "plan", "progress_report", "discharge")
                        )
                    ),
                },
                related=("signer__staff_profile", "addendum"),
            ),
        ),
        {"patient": "reference", "target": "reference"},
    )
)
# Groups of patients (a clinic location's, a payer's members): fhir/groups.py, for $export.
_register(GROUP)
