"""A patient's whole record, signed, for the FHIR tests: one of each thing the server maps."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from otclinic.clinic.care.models import (
    AssessmentScore,
    DischargeSummary,
    Evaluation,
    Goal,
    GoalProgress,
    PlanDiagnosis,
    PlannedIntervention,
    ProgressReport,
    Signature,
)
from otclinic.clinic.patients.models import Consent, PatientContact, PortalScope
from otclinic.clinic.revenue.models import Remittance, RemittanceClaim, RemittanceService
from tests.clinic import factories as f
from tests.clinic.revenue.remittance.helpers import make_claim
from tests.clock import TODAY


@dataclass
class Record:
    org: Any
    patient: Any
    diagnosis: Any
    episode: Any
    plan: Any
    goal: Any
    evaluation: Any
    score: Any
    note: Any
    line: Any
    progress: Any
    report: Any
    discharge: Any
    appointment: Any
    referral: Any
    author_signature: Any
    cosignature: Any
    coverage: Any
    consent: Any
    claim: Any
    eob: Any


def signature(document: str, row: Any, *, signer: Any, meaning: str = "author") -> Signature:
    return Signature.objects.create(
        organization=row.organization,
        signer=signer,
        meaning=meaning,
        credentials="OTR/L",
        signed_at=timezone.now(),
        content_sha256="a" * 64,
        **{document: row},
    )


def _plan_and_goal(episode: Any, diagnosis: Any) -> tuple[Any, Any]:
    plan = f.PlanOfCareFactory(episode=episode, status="active", signed_at=timezone.now())
    PlanDiagnosis.objects.create(
        organization=episode.organization, plan=plan, diagnosis=diagnosis, rank=1
    )
    PlannedIntervention.objects.create(
        organization=episode.organization,
        plan=plan,
        category="therapeutic_activity",
        code="97530",
        description="Therapeutic activities",
    )
    goal = Goal.objects.create(
        organization=episode.organization,
        plan=plan,
        term="long",
        description="Dresses her upper body on her own",
        measure="grip strength",
        unit="kg",
        baseline=Decimal("12.5"),
        target=Decimal("20"),
        target_date=plan.established_on + dt.timedelta(days=50),
    )
    return plan, goal


def _evaluation(episode: Any) -> tuple[Any, Any]:
    evaluation = Evaluation.objects.create(
        organization=episode.organization,
        episode=episode,
        kind="evaluation",
        performed_on=episode.started_on,
        therapist=episode.therapist,
        complexity="low",
        code="97165",
        signed_at=timezone.now(),
    )
    score = AssessmentScore.objects.create(
        organization=episode.organization,
        evaluation=evaluation,
        instrument="grip_kg",
        value=Decimal("12.5"),
        unit="kg",
        side="right",
        measured_on=episode.started_on,
    )
    return evaluation, score


def _documents(episode: Any) -> tuple[Any, Any]:
    signed = timezone.now()
    report = ProgressReport.objects.create(
        organization=episode.organization,
        episode=episode,
        report_date=episode.started_on + dt.timedelta(days=30),
        period_start=episode.started_on,
        author=episode.therapist,
        status="signed",
        signed_at=signed,
    )
    discharge = DischargeSummary.objects.create(
        organization=episode.organization,
        episode=episode,
        discharge_date=episode.started_on + dt.timedelta(days=55),
        author=episode.therapist,
        reason="goals_met",
        summary="Goals met.",
        status="signed",
        signed_at=signed,
    )
    return report, discharge


def _coverage_and_consent(patient: Any) -> tuple[Any, Any]:
    coverage = f.CoverageFactory(patient=patient, group_number="GRP-7", ends_on=TODAY)
    contact = PatientContact.objects.create(
        organization=patient.organization,
        patient=patient,
        name="Rosa Caregiver",
        relationship="spouse",
        is_caregiver=True,
    )
    consent = Consent.objects.create(
        organization=patient.organization,
        patient=patient,
        kind="portal_sharing",
        contact=contact,
        scopes=[PortalScope.GOALS, PortalScope.MESSAGES],
        signed_on=TODAY - dt.timedelta(days=10),
        expires_on=TODAY + dt.timedelta(days=80),
    )
    return coverage, consent


def _claim_and_payment(episode: Any, coverage: Any) -> tuple[Any, Any]:
    """A two-line claim and its posted 835 payment: one line paid, one denied (CO-50, N115)."""
    on = episode.started_on + dt.timedelta(days=7)
    claim = make_claim(
        organization=episode.organization,
        coverage=coverage,
        episode=episode,
        lines=[("97530", "150.10", on), ("G0283", "20.20", on)],
    )
    first, second = claim.lines.all()
    first.modifiers = ["GO", "59"]
    first.units = 3
    first.save()
    org = episode.organization
    remittance = Remittance.objects.create(
        organization=org,
        file_sha256="1" * 64,
        payer_name=coverage.payer.name,
        payment_amount=Decimal("120.08"),
        payment_date=TODAY - dt.timedelta(days=3),
        trace_number=f"TRACE-{claim.patient_control_number}",
        imported_by=f.staff_user(organization=org, role="biller"),
    )
    paid = RemittanceClaim.objects.create(
        organization=org,
        remittance=remittance,
        claim=claim,
        patient_control_number=claim.patient_control_number,
        status_code="1",
        charge=Decimal("170.30"),
        paid=Decimal("120.08"),
        patient_responsibility=Decimal("0.00"),
        payer_claim_number="PCN-77",
    )
    for line, amount, cas, remarks in (
        (first, "120.08", [{"group": "CO", "reason": "45", "amount": "30.02"}], []),
        (second, "0.00", [{"group": "CO", "reason": "50", "amount": "20.20"}], ["N115"]),
    ):
        RemittanceService.objects.create(
            organization=org,
            remittance_claim=paid,
            claim_line=line,
            procedure=line.code,
            modifiers=line.modifiers,
            charge=line.amount,
            paid=Decimal(amount),
            units=line.units,
            date_of_service=line.date_of_service,
            adjustments=cas,
            remarks=remarks,
        )
    return claim, paid


def full_record(org: Any = None) -> Record:
    patient = f.PatientFactory(**({"organization": org} if org else {}), phone="555-0101")
    diagnosis = f.DiagnosisFactory(patient=patient, onset_on=TODAY - dt.timedelta(days=90))
    referral = f.ReferralFactory(patient=patient, diagnosis_codes=[diagnosis.code])
    episode = f.EpisodeFactory(
        patient=patient, referral=referral, started_on=TODAY - dt.timedelta(days=60)
    )
    therapist = episode.therapist
    therapist.clinics.add(patient.home_clinic)
    therapist.user.email = f"{therapist.user.username}@clinic.example"
    therapist.user.save()
    plan, goal = _plan_and_goal(episode, diagnosis)
    evaluation, score = _evaluation(episode)
    note = f.TreatmentNoteFactory(
        episode=episode,
        status="cosigned",
        signed_at=timezone.now(),
        date_of_service=episode.started_on + dt.timedelta(days=7),
    )
    line = f.NoteLineFactory(note=note)
    progress = GoalProgress.objects.create(
        organization=patient.organization, note=note, goal=goal, value=Decimal("14")
    )
    report, discharge = _documents(episode)
    cosigner = f.staff_user(organization=patient.organization, role="OT")
    coverage, consent = _coverage_and_consent(patient)
    claim, eob = _claim_and_payment(episode, coverage)
    return Record(
        org=patient.organization,
        patient=patient,
        diagnosis=diagnosis,
        episode=episode,
        plan=plan,
        goal=goal,
        evaluation=evaluation,
        score=score,
        note=note,
        line=line,
        progress=progress,
        report=report,
        discharge=discharge,
        appointment=f.AppointmentFactory(patient=patient, clinician=episode.therapist),
        referral=referral,
        author_signature=signature("note", note, signer=episode.therapist.user),
        cosignature=signature("note", note, signer=cosigner, meaning="cosigner"),
        coverage=coverage,
        consent=consent,
        claim=claim,
        eob=eob,
    )


def ids_by_type(record: Record) -> dict[str, list[Any]]:
    """Every resource the record gives, by FHIR type and id."""
    therapist = record.episode.therapist
    return {
        "Patient": [record.patient.pk],
        "Practitioner": [therapist.pk, record.referral.physician_id],
        "PractitionerRole": [therapist.pk],
        "Organization": [record.org.pk, record.coverage.payer_id],
        "Location": [record.patient.home_clinic_id],
        "Condition": [record.diagnosis.pk],
        "Encounter": [record.note.pk, record.evaluation.pk],
        "Procedure": [record.line.pk, record.evaluation.pk],
        "Goal": [record.goal.pk],
        "CarePlan": [record.plan.pk],
        "Observation": [record.score.pk, record.progress.pk],
        "DocumentReference": [
            record.note.pk,
            record.evaluation.pk,
            record.report.pk,
            record.discharge.pk,
        ],
        "Appointment": [record.appointment.pk],
        "ServiceRequest": [record.referral.pk],
        "Provenance": [record.author_signature.pk, record.cosignature.pk],
        "Coverage": [record.coverage.pk],
        "Consent": [record.consent.pk],
        "Claim": [record.claim.pk],
        "ExplanationOfBenefit": [record.eob.pk],
        "Group": [record.patient.home_clinic_id, record.coverage.payer_id],
    }
