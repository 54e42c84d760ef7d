"""Which written supervision plan is in force for an OTA on a day, and what it says of notes.

The plan is the source of truth for New York's "initialed or co-signed" (8 NYCRR 76.8): the
co-signature rule's adapter (care.supervision_adapter) asks `plan_cosign_on` for the note's date
of service. The legacy `StaffProfile.supervision_plan_cosign` field is kept in step by the plan
services and is read only for an OTA with no plan rows at all (records entered before plans).
"""

import datetime as dt
from typing import Any

from django.db.models import Q

from otclinic.clinic.staff.models import StaffProfile
from otclinic.clinic.supervision.models import SupervisionPlan


def plan_in_force(*, ota: StaffProfile, day: dt.date) -> SupervisionPlan | None:
    """The OTA's plan whose dates cover `day` (the latest to start, if several)."""
    return (
        SupervisionPlan.objects.filter(ota=ota, effective_from__lte=day)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day))
        .select_related("supervising_ot__user")
        .order_by("-effective_from")
        .first()
    )


# What the supervision engine's facts read of a plan (adapters.ota_facts_of, plan_facts).
PLAN_FACT_FIELDS = (
    "id",
    "organization_id",
    "ota_id",
    "contact_every_days",
    "by_in_person",
    "by_phone",
    "by_video",
    "notes_cosigned",
    "effective_from",
    "effective_to",
    "setting_started_on",
)


def plans_in_force(*, otas: list[Any], day: dt.date) -> dict[Any, SupervisionPlan]:
    """`plan_in_force` of every OTA in `otas` that has one, by OTA id, in one query (without
    the supervising OT, which the supervision engine's facts do not name)."""
    rows = (
        SupervisionPlan.objects.filter(ota__in=otas, effective_from__lte=day)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day))
        .only(*PLAN_FACT_FIELDS)
        .order_by("ota_id", "-effective_from")
    )
    found: dict[Any, SupervisionPlan] = {}
    for plan in rows:
        found.setdefault(plan.ota_id, plan)
    return found


def plan_cosign_on(*, ota: StaffProfile, day: dt.date) -> bool | None:
    """True (co-signed), False (initialed) or None (no plan in force on `day`)."""
    if not SupervisionPlan.objects.filter(ota=ota).exists():
        legacy: bool | None = ota.supervision_plan_cosign
        return legacy
    plan = plan_in_force(ota=ota, day=day)
    return None if plan is None else plan.notes_cosigned
