"""Writes to the therapist's documents: referral intake, evaluation, plan of care, certification.

Each function is one transaction, keyword-only, role-checked, and audit-logged by the trail
(every saved row is recorded). Only the episode's therapist discipline may evaluate and plan
(BPM ch. 15 sec. 230.2: an assistant may not). Progress reports, discharge and the home program
are in `clinical_reports`.
"""

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.care.adapters import episode_facts
from otclinic.clinic.care.models import (
    AssessmentScore,
    Complexity,
    Episode,
    EpisodeStatus,
    Evaluation,
    EvaluationKind,
    Goal,
    GoalStatus,
    GoalTerm,
    PlanDiagnosis,
    PlannedIntervention,
    PlanOfCare,
    PlanStatus,
    Recertification,
    Signature,
    SignatureMeaning,
)
from otclinic.clinic.care.selectors_clinical import episode_check_for, reload_episode
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.common.services import validated_save
from otclinic.clinic.patients import services as patient_services
from otclinic.clinic.patients.models import Patient, PatientDiagnosis
from otclinic.clinic.referrals.models import Referral, ReferringPhysician
from otclinic.domain.access import Capability
from otclinic.domain.billing.rulebook import default_rulebook
from otclinic.domain.care.assessments import SCALES, Instrument, score_problem
from otclinic.domain.care.complexity import (
    REEVALUATION_CODE,
    DecisionMaking,
    HistoryReview,
    NoDeficits,
    select_complexity,
)
from otclinic.domain.codes import Discipline, InterventionCategory, Role
from otclinic.domain.compliance import episode_rules
from otclinic.domain.compliance.episode_certification import MAX_CERTIFIED_DAYS, certified_spans
from otclinic.domain.compliance.episode_model import THERAPIST_FOR
from otclinic.domain.diagnoses import check_icd10


class AlreadySigned(ValidationFailed):
    """A signed document cannot be changed."""

    def __init__(self, what: str) -> None:
        super().__init__({"__all__": [f"This {what} is signed and can no longer be changed."]})


# --- shared pieces -------------------------------------------------------------------------------


def staff_of(user: Any) -> Any:
    profile = getattr(user, "staff_profile", None)
    if profile is None:
        raise PermissionDenied("only staff with a clinician profile may write clinical documents")
    return profile


def require_therapist(user: Any, episode: Episode, capability: Capability) -> Any:
    """The user's staff profile, if the user is the therapist of the episode's discipline."""
    require(user, capability)
    if user.organization_id != episode.organization_id:
        raise PermissionDenied("this episode belongs to another organization")
    therapist = THERAPIST_FOR[Discipline(episode.discipline)]
    if Role(user.role).value != therapist.value:
        raise PermissionDenied(
            f"only an {therapist.value} may do this on an {episode.discipline} episode"
        )
    return staff_of(user)


def content_hash(content: dict[str, Any]) -> str:
    return hashlib.sha256(
        json.dumps(content, sort_keys=True, default=str).encode("utf-8")
    ).hexdigest()


def sign(*, user: Any, document: str, target: Any, content: dict[str, Any]) -> Signature:
    """The author's signature on one document, with a hash of what was signed."""
    staff = staff_of(user)
    return validated_save(
        Signature(
            organization_id=user.organization_id,
            signer=user,
            meaning=SignatureMeaning.AUTHOR,
            credentials=staff.credentials or user.role,
            signed_at=timezone.now(),
            content_sha256=content_hash(content),
            **{document: target},
        )
    )


def _same_org(user: Any, *rows: Any) -> None:
    for row in rows:
        if row is not None and row.organization_id != user.organization_id:
            raise ValidationFailed({"__all__": ["Choose records of your own organization."]})


# --- 1. referral intake -------------------------------------------------------------------------


@transaction.atomic
def referral_intake(
    *,
    user: Any,
    patient: Patient,
    physician: ReferringPhysician,
    discipline: str,
    signed_on: dt.date,
    diagnosis_codes: Sequence[str] = (),
    received_on: dt.date | None = None,
    names_discipline: bool = True,
    notes: str = "",
) -> Referral:
    """A signed referral on file; its ICD-10-CM codes join the patient's diagnoses."""
    require(user, Capability.INTAKE_REFERRAL)
    _same_org(user, patient, physician)
    codes, problems = [], []
    for raw in diagnosis_codes:
        result = check_icd10(raw)
        if result.problem:
            problems.append(result.problem)
        else:
            codes.append(result.code)
    if problems:
        raise ValidationFailed({"diagnosis_codes": [p[0].upper() + p[1:] + "." for p in problems]})
    if received_on and received_on < signed_on:
        raise ValidationFailed(
            {"received_on": ["A referral cannot be received before it is signed."]}
        )
    referral = validated_save(
        Referral(
            organization_id=user.organization_id,
            patient=patient,
            physician=physician,
            discipline=discipline,
            signed_on=signed_on,
            received_on=received_on,
            names_discipline=names_discipline,
            diagnosis_codes=codes,
            notes=notes,
        )
    )
    for code in codes:
        patient_services.diagnosis_add(user=user, patient=patient, code=code)
    return referral


@transaction.atomic
def episode_open(
    *,
    user: Any,
    referral: Referral,
    therapist: Any,
    started_on: dt.date,
    coverage: Any = None,
) -> Episode:
    """Open the referral's discipline's episode for its patient, with the responsible therapist."""
    if not (_may(user, Capability.INTAKE_REFERRAL) or _may(user, Capability.EVALUATE)):
        require(user, Capability.INTAKE_REFERRAL)
    _same_org(user, referral, therapist, coverage)
    if therapist.user.role != THERAPIST_FOR[Discipline(referral.discipline)].value:
        raise ValidationFailed(
            {"therapist": [f"Choose an {referral.discipline} therapist for this episode."]}
        )
    patient = referral.patient
    if patient.episodes.filter(discipline=referral.discipline, status=EpisodeStatus.OPEN).exists():
        raise ValidationFailed(
            {"__all__": [f"This patient already has an open {referral.discipline} episode."]}
        )
    return validated_save(
        Episode(
            organization_id=user.organization_id,
            patient=patient,
            discipline=referral.discipline,
            clinic=patient.home_clinic,
            referral=referral,
            therapist=therapist,
            coverage=coverage,
            started_on=started_on,
        )
    )


def _may(user: Any, capability: Capability) -> bool:
    from otclinic.clinic.accounts.permissions import user_may

    return user_may(user, capability)


# --- 2. evaluation -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreInput:
    instrument: str
    value: Decimal
    side: str = ""


_COMPLEXITY = {1: Complexity.LOW, 2: Complexity.MODERATE, 3: Complexity.HIGH}


@transaction.atomic
def evaluation_create(
    *,
    user: Any,
    episode: Episode,
    performed_on: dt.date,
    occupational_profile: str,
    history: str,
    performance_deficits: str,
    history_review: str = "",
    deficit_count: int = 0,
    decision_making: str = "",
    reevaluation: bool = False,
    scores: Sequence[ScoreInput] = (),
) -> Evaluation:
    """An evaluation (97165-97167, complexity selected with its reasoning) or re-evaluation (97168)."""
    staff = require_therapist(user, episode, Capability.EVALUATE)
    _refuse_if_closed(episode)
    if performed_on < episode.started_on:
        raise ValidationFailed({"performed_on": ["The evaluation cannot predate the episode."]})
    evaluation = Evaluation(
        organization_id=user.organization_id,
        episode=episode,
        kind=EvaluationKind.REEVALUATION if reevaluation else EvaluationKind.EVALUATION,
        performed_on=performed_on,
        therapist=staff,
        occupational_profile=occupational_profile,
        history=history,
        performance_deficits=performance_deficits,
        code=REEVALUATION_CODE,
    )
    if not reevaluation:
        _select_code(evaluation, history_review, deficit_count, decision_making)
    validated_save(evaluation)
    _add_scores(evaluation, scores)
    return evaluation


def _select_code(evaluation: Evaluation, history: str, deficits: int, decision: str) -> None:
    errors: dict[str, list[str]] = {}
    if history not in HistoryReview._value2member_map_:
        errors["history_review"] = [
            "Choose how much history was reviewed: brief, expanded or extensive."
        ]
    if decision not in DecisionMaking._value2member_map_:
        errors["decision_making"] = ["Choose the clinical decision making: low, moderate or high."]
    if errors:
        raise ValidationFailed(errors)
    try:
        selection = select_complexity(
            history=HistoryReview(history),
            deficits=deficits,
            decision_making=DecisionMaking(decision),
        )
    except NoDeficits as exc:
        raise ValidationFailed({"deficit_count": [str(exc)]}) from exc
    evaluation.complexity = _COMPLEXITY[selection.level.value]
    evaluation.code = selection.code
    evaluation.complexity_reasoning = selection.reasoning


def _add_scores(evaluation: Evaluation, scores: Sequence[ScoreInput]) -> None:
    errors: dict[str, list[str]] = {}
    for score in scores:
        try:
            instrument = Instrument(score.instrument)
        except ValueError:
            errors.setdefault(score.instrument, []).append("Unknown assessment.")
            continue
        problem = score_problem(instrument, score.value, score.side)
        if problem:
            field = f"{instrument.value}_{score.side}" if score.side else instrument.value
            errors.setdefault(field, []).append(problem)
            continue
        AssessmentScore.objects.create(
            organization_id=evaluation.organization_id,
            evaluation=evaluation,
            instrument=instrument.value,
            value=score.value,
            unit=SCALES[instrument].unit,
            side=score.side,
            measured_on=evaluation.performed_on,
        )
    if errors:
        raise ValidationFailed(errors)


@transaction.atomic
def evaluation_sign(*, user: Any, evaluation: Evaluation) -> Evaluation:
    """The evaluating therapist signs; a signed evaluation no longer changes."""
    require_therapist(user, evaluation.episode, Capability.EVALUATE)
    if evaluation.signed_at:
        raise AlreadySigned("evaluation")
    if evaluation.therapist.user_id != user.pk:
        raise PermissionDenied("only the therapist who evaluated may sign the evaluation")
    evaluation.signed_at = timezone.now()
    validated_save(evaluation)
    sign(
        user=user, document="evaluation", target=evaluation, content=_evaluation_content(evaluation)
    )
    return evaluation


def _evaluation_content(evaluation: Evaluation) -> dict[str, Any]:
    return {
        "code": evaluation.code,
        "performed_on": evaluation.performed_on,
        "profile": evaluation.occupational_profile,
        "history": evaluation.history,
        "deficits": evaluation.performance_deficits,
        "reasoning": evaluation.complexity_reasoning,
        "scores": sorted((s.instrument, str(s.value), s.side) for s in evaluation.scores.all()),
    }


def _refuse_if_closed(episode: Episode) -> None:
    if episode.status != EpisodeStatus.OPEN:
        raise ValidationFailed({"__all__": ["This episode is closed; open a new one."]})


# --- 3. plan of care ----------------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *,
    user: Any,
    episode: Episode,
    established_on: dt.date,
    duration_days: int,
    frequency_per_week: int,
    duration_weeks: int,
    diagnoses: Sequence[PatientDiagnosis] = (),
    certifying_physician: ReferringPhysician | None = None,
) -> PlanOfCare:
    """A draft plan, version 1: goals and interventions are added before it is signed."""
    staff = require_therapist(user, episode, Capability.PLAN_OF_CARE)
    _refuse_if_closed(episode)
    _same_org(user, certifying_physician, *diagnoses)
    if episode.plans.exists():
        raise ValidationFailed(
            {"__all__": ["This episode has a plan; change it through a recertification."]}
        )
    if not diagnoses:
        raise ValidationFailed({"diagnoses": ["Choose at least one of the patient's diagnoses."]})
    if any(d.patient_id != episode.patient_id for d in diagnoses):
        raise ValidationFailed({"diagnoses": ["Choose diagnoses of this patient."]})
    plan = validated_save(
        PlanOfCare(
            organization_id=user.organization_id,
            episode=episode,
            version=1,
            established_on=established_on,
            duration_days=duration_days,
            frequency_per_week=frequency_per_week,
            duration_weeks=duration_weeks,
            certifying_physician=certifying_physician or _referring(episode),
            author=staff,
        )
    )
    for rank, diagnosis in enumerate(diagnoses, start=1):
        PlanDiagnosis.objects.create(
            organization_id=plan.organization_id, plan=plan, diagnosis=diagnosis, rank=rank
        )
    return plan


def _referring(episode: Episode) -> ReferringPhysician | None:
    return episode.referral.physician if episode.referral else None


def _editable_plan(user: Any, plan: PlanOfCare) -> Any:
    staff = require_therapist(user, plan.episode, Capability.PLAN_OF_CARE)
    if plan.status != PlanStatus.DRAFT:
        raise AlreadySigned("plan of care")
    return staff


@transaction.atomic
def goal_add(
    *,
    user: Any,
    plan: PlanOfCare,
    term: str,
    description: str,
    measure: str,
    baseline: Decimal | None,
    target: Decimal | None,
    target_date: dt.date | None,
    unit: str = "",
) -> Goal:
    """A measurable goal: a goal without a measure, baseline, target or date is refused."""
    _editable_plan(user, plan)
    errors = _goal_problems(plan, description, measure, baseline, target, target_date)
    if errors:
        raise ValidationFailed(errors)
    return validated_save(
        Goal(
            organization_id=plan.organization_id,
            plan=plan,
            term=term,
            description=description.strip(),
            measure=measure.strip(),
            unit=unit.strip(),
            baseline=baseline,
            target=target,
            target_date=target_date,
            position=plan.goals.filter(term=term).count() + 1,
        )
    )


def _goal_problems(
    plan: PlanOfCare,
    description: str,
    measure: str,
    baseline: Decimal | None,
    target: Decimal | None,
    target_date: dt.date | None,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not description.strip():
        errors["description"] = ["Say what the patient will do."]
    if not measure.strip():
        errors["measure"] = ["A goal needs a measure (e.g. grip strength, Barthel Index, minutes)."]
    if baseline is None:
        errors["baseline"] = ["Record where the patient starts on this measure."]
    if target is None:
        errors["target"] = ["Record the value the patient should reach."]
    elif baseline is not None and target == baseline:
        errors["target"] = ["The target must differ from the baseline."]
    if target_date is None:
        errors["target_date"] = ["Give the date the goal should be met by."]
    elif target_date <= plan.established_on:
        errors["target_date"] = [f"The target date must come after {plan.established_on}."]
    return errors


@transaction.atomic
def intervention_add(
    *, user: Any, plan: PlanOfCare, category: str, code: str, description: str = ""
) -> PlannedIntervention:
    """An intervention the plan calls for, by category and a code the billing check knows."""
    _editable_plan(user, plan)
    code = code.strip().upper()
    errors: dict[str, list[str]] = {}
    if category not in InterventionCategory._value2member_map_:
        errors["category"] = ["Choose a category from the list."]
    if code not in default_rulebook().codes:
        errors["code"] = [f"{code or 'An empty code'} is not a code the clinic bills."]
    elif plan.interventions.filter(category=category, code=code).exists():
        errors["code"] = [f"{code} is already planned in this category."]
    if errors:
        raise ValidationFailed(errors)
    return validated_save(
        PlannedIntervention(
            organization_id=plan.organization_id,
            plan=plan,
            category=category,
            code=code,
            description=description.strip(),
        )
    )


@transaction.atomic
def plan_sign(*, user: Any, plan: PlanOfCare) -> PlanOfCare:
    """Sign the plan, which makes it the active one; it needs a long-term goal and interventions."""
    _editable_plan(user, plan)
    errors: dict[str, list[str]] = {}
    if not plan.goals.filter(term=GoalTerm.LONG).exists():
        errors["goals"] = ["Add at least one measurable long-term goal before signing."]
    if not plan.interventions.exists():
        errors["interventions"] = ["Add the interventions the plan calls for before signing."]
    if not plan.plan_diagnoses.exists():
        errors["diagnoses"] = ["The plan needs at least one diagnosis."]
    if errors:
        raise ValidationFailed(errors)
    plan.status = PlanStatus.ACTIVE
    plan.signed_at = timezone.now()
    validated_save(plan)
    sign(user=user, document="plan", target=plan, content=plan_content(plan))
    return plan


def plan_content(plan: PlanOfCare) -> dict[str, Any]:
    return {
        "version": plan.version,
        "established_on": plan.established_on,
        "frequency": [plan.frequency_per_week, plan.duration_weeks, plan.duration_days],
        "diagnoses": [d.diagnosis.code for d in plan.plan_diagnoses.select_related("diagnosis")],
        "goals": [
            [g.term, g.description, g.measure, str(g.baseline), str(g.target), g.target_date]
            for g in plan.goals.all()
        ],
        "interventions": sorted((i.category, i.code) for i in plan.interventions.all()),
    }


# --- certification ------------------------------------------------------------------------------


@transaction.atomic
def certification_record(
    *,
    user: Any,
    plan: PlanOfCare,
    verbal_on: dt.date | None = None,
    signed_on: dt.date | None = None,
    delay_reason: str = "",
    as_of: dt.date | None = None,
) -> PlanOfCare:
    """Record a verbal or signed certification; the episode check decides whether it is late.

    A signature after the 30 days needs the reason for the delay (BPM 220.1.3): the check's
    `delayed without reason` finding refuses the change, naming the field.
    """
    require_therapist(user, plan.episode, Capability.PLAN_OF_CARE)
    if plan.status == PlanStatus.DRAFT:
        raise ValidationFailed({"__all__": ["Sign the plan before recording its certification."]})
    for field, day in (("verbal_on", verbal_on), ("signed_on", signed_on)):
        if day and day < plan.established_on:
            raise ValidationFailed(
                {field: [f"A certification cannot predate {plan.established_on}."]}
            )
    if verbal_on:
        plan.verbal_certification_on = verbal_on
    if signed_on:
        plan.certified_on = signed_on
    plan.delay_reason = delay_reason.strip() or plan.delay_reason
    validated_save(plan)
    result = episode_check_for(reload_episode(plan.episode), as_of=as_of or timezone.localdate())
    missing = [
        f
        for f in (result.findings if result else ())
        if f.rule_id == episode_rules.CERT_DELAYED_WITHOUT_REASON.rule_id
    ]
    if missing:
        raise ValidationFailed({"delay_reason": [f"{missing[0].message} Record the reason."]})
    return plan


@transaction.atomic
def plan_recertify(
    *,
    user: Any,
    plan: PlanOfCare,
    physician: ReferringPhysician,
    certified_on: dt.date,
    duration_days: int,
    frequency_per_week: int,
    duration_weeks: int,
) -> PlanOfCare:
    """A new plan version, signed and active, with a recertification row; the old one is superseded.

    The recertification continues from the day after the current certification ends, for the
    new plan's length or 90 days, whichever is less (BPM 220.1.3).
    """
    staff = require_therapist(user, plan.episode, Capability.PLAN_OF_CARE)
    _same_org(user, physician)
    _refuse_if_closed(plan.episode)
    if plan.status != PlanStatus.ACTIVE:
        raise ValidationFailed({"__all__": ["Only the active plan can be recertified."]})
    if certified_on < plan.established_on:
        raise ValidationFailed({"certified_on": [f"Cannot predate {plan.established_on}."]})
    facts = episode_facts(reload_episode(plan.episode), as_of=certified_on)
    assert facts is not None  # the episode has this plan
    current_end = certified_spans(facts)[-1].through
    through = current_end + dt.timedelta(days=min(duration_days, MAX_CERTIFIED_DAYS))
    plan.status = PlanStatus.SUPERSEDED
    plan.save(update_fields=["status", "updated_at"])
    new = _copy_plan(plan, staff=staff, physician=physician, certified_on=certified_on)
    new.duration_days, new.frequency_per_week, new.duration_weeks = (
        duration_days,
        frequency_per_week,
        duration_weeks,
    )
    validated_save(new)
    Recertification.objects.create(
        organization_id=plan.organization_id,
        episode=plan.episode,
        plan=new,
        physician=physician,
        certified_on=certified_on,
        through=through,
    )
    sign(user=user, document="plan", target=new, content=plan_content(new))
    return new


def _copy_plan(
    plan: PlanOfCare, *, staff: Any, physician: ReferringPhysician, certified_on: dt.date
) -> PlanOfCare:
    new = PlanOfCare.objects.create(
        organization_id=plan.organization_id,
        episode=plan.episode,
        version=plan.version + 1,
        status=PlanStatus.ACTIVE,
        established_on=plan.established_on,
        duration_days=plan.duration_days,
        frequency_per_week=plan.frequency_per_week,
        duration_weeks=plan.duration_weeks,
        certifying_physician=physician,
        sent_to_physician_on=certified_on,
        certified_on=certified_on,
        author=staff,
        signed_at=timezone.now(),
    )
    for pd in plan.plan_diagnoses.all():
        PlanDiagnosis.objects.create(
            organization_id=new.organization_id, plan=new, diagnosis=pd.diagnosis, rank=pd.rank
        )
    for goal in plan.goals.filter(status=GoalStatus.ACTIVE):
        goal.pk = None
        goal.plan = new
        goal._state.adding = True
        goal.save()
    for intervention in plan.interventions.all():
        intervention.pk = None
        intervention.plan = new
        intervention._state.adding = True
        intervention.save()
    return new
