"""A signed plan of care built through the services the pages use, for tests that need one to
read, send or certify: 8 weeks at twice a week, one long-term dressing goal (Barthel Index 60 to
85 within 50 days) and one ADL intervention (97535)."""

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from otclinic.clinic.accounts.models import User
from otclinic.clinic.care.models import Episode, PlanOfCare
from otclinic.clinic.care.services import clinical as svc
from otclinic.clinic.patients.models import PatientDiagnosis


def signed_plan(
    *,
    user: User,
    episode: Episode,
    established_on: dt.date,
    diagnoses: Sequence[PatientDiagnosis],
    **plan: Any,
) -> PlanOfCare:
    """The episode's plan, signed by `user`; `plan` passes on to `plan_create`
    (`certifying_physician`, for one)."""
    created = svc.plan_create(
        user=user,
        episode=episode,
        established_on=established_on,
        duration_days=56,
        frequency_per_week=2,
        duration_weeks=8,
        diagnoses=diagnoses,
        **plan,
    )
    svc.goal_add(
        user=user,
        plan=created,
        term="long",
        description="Dresses upper body independently",
        measure="Barthel Index",
        unit="points",
        baseline=Decimal(60),
        target=Decimal(85),
        target_date=established_on + dt.timedelta(days=50),
    )
    svc.intervention_add(
        user=user, plan=created, category="self_care_adl", code="97535", description="Dressing"
    )
    return svc.plan_sign(user=user, plan=created)
