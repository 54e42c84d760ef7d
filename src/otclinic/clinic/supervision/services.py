"""Writes for OTA supervision: who supervises, the written plan, contacts and timesheet hours.

Assigning a supervisor is refused unless the supervisor is an OT with an active license in each
state the OTA works in and an NBCOT certification in force (domain supervision_checks). A plan
names its supervising OT, so recording one assigns that OT; it also keeps the legacy
`StaffProfile.supervision_plan_cosign` in step with the plan in force today. Saves are
audit-logged by the OrgOwned signals.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import require, user_may
from otclinic.clinic.common.access import require_same_organization
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.common.services import validated_save
from otclinic.clinic.staff.credentials import credentials_of
from otclinic.clinic.staff.models import StaffProfile
from otclinic.clinic.supervision.adapters import work_contexts
from otclinic.clinic.supervision.models import (
    MonthlyHours,
    SupervisionContact,
    SupervisionPlan,
)
from otclinic.clinic.supervision.plans import plan_in_force
from otclinic.domain.access import Capability
from otclinic.domain.codes import Role
from otclinic.domain.compliance.supervision_checks import supervisor_problems


def is_ota(staff: StaffProfile) -> bool:
    return staff is not None and staff.user.role == Role.OTA


def may_supervise(user: User, ota: StaffProfile) -> bool:
    """Clinic admins, and the OTA's own supervising OT (who logs contacts and plans)."""
    if user_may(user, Capability.MANAGE_STAFF):
        return True
    if not user_may(user, Capability.SUPERVISE_ASSISTANTS):
        return False
    return ota.supervising_ot is not None and ota.supervising_ot.user_id == user.pk


def _require_supervisor_or_admin(user: Any, ota: StaffProfile, action: str) -> None:
    require_same_organization(user, ota)
    if not may_supervise(user, ota):
        raise PermissionDenied(f"your role may not {action} for this OTA")


def supervisor_errors(*, ota: StaffProfile, supervisor: Any, on: dt.date) -> list[str]:
    """Why `supervisor` may not supervise `ota` from `on` (empty: they may)."""
    if supervisor is None:
        return ["Choose the supervising OT."]
    if supervisor.organization_id != ota.organization_id:
        return ["Choose an OT of this practice."]
    if supervisor.pk == ota.pk:
        return ["An OTA cannot supervise themselves."]
    if not supervisor.active:
        return [f"{supervisor} is not an active member of staff."]
    states = frozenset(c.state for c in work_contexts(ota, on))
    found = supervisor_problems(
        credentials=credentials_of(supervisor),
        nbcot_credential=supervisor.nbcot_credential,
        ota_states=states,
        on=on,
    )
    # The rules' sources are on the OTA's supervision page, behind "Why?".
    return [f.message for f in found]


@transaction.atomic
def supervisor_assign(
    *, user: User, ota: StaffProfile, supervisor: StaffProfile, on: dt.date | None = None
) -> StaffProfile:
    """Name the OTA's supervising OT, refused with the reason when the state rules forbid it."""
    require(user, Capability.MANAGE_STAFF)
    _check_ota(user, ota)
    errors = supervisor_errors(ota=ota, supervisor=supervisor, on=on or timezone.localdate())
    if errors:
        raise ValidationFailed({"supervising_ot": errors})
    if ota.supervising_ot_id != supervisor.pk:
        ota.supervising_ot = supervisor
        validated_save(ota)
    return ota


def _check_ota(user: Any, ota: StaffProfile) -> None:
    require_same_organization(user, ota)
    if not is_ota(ota):
        raise ValidationFailed({"ota": ["Choose an OTA of this practice."]})


@transaction.atomic
def plan_record(
    *,
    user: User,
    ota: StaffProfile,
    supervising_ot: StaffProfile,
    contact_every_days: int,
    by_in_person: bool,
    by_phone: bool,
    by_video: bool,
    notes_cosigned: bool,
    effective_from: dt.date,
    setting_started_on: dt.date | None = None,
) -> SupervisionPlan:
    """Record the OTA's written plan from `effective_from`; the open plan before it ends the day before.

    Recording the same plan twice changes nothing.
    """
    _require_supervisor_or_admin(user, ota, "record a supervision plan")
    _check_ota(user, ota)
    values = {
        "supervising_ot": supervising_ot,
        "contact_every_days": contact_every_days,
        "by_in_person": by_in_person,
        "by_phone": by_phone,
        "by_video": by_video,
        "notes_cosigned": notes_cosigned,
        "setting_started_on": setting_started_on,
    }
    same = SupervisionPlan.objects.filter(ota=ota, effective_from=effective_from, **values).first()
    if same is not None:
        return same
    errors = _plan_errors(ota, values, effective_from)
    if errors:
        raise ValidationFailed(errors)
    _close_open_plan(ota, effective_from)
    plan = validated_save(
        SupervisionPlan(
            organization_id=ota.organization_id, ota=ota, effective_from=effective_from, **values
        )
    )
    _sync_profile(ota, timezone.localdate())
    return plan


def _plan_errors(ota: StaffProfile, values: dict[str, Any], start: dt.date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    problems = supervisor_errors(ota=ota, supervisor=values["supervising_ot"], on=start)
    if problems:
        errors["supervising_ot"] = problems
    if not (values["by_in_person"] or values["by_phone"] or values["by_video"]):
        errors["by_in_person"] = ["Choose at least one kind of contact the plan counts."]
    if SupervisionPlan.objects.filter(ota=ota, effective_from__gte=start).exists():
        errors["effective_from"] = [
            "A plan starting on or after this day is already on file; start the new plan later."
        ]
    return errors


def _close_open_plan(ota: StaffProfile, start: dt.date) -> None:
    current = SupervisionPlan.objects.select_for_update().filter(ota=ota, effective_to__isnull=True)
    for plan in current:
        plan.effective_to = start - dt.timedelta(days=1)
        validated_save(plan)


def _sync_profile(ota: StaffProfile, today: dt.date) -> None:
    """The legacy field and the supervisor follow the plan in force today."""
    plan = plan_in_force(ota=ota, day=today)
    if plan is None:
        return
    changed = []
    if ota.supervision_plan_cosign != plan.notes_cosigned:
        ota.supervision_plan_cosign = plan.notes_cosigned
        changed.append("supervision_plan_cosign")
    if ota.supervising_ot_id != plan.supervising_ot_id:
        ota.supervising_ot = plan.supervising_ot
        changed.append("supervising_ot")
    if changed:
        ota.save(update_fields=[*changed, "updated_at"])


@transaction.atomic
def contact_log(
    *,
    user: User,
    ota: StaffProfile,
    supervisor: StaffProfile | None,
    contact_on: dt.date,
    method: str,
    minutes: int,
    on_site_face_to_face: bool,
    patients: list[Any],
    content: str,
) -> SupervisionContact:
    """Log one supervision contact; logging the same contact twice keeps one row."""
    _require_supervisor_or_admin(user, ota, "log supervision contacts")
    _check_ota(user, ota)
    errors = _contact_errors(user, ota, supervisor, contact_on, method, on_site_face_to_face)
    if any(p.organization_id != ota.organization_id for p in patients):
        errors["patients"] = ["Choose patients of this practice."]
    if not content.strip():
        errors["content"] = ["Say what was discussed, observed or decided."]
    if errors:
        raise ValidationFailed(errors)
    fields: dict[str, object] = {
        "supervisor": supervisor,
        "contact_on": contact_on,
        "method": method,
    }
    fields |= {"minutes": minutes, "content": content.strip()}
    same = SupervisionContact.objects.filter(ota=ota, **fields).first()
    if same is not None:
        return same
    contact = validated_save(
        SupervisionContact(
            organization_id=ota.organization_id,
            ota=ota,
            on_site_face_to_face=on_site_face_to_face,
            recorded_by=user,
            **fields,
        )
    )
    contact.patients.set(patients)
    return contact


def _contact_errors(
    user: User,
    ota: StaffProfile,
    supervisor: StaffProfile | None,
    contact_on: dt.date,
    method: str,
    on_site: bool,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if supervisor is None:
        errors["supervisor"] = ["No supervising OT is on file for this OTA: name one first."]
    elif supervisor.user.role != Role.OT or supervisor.organization_id != ota.organization_id:
        errors["supervisor"] = ["The supervisor must be an OT of this practice."]
    if contact_on > timezone.localdate():
        errors["contact_on"] = [f"The date cannot be in the future ({contact_on})."]
    if on_site and method != "in_person":
        errors["on_site_face_to_face"] = ["Only an in-person contact can be on-site face to face."]
    return errors


@transaction.atomic
def hours_record(
    *, user: User, ota: StaffProfile, month: dt.date, hours: Decimal, note: str = ""
) -> MonthlyHours:
    """Set the OTA's timesheet hours for a month; they override the appointments' hours."""
    require(user, Capability.MANAGE_STAFF)
    _check_ota(user, ota)
    first = month.replace(day=1)
    row = MonthlyHours.objects.filter(ota=ota, month=first).first() or MonthlyHours(
        organization_id=ota.organization_id, ota=ota, month=first
    )
    row.hours, row.note = hours, note
    return validated_save(row)
