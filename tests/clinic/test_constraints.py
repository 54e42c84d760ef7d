"""The database itself refuses unsound rows, on SQLite and PostgreSQL alike.

Each case writes one row that breaks one constraint, below the forms and services (as a bug or
a script would), and expects the database to refuse it. Each has a sound twin that is accepted,
so a refusal means the constraint fired, not that the row was broken some other way.
"""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django.db.models import BaseConstraint, UniqueConstraint
from django.utils import timezone

from otclinic.clinic.accounts.models import User
from otclinic.clinic.care.models import (
    AssessmentScore,
    CosignReview,
    DischargeSummary,
    Evaluation,
    Goal,
    GoalAssessment,
    GoalProgress,
    PlanDiagnosis,
    PlannedIntervention,
    ProgressReport,
    Recertification,
    Signature,
)
from otclinic.clinic.patients.models import Consent
from otclinic.clinic.scheduling.models import Room
from otclinic.clinic.staff.models import StateLicense
from tests.clinic import factories as f
from tests.clinic.constraint_cases_accounts import ACCOUNTS_CASES
from tests.clinic.constraint_cases_assistant import ASSISTANT_CASES, SHORTHAND_CASES
from tests.clinic.constraint_cases_billing_office import BILLING_OFFICE_CASES
from tests.clinic.constraint_cases_care_documents import CARE_DOCUMENTS_CASES
from tests.clinic.constraint_cases_care_followup import CARE_FOLLOWUP_CASES
from tests.clinic.constraint_cases_fhir_bulk import FHIR_BULK_CASES
from tests.clinic.constraint_cases_fieldwork import FIELDWORK_CASES
from tests.clinic.constraint_cases_hiring import HIRING_CASES
from tests.clinic.constraint_cases_intake import INTAKE_CASES
from tests.clinic.constraint_cases_jobs import JOBS_CASES
from tests.clinic.constraint_cases_messaging import MESSAGING_CASES
from tests.clinic.constraint_cases_payers import PAYERS_CASES
from tests.clinic.constraint_cases_portal import PORTAL_CASES
from tests.clinic.constraint_cases_revenue import REVENUE_CASES
from tests.clinic.constraint_cases_scheduling import SCHEDULING_CASES
from tests.clinic.constraint_cases_smart import SMART_CASES
from tests.clinic.constraint_cases_staff import STAFF_CASES
from tests.clinic.constraint_cases_supervision import SUPERVISION_CASES

pytestmark = pytest.mark.django_db

D = dt.date
Case = Callable[[bool], object]  # writes the broken row when `bad`, its sound twin otherwise


def episode_one_open_per_discipline(bad: bool) -> object:
    first = f.EpisodeFactory()
    return f.EpisodeFactory(
        patient=first.patient, therapist=first.therapist, discipline="OT" if bad else "PT"
    )


def episode_ends_after_start(bad: bool) -> object:
    return f.EpisodeFactory(
        status="discharged",
        started_on=D(2026, 2, 1),
        ended_on=D(2026, 1, 31) if bad else D(2026, 2, 1),
    )


def coverage_ends_after_start(bad: bool) -> object:
    return f.CoverageFactory(starts_on=D(2026, 3, 1), ends_on=D(2026, 2, 28) if bad else None)


def coverage_unique(bad: bool) -> object:
    first = f.CoverageFactory()
    return f.CoverageFactory(
        patient=first.patient,
        payer=first.payer,
        member_id=first.member_id,
        starts_on=first.starts_on if bad else D(2027, 1, 1),
    )


def physician_npi_unique_in_org(bad: bool) -> object:
    first = f.PhysicianFactory()
    org = first.organization if bad else f.OrganizationFactory()
    return f.PhysicianFactory(organization=org, npi=first.npi)


def physician_npi_ten_digits(bad: bool) -> object:
    return f.PhysicianFactory(npi="123456789" if bad else f.next_npi())


def patient_mrn_unique_in_org(bad: bool) -> object:
    first = f.PatientFactory()
    org = first.organization if bad else f.OrganizationFactory()
    return f.PatientFactory(organization=org, mrn=first.mrn)


def patient_sex_known(bad: bool) -> object:
    return f.PatientFactory(sex="X" if bad else "U")


def diagnosis_unique_per_patient(bad: bool) -> object:
    first = f.DiagnosisFactory()
    return f.DiagnosisFactory(patient=first.patient, code=first.code if bad else "M19.011")


def payer_id_unique_in_org(bad: bool) -> object:
    first = f.PayerFactory()
    return f.PayerFactory(
        organization=first.organization, payer_id=first.payer_id if bad else "OTHER1"
    )


def payer_plan_known(bad: bool) -> object:
    return f.PayerFactory(plan_kind="gold_plated" if bad else "medicaid")


def user_has_organization_and_role(bad: bool) -> object:
    # A platform superuser may have neither; anyone else must have both.
    return User.objects.create(username="nobody", is_superuser=not bad, organization=None)


def user_role_known(bad: bool) -> object:
    return f.UserFactory(role="wizard" if bad else "front_desk")


def plan_duration_in_range(bad: bool) -> object:
    return f.PlanOfCareFactory(duration_days=367 if bad else 366)


def plan_duration_at_least_a_day(bad: bool) -> object:
    return f.PlanOfCareFactory(duration_days=0 if bad else 1)


def plan_frequency_in_range(bad: bool) -> object:
    return f.PlanOfCareFactory(frequency_per_week=15 if bad else 14)


def one_active_plan_per_episode(bad: bool) -> object:
    first = f.PlanOfCareFactory(status="active")
    return f.PlanOfCareFactory(
        episode=first.episode, version=2, status="active" if bad else "superseded"
    )


def plan_version_unique(bad: bool) -> object:
    first = f.PlanOfCareFactory()
    return f.PlanOfCareFactory(episode=first.episode, version=1 if bad else 2)


def note_timed_within_treatment_minutes(bad: bool) -> object:
    return f.TreatmentNoteFactory(total_timed_minutes=46 if bad else 45, total_treatment_minutes=45)


def note_signed_has_time(bad: bool) -> object:
    return f.TreatmentNoteFactory(status="signed", signed_at=None if bad else timezone.now())


def note_not_billable_has_reason(bad: bool) -> object:
    return f.TreatmentNoteFactory(
        status="signed",
        signed_at=timezone.now(),
        not_billable=True,
        not_billable_reason="" if bad else "patient_refused",
    )


def note_not_billable_when_signed(bad: bool) -> object:
    return f.TreatmentNoteFactory(
        status="draft" if bad else "signed",
        signed_at=timezone.now(),
        not_billable=True,
        not_billable_reason="patient_refused",
    )


def note_line_code_form(bad: bool) -> object:
    return f.NoteLineFactory(code="9753" if bad else "G0283")


def note_line_category_known(bad: bool) -> object:
    return f.NoteLineFactory(category="juggling" if bad else "self_care_adl")


def signature_on_exactly_one_document(bad: bool) -> object:
    note = f.TreatmentNoteFactory()
    plan = f.PlanOfCareFactory(episode=note.episode) if bad else None
    return Signature.objects.create(
        organization=note.organization,
        signer=note.author.user,
        meaning="author",
        credentials="OTR/L",
        signed_at=timezone.now(),
        content_sha256="a" * 64,
        note=note,
        plan=plan,
    )


def signature_on_no_document(bad: bool) -> object:
    note = f.TreatmentNoteFactory()
    return Signature.objects.create(
        organization=note.organization,
        signer=note.author.user,
        meaning="author",
        credentials="OTR/L",
        signed_at=timezone.now(),
        content_sha256="b" * 64,
        note=None if bad else note,
    )


def signature_hash_form(bad: bool) -> object:
    note = f.TreatmentNoteFactory()
    return Signature.objects.create(
        organization=note.organization,
        signer=note.author.user,
        meaning="author",
        credentials="OTR/L",
        signed_at=timezone.now(),
        content_sha256="not-a-hash" if bad else "c" * 64,
        note=note,
    )


def evaluation_code_known(bad: bool) -> object:
    episode = f.EpisodeFactory()
    return Evaluation.objects.create(
        organization=episode.organization,
        episode=episode,
        kind="evaluation",
        performed_on=episode.started_on,
        therapist=episode.therapist,
        code="97530" if bad else "97166",
    )


def score_belongs_to_a_document(bad: bool) -> object:
    note = f.TreatmentNoteFactory()
    return AssessmentScore.objects.create(
        organization=note.organization,
        note=None if bad else note,
        instrument="grip_kg",
        value=Decimal("21.50"),
        measured_on=note.date_of_service,
    )


def plan_diagnosis_rank_1_to_12(bad: bool) -> object:
    plan = f.PlanOfCareFactory()
    diagnosis = f.DiagnosisFactory(patient=plan.episode.patient)
    return PlanDiagnosis.objects.create(
        organization=plan.organization, plan=plan, diagnosis=diagnosis, rank=13 if bad else 12
    )


def recert_through_after_signed(bad: bool) -> object:
    plan = f.PlanOfCareFactory()
    return Recertification.objects.create(
        organization=plan.organization,
        episode=plan.episode,
        plan=plan,
        physician=f.PhysicianFactory(organization=plan.organization),
        certified_on=D(2026, 3, 1),
        through=D(2026, 2, 1) if bad else D(2026, 5, 1),
    )


def consent_revoked_after_signed(bad: bool) -> object:
    patient = f.PatientFactory()
    return Consent.objects.create(
        organization=patient.organization,
        patient=patient,
        kind="treatment",
        signed_on=D(2026, 1, 10),
        revoked_on=D(2026, 1, 9) if bad else D(2026, 1, 10),
    )


def portal_access_unique(bad: bool) -> object:
    first = f.PortalAccessFactory()
    patient = first.patient if bad else f.PatientFactory(organization=first.organization)
    return f.PortalAccessFactory(patient=patient, user=first.user)


def staff_npi_unique(bad: bool) -> object:
    first = f.StaffProfileFactory()
    return f.StaffProfileFactory(npi=first.npi if bad else "")


def staff_not_own_supervisor(bad: bool) -> object:
    ota = f.StaffProfileFactory(user__role="OTA")
    ota.supervising_ot = ota if bad else f.StaffProfileFactory(user__organization=ota.organization)
    ota.save()
    return ota


def license_expires_after_issue(bad: bool) -> object:
    staff = f.StaffProfileFactory()
    return StateLicense.objects.create(
        organization=staff.organization,
        staff=staff,
        state="OH",
        number="OT.012345",
        issued_on=D(2025, 1, 1),
        expires_on=D(2024, 12, 31) if bad else D(2027, 6, 30),
    )


def appointment_ends_after_start(bad: bool) -> object:
    start = timezone.now().replace(microsecond=0)
    return f.AppointmentFactory(starts_at=start, ends_at=start if bad else start + dt.timedelta(1))


def referral_discipline_known(bad: bool) -> object:
    return f.ReferralFactory(discipline="XX" if bad else "SLP")


def organization_tax_id_nine_digits(bad: bool) -> object:
    return f.OrganizationFactory(tax_id="12-345678" if bad else "123456789")


def clinic_place_of_service_two_digits(bad: bool) -> object:
    return f.ClinicFactory(place_of_service="1A" if bad else "12")


def clinic_name_unique_in_org(bad: bool) -> object:
    first = f.ClinicFactory()
    return f.ClinicFactory(organization=first.organization, name=first.name if bad else "Annex")


def episode_discipline_known(bad: bool) -> object:
    return f.EpisodeFactory(discipline="XX" if bad else "SLP")


def _goal(plan: Any) -> Goal:
    return Goal.objects.create(
        organization=plan.organization,
        plan=plan,
        term="short",
        description="Buttons a shirt independently",
        measure="buttons per minute",
        baseline=Decimal("2"),
        target=Decimal("6"),
        target_date=D(2026, 3, 1),
    )


def goal_progress_once_per_note(bad: bool) -> object:
    note = f.TreatmentNoteFactory()
    plan = f.PlanOfCareFactory(episode=note.episode)
    goal = _goal(plan)
    GoalProgress.objects.create(organization=note.organization, note=note, goal=goal)
    other = goal if bad else _goal(plan)
    return GoalProgress.objects.create(organization=note.organization, note=note, goal=other)


def license_unique(bad: bool) -> object:
    first = license_expires_after_issue(False)
    return StateLicense.objects.create(
        organization=first.organization,
        staff=first.staff,
        state="OH" if bad else "KY",
        number=first.number,
        expires_on=D(2027, 6, 30),
    )


def _plan_diagnosis(plan: Any, *, code: str, rank: int, diagnosis: Any = None) -> PlanDiagnosis:
    diagnosis = diagnosis or f.DiagnosisFactory(patient=plan.episode.patient, code=code)
    return PlanDiagnosis.objects.create(
        organization=plan.organization, plan=plan, diagnosis=diagnosis, rank=rank
    )


def plan_diagnosis_rank_unique(bad: bool) -> object:
    first = _plan_diagnosis(f.PlanOfCareFactory(), code="I69.351", rank=1)
    return _plan_diagnosis(first.plan, code="M19.011", rank=1 if bad else 2)


def plan_diagnosis_unique(bad: bool) -> object:
    first = _plan_diagnosis(f.PlanOfCareFactory(), code="I69.351", rank=1)
    again = first.diagnosis if bad else None
    return _plan_diagnosis(first.plan, code="M19.011", rank=2, diagnosis=again)


def planned_intervention_unique(bad: bool) -> object:
    plan = f.PlanOfCareFactory()
    PlannedIntervention.objects.create(
        organization=plan.organization, plan=plan, category="therapeutic_activity", code="97530"
    )
    return PlannedIntervention.objects.create(
        organization=plan.organization,
        plan=plan,
        category="therapeutic_activity",
        code="97530" if bad else "97535",
    )


def room_name_unique(bad: bool) -> object:
    clinic = f.ClinicFactory()
    Room.objects.create(organization=clinic.organization, clinic=clinic, name="Gym")
    return Room.objects.create(
        organization=clinic.organization, clinic=clinic, name="Gym" if bad else "ADL kitchen"
    )


def staff_npi_ten_digits(bad: bool) -> object:
    return f.StaffProfileFactory(npi="3000000000" if bad else "")


def _progress_report(**fields: Any) -> ProgressReport:
    episode = f.EpisodeFactory()
    values = {"report_date": D(2026, 2, 2), "period_start": D(2026, 1, 12), **fields}
    return ProgressReport.objects.create(
        organization=episode.organization, episode=episode, **values
    )


def progress_period_starts_before_report(bad: bool) -> object:
    return _progress_report(period_start=D(2026, 2, 3) if bad else D(2026, 2, 2))


def progress_signed_has_author_and_time(bad: bool) -> object:
    report = _progress_report()
    author = None if bad else report.episode.therapist
    report.status, report.signed_at, report.author = "signed", timezone.now(), author
    report.save()
    return report


def _discharge(*, signed_at: Any, status: str = "signed") -> DischargeSummary:
    episode = f.EpisodeFactory()
    return DischargeSummary.objects.create(
        organization=episode.organization,
        episode=episode,
        discharge_date=D(2026, 3, 1),
        author=episode.therapist,
        reason="goals_met",
        summary="Goals met; independent with home program.",
        status=status,
        signed_at=signed_at,
    )


def discharge_signed_has_time(bad: bool) -> object:
    return _discharge(signed_at=None if bad else timezone.now())


def goal_assessment_in_one_document(bad: bool) -> object:
    report = _progress_report()
    goal = _goal(f.PlanOfCareFactory(episode=report.episode))
    discharge = _discharge(signed_at=timezone.now()) if bad else None
    return GoalAssessment.objects.create(
        organization=report.organization,
        goal=goal,
        progress_report=report,
        discharge=discharge,
        status="active",
    )


def cosign_return_has_comment(bad: bool) -> object:
    note = f.TreatmentNoteFactory()
    return CosignReview.objects.create(
        organization=note.organization,
        note=note,
        reviewer=note.episode.therapist,
        decision="returned",
        comment="" if bad else "Add the patient's response to the transfer training.",
        decided_at=timezone.now(),
    )


CASES: list[tuple[str, Case]] = [
    ("one_open_episode_per_discipline", episode_one_open_per_discipline),
    ("episode_ends_after_start", episode_ends_after_start),
    ("coverage_ends_after_start", coverage_ends_after_start),
    ("coverage_unique", coverage_unique),
    ("physician_npi_unique_in_org", physician_npi_unique_in_org),
    ("physician_npi_ten_digits", physician_npi_ten_digits),
    ("patient_mrn_unique_in_org", patient_mrn_unique_in_org),
    ("patient_sex_known", patient_sex_known),
    ("diagnosis_unique_per_patient", diagnosis_unique_per_patient),
    ("payer_id_unique_in_org", payer_id_unique_in_org),
    ("payer_plan_known", payer_plan_known),
    ("user_has_organization_and_role", user_has_organization_and_role),
    ("user_role_known", user_role_known),
    ("plan_duration_in_range", plan_duration_in_range),
    ("plan_duration_in_range", plan_duration_at_least_a_day),
    ("plan_frequency_in_range", plan_frequency_in_range),
    ("one_active_plan_per_episode", one_active_plan_per_episode),
    ("plan_version_unique", plan_version_unique),
    ("note_timed_within_treatment_minutes", note_timed_within_treatment_minutes),
    ("note_signed_has_time", note_signed_has_time),
    ("note_not_billable_has_reason", note_not_billable_has_reason),
    ("note_not_billable_when_signed", note_not_billable_when_signed),
    ("note_line_code_form", note_line_code_form),
    ("note_line_category_known", note_line_category_known),
    ("signature_on_exactly_one_document", signature_on_exactly_one_document),
    ("signature_on_exactly_one_document", signature_on_no_document),
    ("signature_hash_form", signature_hash_form),
    ("evaluation_code_known", evaluation_code_known),
    ("score_belongs_to_a_document", score_belongs_to_a_document),
    ("plan_diagnosis_rank_1_to_12", plan_diagnosis_rank_1_to_12),
    ("recert_through_after_signed", recert_through_after_signed),
    ("consent_revoked_after_signed", consent_revoked_after_signed),
    ("portal_access_unique", portal_access_unique),
    ("staff_npi_unique", staff_npi_unique),
    ("staff_not_own_supervisor", staff_not_own_supervisor),
    ("license_expires_after_issue", license_expires_after_issue),
    ("appointment_ends_after_start", appointment_ends_after_start),
    ("referral_discipline_known", referral_discipline_known),
    ("organization_tax_id_nine_digits", organization_tax_id_nine_digits),
    ("clinic_place_of_service_two_digits", clinic_place_of_service_two_digits),
    ("clinic_name_unique_in_org", clinic_name_unique_in_org),
    ("episode_discipline_known", episode_discipline_known),
    ("goal_progress_once_per_note", goal_progress_once_per_note),
    ("license_unique", license_unique),
    ("plan_diagnosis_rank_unique", plan_diagnosis_rank_unique),
    ("plan_diagnosis_unique", plan_diagnosis_unique),
    ("planned_intervention_unique", planned_intervention_unique),
    ("room_name_unique", room_name_unique),
    ("staff_npi_ten_digits", staff_npi_ten_digits),
    ("progress_period_starts_before_report", progress_period_starts_before_report),
    ("progress_signed_has_author_and_time", progress_signed_has_author_and_time),
    ("discharge_signed_has_time", discharge_signed_has_time),
    ("goal_assessment_in_one_document", goal_assessment_in_one_document),
    ("cosign_return_has_comment", cosign_return_has_comment),
    *REVENUE_CASES,
    *STAFF_CASES,
    *FIELDWORK_CASES,
    *HIRING_CASES,
    *SCHEDULING_CASES,
    *PORTAL_CASES,
    *CARE_FOLLOWUP_CASES,
    *CARE_DOCUMENTS_CASES,
    *MESSAGING_CASES,
    *SUPERVISION_CASES,
    *JOBS_CASES,
    *FHIR_BULK_CASES,
    *PAYERS_CASES,
    *BILLING_OFFICE_CASES,
    *INTAKE_CASES,
    *ACCOUNTS_CASES,
    *ASSISTANT_CASES,
    *SMART_CASES,
    *SHORTHAND_CASES,
]


def _all_constraints() -> dict[str, BaseConstraint]:
    return {
        c.name: c
        for model in apps.get_models()
        if model.__module__.startswith("otclinic.")
        for c in model._meta.constraints
    }


def _named_in_error(name: str) -> bool:
    """Whether the database names this constraint in its error.

    PostgreSQL always does; SQLite names CHECK constraints but reports a UNIQUE one by its
    columns instead.
    """
    return connection.vendor == "postgresql" or not isinstance(
        _all_constraints()[name], UniqueConstraint
    )


@pytest.mark.parametrize(("name", "case"), CASES, ids=[fn.__name__ for _, fn in CASES])
def test_the_database_refuses_a_row_that_breaks(name: str, case: Case) -> None:
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        case(True)
    if _named_in_error(name):
        assert name in str(refused.value)


@pytest.mark.parametrize(("name", "case"), CASES, ids=[fn.__name__ for _, fn in CASES])
def test_the_database_accepts_the_sound_twin_of(name: str, case: Case) -> None:
    with transaction.atomic():
        assert case(False) is not None


def test_every_constraint_has_a_case() -> None:
    missing = set(_all_constraints()) - {name for name, _ in CASES}
    assert not missing, f"add a case to tests/clinic/test_constraints.py for: {sorted(missing)}"
