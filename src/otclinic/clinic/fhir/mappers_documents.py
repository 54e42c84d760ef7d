"""DocumentReference, Appointment, ServiceRequest and Provenance (US Core 6.1)."""

import datetime as dt
from typing import Any

from django.urls import reverse

from otclinic.clinic.care.models import (
    DischargeSummary,
    Evaluation,
    ProgressReport,
    Signature,
    TreatmentNote,
)
from otclinic.clinic.fhir.shapes import Ctx, base, concept, day, prune, ref
from otclinic.clinic.referrals.models import Referral
from otclinic.clinic.scheduling.models import Appointment
from otclinic.domain.fhir.terminology import (
    APPOINTMENT_STATUS,
    DOCUMENT_CATEGORY,
    DOCUMENT_TYPE,
    ICD10CM,
    LOCAL_SERVICE,
    LOINC,
    PROGRESS_NOTE_BY_DISCIPLINE,
    PROVENANCE_PARTICIPANT,
)


def _document(
    row: Any,
    ctx: Ctx,
    *,
    kind: tuple[str, str],
    patient_id: Any,
    author_id: Any,
    signed_at: dt.datetime,
    period: tuple[dt.date, dt.date],
    pdf: str,
    encounter_id: Any = None,
    referral_id: Any = None,
) -> dict[str, Any]:
    """A signed document, its PDF (the page that prints it) as the attachment; the referral
    its episode answers, as related (R4's DocumentReference has no basedOn)."""
    context: dict[str, Any] = {"period": {"start": day(period[0]), "end": day(period[1])}}
    if encounter_id is not None:
        context["encounter"] = [ref("Encounter", encounter_id)]
    if referral_id is not None:
        context["related"] = [ref("ServiceRequest", referral_id)]
    return prune(
        {
            **base("DocumentReference", row),
            "status": "current",
            "docStatus": "final",
            "type": concept(LOINC, *kind, text=kind[1]),
            "category": [concept(DOCUMENT_CATEGORY, "clinical-note", "Clinical Note")],
            "subject": ref("Patient", patient_id),
            "date": signed_at.isoformat(),
            "author": [ref("Practitioner", author_id)],
            "custodian": ref("Organization", row.organization_id),
            "content": [
                {
                    "attachment": {
                        "contentType": "application/pdf",
                        "url": ctx.site + pdf,
                        "title": kind[1],
                    }
                }
            ],
            "context": context,
        }
    )


def document_from_note(row: TreatmentNote, ctx: Ctx) -> dict[str, Any]:
    episode = row.episode
    assert row.signed_at is not None  # only signed notes are served (sources.py)
    return _document(
        row,
        ctx,
        kind=PROGRESS_NOTE_BY_DISCIPLINE.get(episode.discipline, DOCUMENT_TYPE["note"]),
        patient_id=episode.patient_id,
        author_id=row.author_id,
        signed_at=row.signed_at,
        period=(row.date_of_service, row.date_of_service),
        pdf=reverse("care-note-pdf", args=[row.pk]),
        encounter_id=row.pk,
    )


def document_from_evaluation(row: Evaluation, ctx: Ctx) -> dict[str, Any]:
    assert row.signed_at is not None
    return _document(
        row,
        ctx,
        kind=DOCUMENT_TYPE["evaluation"],
        patient_id=row.episode.patient_id,
        author_id=row.therapist_id,
        signed_at=row.signed_at,
        period=(row.performed_on, row.performed_on),
        pdf=reverse("care-evaluation-pdf", args=[row.pk]),
        encounter_id=row.pk,
        referral_id=row.episode.referral_id,
    )


def document_from_progress(row: ProgressReport, ctx: Ctx) -> dict[str, Any]:
    assert row.signed_at is not None
    return _document(
        row,
        ctx,
        kind=DOCUMENT_TYPE["progress_report"],
        patient_id=row.episode.patient_id,
        author_id=row.author_id,
        signed_at=row.signed_at,
        period=(row.period_start, row.report_date),
        pdf=reverse("care-progress-pdf", args=[row.pk]),
    )


def document_from_discharge(row: DischargeSummary, ctx: Ctx) -> dict[str, Any]:
    assert row.signed_at is not None
    return _document(
        row,
        ctx,
        kind=DOCUMENT_TYPE["discharge"],
        patient_id=row.episode.patient_id,
        author_id=row.author_id,
        signed_at=row.signed_at,
        period=(row.episode.started_on, row.discharge_date),
        pdf=reverse("care-discharge-pdf", args=[row.pk]),
    )


def appointment(row: Appointment, ctx: Ctx) -> dict[str, Any]:
    booked = "accepted"
    participants = [
        {"actor": ref("Patient", row.patient_id), "status": booked},
        {"actor": ref("Practitioner", row.clinician_id), "status": booked},
        {"actor": ref("Location", row.clinic_id), "status": booked},
    ]
    return prune(
        {
            **base("Appointment", row),
            "status": APPOINTMENT_STATUS[row.status],
            "cancelationReason": {"text": row.cancel_reason} if row.cancel_reason else None,
            "appointmentType": {"text": row.get_kind_display()},
            "description": row.get_kind_display(),
            "start": row.starts_at.isoformat(),
            "end": row.ends_at.isoformat(),
            "minutesDuration": int((row.ends_at - row.starts_at).total_seconds() // 60),
            "participant": participants,
        }
    )


def service_request(row: Referral, ctx: Ctx) -> dict[str, Any]:
    """A physician's referral or order for therapy: active until an episode takes it up."""
    discipline = row.get_discipline_display()
    taken_up = bool(row.episodes.all())  # prefetched (sources.py)
    return prune(
        {
            **base("ServiceRequest", row),
            "status": "completed" if taken_up else "active",
            "intent": "order",
            "category": [{"text": "Therapy referral"}],
            "code": concept(
                LOCAL_SERVICE, row.discipline, discipline, f"{discipline} evaluate and treat"
            ),
            "subject": ref("Patient", row.patient_id),
            "authoredOn": day(row.signed_on),
            "requester": ref("Practitioner", row.physician_id, str(row.physician)),
            "reasonCode": [concept(ICD10CM, str(code)) for code in row.diagnosis_codes],
            "note": [{"text": row.notes}] if row.notes else None,
        }
    )


def _signed_targets(row: Signature) -> list[dict[str, Any]]:
    """The resources a signature vouches for."""
    if row.plan_id:
        return [ref("CarePlan", row.plan_id)]
    if row.addendum is not None:
        return [ref("DocumentReference", row.addendum.note_id)]
    document = row.note_id or row.evaluation_id or row.progress_report_id or row.discharge_id
    return [ref("DocumentReference", document)]


def provenance(row: Signature, ctx: Ctx) -> dict[str, Any]:
    """Who signed (author) or co-signed (attester) a document, and when."""
    meaning = ("author", "Author") if row.meaning == "author" else ("attester", "Attester")
    profile = getattr(row.signer, "staff_profile", None)
    who = ref("Practitioner", profile.pk) if profile is not None else {"display": row.credentials}
    return prune(
        {
            **base("Provenance", row),
            "target": _signed_targets(row),
            "recorded": row.signed_at.isoformat(),
            "agent": [
                {
                    "type": concept(PROVENANCE_PARTICIPANT, *meaning),
                    "who": who,
                    "onBehalfOf": ref("Organization", row.organization_id),
                }
            ],
        }
    )
