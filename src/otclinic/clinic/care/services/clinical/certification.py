"""Certification of the plan of care by the physician, and recertification as a new plan version.

A signature after the 30 days needs the reason for the delay; a recertification continues from
the day after the current certification ends (BPM ch. 15 sec. 220.1.3).
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from otclinic.clinic.accounts.models import User
from otclinic.clinic.care.adapters import episode_facts
from otclinic.clinic.care.models import (
    CertificationKind,
    GoalStatus,
    PlanDiagnosis,
    PlanOfCare,
    PlanStatus,
    Recertification,
)
from otclinic.clinic.care.selectors_clinical import episode_check_for, reload_episode
from otclinic.clinic.care.services.clinical.certification_requests import mark_signed
from otclinic.clinic.care.services.clinical.common import (
    refuse_if_closed,
    require_therapist,
    same_org,
    sign,
)
from otclinic.clinic.care.services.clinical.plan import plan_content
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.common.services import validated_save
from otclinic.clinic.referrals.models import ReferringPhysician
from otclinic.clinic.staff.models import StaffProfile
from otclinic.domain.access import Capability
from otclinic.domain.care.plan_agreement import plan_problems
from otclinic.domain.compliance import episode_rules
from otclinic.domain.compliance.episode_certification import MAX_CERTIFIED_DAYS, certified_spans


@transaction.atomic
def certification_record(
    *,
    user: User,
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
    if signed_on:
        mark_signed(user=user, plan=plan, kind=CertificationKind.INITIAL, signed_on=signed_on)
    return plan


@transaction.atomic
def plan_recertify(
    *,
    user: User,
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
    same_org(user, physician)
    refuse_if_closed(plan.episode)
    if plan.status != PlanStatus.ACTIVE:
        raise ValidationFailed({"__all__": ["Only the active plan can be recertified."]})
    if certified_on < plan.established_on:
        raise ValidationFailed({"certified_on": [f"Cannot predate {plan.established_on}."]})
    problems = plan_problems(
        frequency_per_week=frequency_per_week,
        duration_weeks=duration_weeks,
        duration_days=duration_days,
    )
    if problems:
        raise ValidationFailed(problems)
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
    mark_signed(
        user=user, plan=plan, kind=CertificationKind.RECERTIFICATION, signed_on=certified_on
    )
    return new


def _copy_plan(
    plan: PlanOfCare, *, staff: StaffProfile, physician: ReferringPhysician, certified_on: dt.date
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
