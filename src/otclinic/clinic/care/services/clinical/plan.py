"""The plan of care: a draft with its diagnoses, measurable goals and interventions, then signed."""

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import organization_id_of
from otclinic.clinic.care.models import (
    Episode,
    Goal,
    GoalTerm,
    PlanDiagnosis,
    PlannedIntervention,
    PlanOfCare,
    PlanStatus,
)
from otclinic.clinic.care.services.clinical.common import (
    AlreadySigned,
    refuse_if_closed,
    require_therapist,
    same_org,
    sign,
)
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.common.services import validated_save
from otclinic.clinic.patients.models import PatientDiagnosis
from otclinic.clinic.payers.selectors_codes import rulebook_for_organization
from otclinic.clinic.referrals.models import ReferringPhysician
from otclinic.clinic.staff.models import StaffProfile
from otclinic.domain.access import Capability
from otclinic.domain.care.plan_agreement import plan_problems
from otclinic.domain.codes import InterventionCategory


@transaction.atomic
def plan_create(
    *,
    user: User,
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
    refuse_if_closed(episode)
    same_org(user, certifying_physician, *diagnoses)
    if episode.plans.exists():
        raise ValidationFailed(
            {"__all__": ["This episode has a plan; change it through a recertification."]}
        )
    errors = plan_problems(
        frequency_per_week=frequency_per_week,
        duration_weeks=duration_weeks,
        duration_days=duration_days,
    )
    if not diagnoses:
        errors["diagnoses"] = ["Choose at least one of the patient's diagnoses."]
    if errors:
        raise ValidationFailed(errors)
    if any(d.patient_id != episode.patient_id for d in diagnoses):
        raise ValidationFailed({"diagnoses": ["Choose diagnoses of this patient."]})
    plan = validated_save(
        PlanOfCare(
            organization_id=organization_id_of(user),
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


def _editable_plan(user: User, plan: PlanOfCare) -> StaffProfile:
    staff = require_therapist(user, plan.episode, Capability.PLAN_OF_CARE)
    if plan.status != PlanStatus.DRAFT:
        raise AlreadySigned("plan of care")
    return staff


@transaction.atomic
def goal_add(
    *,
    user: User,
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
    # `_goal_problems` refuses a goal without any of them.
    assert baseline is not None and target is not None and target_date is not None
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
    *, user: User, plan: PlanOfCare, category: str, code: str, description: str = ""
) -> PlannedIntervention:
    """An intervention the plan calls for, by category and a code the billing check knows."""
    _editable_plan(user, plan)
    code = code.strip().upper()
    errors: dict[str, list[str]] = {}
    if category not in InterventionCategory._value2member_map_:
        errors["category"] = ["Choose a category from the list."]
    if code not in rulebook_for_organization(plan.organization_id).codes:
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
def plan_sign(*, user: User, plan: PlanOfCare) -> PlanOfCare:
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
