"""Every transition of the therapist's documents, through the services."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from otclinic.clinic.care.models import (
    Episode,
    EvaluationKind,
    GoalAssessment,
    PlanStatus,
    Recertification,
    Signature,
)
from otclinic.clinic.care.selectors_clinical import episode_check_for, reload_episode
from otclinic.clinic.care.services import clinical as svc
from otclinic.clinic.care.services import clinical_reports as reports
from otclinic.clinic.common.errors import ValidationFailed
from tests.clinic.care.clinical.conftest import DAY1, Practice, evaluate, signed_notes, signed_plan

pytestmark = pytest.mark.django_db


def days_after(start: dt.date, count: int) -> list[dt.date]:
    """`count` weekdays after `start`, two days apart."""
    return [start + dt.timedelta(days=2 * i) for i in range(1, count + 1)]


def test_front_desk_intake_adds_the_referrals_codes_to_the_patients_diagnoses(
    practice: Practice,
) -> None:
    referral = svc.referral_intake(
        user=practice.desk,
        patient=practice.patient,
        physician=practice.physician,
        discipline="OT",
        signed_on=DAY1,
        diagnosis_codes=["m19.011", "I69.351"],
    )

    assert referral.diagnosis_codes == ["M19.011", "I69.351"]
    assert set(practice.patient.diagnoses.values_list("code", flat=True)) == {"M19.011", "I69.351"}


def test_intake_refuses_a_code_that_is_not_icd_10_cm(practice: Practice) -> None:
    with pytest.raises(ValidationFailed) as exc:
        svc.referral_intake(
            user=practice.desk,
            patient=practice.patient,
            physician=practice.physician,
            discipline="OT",
            signed_on=DAY1,
            diagnosis_codes=["Q99.999X"],
        )
    assert "diagnosis_codes" in exc.value.errors


def test_an_episode_opens_from_a_referral_once(practice: Practice) -> None:
    practice.episode.delete()
    episode = svc.episode_open(
        user=practice.desk,
        referral=practice.referral,
        therapist=practice.ot.staff_profile,
        started_on=DAY1,
    )
    assert episode.referral == practice.referral and episode.discipline == "OT"
    with pytest.raises(ValidationFailed, match="already has an open OT episode"):
        svc.episode_open(
            user=practice.desk,
            referral=practice.referral,
            therapist=practice.ot.staff_profile,
            started_on=DAY1,
        )


def test_evaluation_selects_its_code_with_reasoning_and_is_signed(practice: Practice) -> None:
    evaluation = evaluate(practice)

    assert evaluation.code == "97166"
    assert "Performance deficits: 4 identified meets moderate" in evaluation.complexity_reasoning
    assert [(s.instrument, s.side) for s in evaluation.scores.order_by("instrument")] == [
        ("barthel", ""),
        ("grip_kg", "right"),
    ]
    svc.evaluation_sign(user=practice.ot, evaluation=evaluation)
    evaluation.refresh_from_db()
    assert evaluation.signed_at is not None
    assert Signature.objects.get(evaluation=evaluation).signer == practice.ot
    with pytest.raises(svc.AlreadySigned):
        svc.evaluation_sign(user=practice.ot, evaluation=evaluation)


def test_a_score_off_its_scale_is_refused_naming_the_instrument(practice: Practice) -> None:
    with pytest.raises(ValidationFailed) as exc:
        evaluate(practice, scores=[svc.ScoreInput("copm_performance", Decimal(11))])
    assert exc.value.errors == {
        "copm_performance": ["COPM performance must be between 1 and 10 score, not 11."]
    }


def test_an_assistant_may_not_evaluate_plan_or_discharge(practice: Practice) -> None:
    with pytest.raises(PermissionDenied):
        evaluate(practice, user=practice.ota)
    with pytest.raises(PermissionDenied):
        svc.plan_create(
            user=practice.ota,
            episode=practice.episode,
            established_on=DAY1,
            duration_days=30,
            frequency_per_week=2,
            duration_weeks=4,
            diagnoses=[practice.diagnosis],
        )
    plan = signed_plan(practice)
    with pytest.raises(PermissionDenied):
        svc.certification_record(user=practice.ota, plan=plan, signed_on=DAY1)
    with pytest.raises(PermissionDenied):
        reports.discharge_create(
            user=practice.ota,
            episode=practice.episode,
            discharge_date=DAY1 + dt.timedelta(days=20),
            reason="goals_met",
            summary="Met goals.",
            outcomes=[],
        )


@pytest.mark.parametrize("role", ["biller", "front_desk"])
def test_a_biller_or_front_desk_may_not_write_clinical_documents(
    practice: Practice, role: str
) -> None:
    user = practice.biller if role == "biller" else practice.desk
    with pytest.raises(PermissionDenied):
        evaluate(practice, user=user)


def test_a_goal_without_a_measure_is_refused_naming_the_field(practice: Practice) -> None:
    plan = svc.plan_create(
        user=practice.ot,
        episode=practice.episode,
        established_on=DAY1,
        duration_days=56,
        frequency_per_week=2,
        duration_weeks=8,
        diagnoses=[practice.diagnosis],
    )
    with pytest.raises(ValidationFailed) as exc:
        svc.goal_add(
            user=practice.ot,
            plan=plan,
            term="long",
            description="Cooks a simple meal",
            measure="",
            baseline=Decimal(1),
            target=Decimal(1),
            target_date=DAY1,
        )
    assert set(exc.value.errors) == {"measure", "target", "target_date"}
    assert "needs a measure" in exc.value.errors["measure"][0]


def test_a_plan_is_not_signed_without_a_long_term_goal_or_interventions(practice: Practice) -> None:
    plan = svc.plan_create(
        user=practice.ot,
        episode=practice.episode,
        established_on=DAY1,
        duration_days=56,
        frequency_per_week=2,
        duration_weeks=8,
        diagnoses=[practice.diagnosis],
    )
    with pytest.raises(ValidationFailed) as exc:
        svc.plan_sign(user=practice.ot, plan=plan)
    assert set(exc.value.errors) == {"goals", "interventions"}


def test_an_intervention_code_the_clinic_does_not_bill_is_refused(practice: Practice) -> None:
    plan = svc.plan_create(
        user=practice.ot,
        episode=practice.episode,
        established_on=DAY1,
        duration_days=56,
        frequency_per_week=2,
        duration_weeks=8,
        diagnoses=[practice.diagnosis],
    )
    with pytest.raises(ValidationFailed) as exc:
        svc.intervention_add(user=practice.ot, plan=plan, category="other", code="12345")
    assert exc.value.errors == {"code": ["12345 is not a code the clinic bills."]}


def test_a_signed_plan_is_active_and_locked(practice: Practice) -> None:
    plan = signed_plan(practice)

    assert plan.status == PlanStatus.ACTIVE
    assert Signature.objects.filter(plan=plan).count() == 1
    with pytest.raises(svc.AlreadySigned):
        svc.intervention_add(user=practice.ot, plan=plan, category="cognitive", code="97129")


def _status(practice: Practice, as_of: dt.date) -> str:
    result = episode_check_for(reload_episode(practice.episode), as_of=as_of)
    assert result is not None
    return result.certification.status.value


def test_a_signature_within_30_days_is_timely(practice: Practice) -> None:
    plan = signed_plan(practice)
    svc.certification_record(user=practice.ot, plan=plan, verbal_on=DAY1 + dt.timedelta(days=2))
    svc.certification_record(user=practice.ot, plan=plan, signed_on=DAY1 + dt.timedelta(days=10))
    plan.refresh_from_db()
    assert plan.verbal_certification_on == DAY1 + dt.timedelta(days=2)
    assert _status(practice, DAY1 + dt.timedelta(days=20)) == "timely"


def test_a_signature_within_30_days_after_it_was_due_needs_no_reason(practice: Practice) -> None:
    plan = signed_plan(practice)
    late = DAY1 + dt.timedelta(days=45)  # 15 days after the 30 days, inside BPM 220.1.3.D's 30
    svc.certification_record(user=practice.ot, plan=plan, signed_on=late, as_of=late)
    plan.refresh_from_db()
    assert plan.certified_on == late
    assert _status(practice, late) == "delayed"


def test_a_late_signature_needs_the_reason_for_the_delay(practice: Practice) -> None:
    plan = signed_plan(practice)
    late = DAY1 + dt.timedelta(days=65)  # after the 30 days accepted without justification
    with pytest.raises(ValidationFailed) as exc:
        svc.certification_record(user=practice.ot, plan=plan, signed_on=late, as_of=late)
    assert "no reason for the delay" in exc.value.errors["delay_reason"][0]
    plan.refresh_from_db()
    assert plan.certified_on is None  # the refused change was rolled back

    svc.certification_record(
        user=practice.ot, plan=plan, signed_on=late, delay_reason="Physician on leave", as_of=late
    )
    assert _status(practice, late) == "delayed"


def test_sending_the_plan_makes_a_pdf_and_the_referral_exception_applies(
    practice: Practice,
) -> None:
    plan = signed_plan(practice)
    document = reports.plan_send_to_physician(
        user=practice.ot, plan=plan, sent_on=DAY1 + dt.timedelta(days=3)
    )
    assert document.kind == "plan_certification"
    assert document.file.read().startswith(b"%PDF")
    assert _status(practice, DAY1 + dt.timedelta(days=40)) == "exempt_by_referral"


def test_recertification_makes_a_new_active_version_and_a_row(practice: Practice) -> None:
    plan = signed_plan(practice, duration_days=56)
    new = svc.plan_recertify(
        user=practice.ot,
        plan=plan,
        physician=practice.physician,
        certified_on=DAY1 + dt.timedelta(days=50),
        duration_days=60,
        frequency_per_week=2,
        duration_weeks=8,
    )

    plan.refresh_from_db()
    assert (plan.status, new.status, new.version) == ("superseded", "active", 2)
    assert new.goals.count() == 2 and new.interventions.count() == 2
    recert = Recertification.objects.get(plan=new)
    assert recert.through == DAY1 + dt.timedelta(days=55 + 60)
    result = episode_check_for(reload_episode(practice.episode), as_of=DAY1 + dt.timedelta(days=70))
    assert result is not None and result.certification.through == recert.through


def test_the_ota_drafts_the_ot_completes_and_the_progress_period_resets(practice: Practice) -> None:
    evaluation = evaluate(practice)
    svc.evaluation_sign(user=practice.ot, evaluation=evaluation)
    plan = signed_plan(practice)
    days = days_after(DAY1, 9)
    signed_notes(practice, days)
    tenth = days[-1]
    before = episode_check_for(reload_episode(practice.episode), as_of=tenth)
    assert before is not None and before.progress_report.due_by == tenth

    draft = reports.progress_report_draft(
        user=practice.ota,
        episode=practice.episode,
        report_date=tenth,
        objective_findings="Barthel 70; grip right 15 kg.",
    )
    assert draft.drafted_by == practice.ota.staff_profile and draft.author is None
    with pytest.raises(PermissionDenied):
        reports.progress_report_complete(
            user=practice.ota, report=draft, assessment="x", plan="y", goal_assessments=[]
        )
    goals = list(plan.goals.all())
    with pytest.raises(ValidationFailed):  # every goal must be assessed
        reports.progress_report_complete(
            user=practice.ot,
            report=draft,
            assessment="Improving.",
            plan="Continue.",
            goal_assessments=[reports.GoalAssessmentInput(goals[0], "active", Decimal(70))],
        )
    reports.progress_report_complete(
        user=practice.ot,
        report=draft,
        assessment="Improving steadily with practice.",
        plan="Continue plan.",
        goal_assessments=[reports.GoalAssessmentInput(g, "active", Decimal(15)) for g in goals],
    )

    next_day = tenth + dt.timedelta(days=2)
    signed_notes(practice, [next_day])
    after = episode_check_for(reload_episode(practice.episode), as_of=next_day)
    assert after is not None
    assert after.progress_report.period_start == next_day
    assert after.progress_report.treatment_days_in_period == 1
    assert GoalAssessment.objects.filter(progress_report=draft).count() == 2


def test_a_stale_draft_save_is_refused(practice: Practice) -> None:
    signed_plan(practice)
    draft = reports.progress_report_draft(
        user=practice.ota, episode=practice.episode, report_date=DAY1, objective_findings="a"
    )
    reports.progress_report_draft(
        user=practice.ot,
        episode=practice.episode,
        report_date=DAY1,
        objective_findings="b",
        report=draft,
        revision=1,
    )
    with pytest.raises(reports.StaleDraft):
        reports.progress_report_draft(
            user=practice.ota,
            episode=practice.episode,
            report_date=DAY1,
            objective_findings="c",
            report=draft,
            revision=1,
        )


def test_a_reevaluation_is_97168_and_resets_the_progress_period(practice: Practice) -> None:
    evaluate(practice)
    signed_plan(practice)
    days = days_after(DAY1, 5)
    signed_notes(practice, days)
    reeval = evaluate(practice, reevaluation=True, performed_on=days[-1] + dt.timedelta(days=1))

    assert (reeval.kind, reeval.code, reeval.complexity) == (
        EvaluationKind.REEVALUATION,
        "97168",
        "",
    )
    later = reeval.performed_on + dt.timedelta(days=1)
    signed_notes(practice, [later])
    result = episode_check_for(reload_episode(practice.episode), as_of=later)
    assert result is not None and result.progress_report.period_start == later


def test_discharge_records_outcomes_and_closes_the_episode(practice: Practice) -> None:
    evaluate(practice)
    plan = signed_plan(practice)
    signed_notes(practice, days_after(DAY1, 3))
    goals = list(plan.goals.all())
    with pytest.raises(ValidationFailed):  # "active" is not an outcome
        reports.discharge_create(
            user=practice.ot,
            episode=practice.episode,
            discharge_date=DAY1 + dt.timedelta(days=10),
            reason="goals_met",
            summary="Done.",
            outcomes=[reports.GoalAssessmentInput(g, "active") for g in goals],
        )
    discharge = reports.discharge_create(
        user=practice.ot,
        episode=practice.episode,
        discharge_date=DAY1 + dt.timedelta(days=10),
        reason="goals_met",
        summary="Independent in upper-body dressing.",
        outcomes=[
            reports.GoalAssessmentInput(goals[0], "met", Decimal(85)),
            reports.GoalAssessmentInput(goals[1], "partially_met", Decimal(16)),
        ],
    )

    episode = Episode.objects.get(pk=practice.episode.pk)
    assert (episode.status, episode.ended_on) == ("discharged", DAY1 + dt.timedelta(days=10))
    assert sorted(discharge.goal_outcomes.values_list("status", flat=True)) == [
        "met",
        "partially_met",
    ]
    assert Signature.objects.filter(discharge=discharge).exists()
    with pytest.raises(ValidationFailed, match="closed"):
        evaluate(practice, reevaluation=True)


def test_the_home_program_is_kept_as_a_document_shareable_with_the_portal(
    practice: Practice,
) -> None:
    signed_plan(practice)
    signed_notes(practice, [DAY1 + dt.timedelta(days=2)])
    document = reports.home_program_create(user=practice.ota, episode=practice.episode)
    assert (document.kind, document.shared_with_portal) == ("home_program", False)
    reports.document_share(user=practice.ota, document=document, shared=True)
    document.refresh_from_db()
    assert document.shared_with_portal
    with pytest.raises(PermissionDenied):
        reports.home_program_create(user=practice.biller, episode=practice.episode)
