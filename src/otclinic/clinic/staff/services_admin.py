"""The clinic admin's staff administration: add a member of staff (and invite them), edit,
deactivate and reactivate. Handing a leaving clinician's caseload to another is a write across
the schedule, the episodes and supervision, so it lives above them (web.staff_admin)."""

import uuid
from dataclasses import dataclass

from django.db import transaction

from otclinic.clinic.accounts.invitations import invitation_issue
from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import organization_id_of, require
from otclinic.clinic.audit.models import AuditAction
from otclinic.clinic.audit.services import audit_record
from otclinic.clinic.common.access import require_same_organization
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.common.services import validated_save
from otclinic.clinic.organizations.models import Clinic
from otclinic.clinic.staff.models import StaffProfile
from otclinic.domain.access import Capability
from otclinic.domain.codes import Role

STAFF_ROLES = tuple(r for r in Role if not r.is_portal)


@dataclass(frozen=True)
class StaffDetails:
    """What the admin types about a member of staff."""

    first_name: str
    last_name: str
    email: str
    role: Role
    credentials: str = ""
    npi: str = ""


def _audit(
    staff: StaffProfile, action: AuditAction, detail: str, fields: tuple[str, ...] = ()
) -> None:
    audit_record(
        action=action,
        object_type="staff.staffprofile",
        object_id=staff.pk,
        organization_id=staff.organization_id,
        fields=fields,
        detail=detail,
    )


def _check_email(email: str, *, not_user: uuid.UUID | None = None) -> None:
    taken = User.objects.filter(username__iexact=email)
    if not_user is not None:
        taken = taken.exclude(pk=not_user)
    if taken.exists():
        raise ValidationFailed({"email": [f"{email} already signs in to otclinic."]})


@transaction.atomic
def staff_add(*, user: User, details: StaffDetails) -> StaffProfile:
    """Make the login and the staff record, at every clinic of the organization, and email the
    invitation to set a password. Sending the same email again is refused (it signs in)."""
    require(user, Capability.MANAGE_STAFF)
    if details.role not in STAFF_ROLES:
        raise ValidationFailed({"role": ["Choose a staff role."]})
    email = details.email.strip().lower()
    _check_email(email)
    member = User(
        username=email,
        email=email,
        first_name=details.first_name.strip(),
        last_name=details.last_name.strip(),
        organization_id=organization_id_of(user),
        role=details.role.value,
    )
    member.set_unusable_password()
    validated_save(member)
    staff = validated_save(
        StaffProfile(
            organization_id=organization_id_of(user),
            user=member,
            credentials=details.credentials.strip(),
            npi=details.npi.strip(),
        )
    )
    staff.clinics.set(Clinic.objects.filter(organization_id=organization_id_of(user)))
    _audit(staff, AuditAction.CREATE, f"staff added as {details.role.value}")
    invitation_issue(by=user, user=member)
    return staff


LOGIN_FIELDS = ("first_name", "last_name", "email", "role")
PROFILE_FIELDS = ("credentials", "npi")
EDITED = LOGIN_FIELDS + PROFILE_FIELDS


def _values(staff: StaffProfile) -> dict[str, str]:
    """What the admin edits of a member of staff, by name."""
    values = {name: getattr(staff.user, name) for name in LOGIN_FIELDS}
    return values | {name: getattr(staff, name) for name in PROFILE_FIELDS}


@transaction.atomic
def staff_edit(*, user: User, staff: StaffProfile, details: StaffDetails) -> StaffProfile:
    """Change a member of staff's name, email, role, credentials or NPI."""
    require(user, Capability.MANAGE_STAFF)
    require_same_organization(user, staff)
    if details.role not in STAFF_ROLES:
        raise ValidationFailed({"role": ["Choose a staff role."]})
    member = staff.user
    email = details.email.strip().lower()
    _check_email(email, not_user=member.pk)
    before = _values(staff)
    member.first_name, member.last_name = details.first_name.strip(), details.last_name.strip()
    member.email, member.role = email, details.role.value
    if not member.has_usable_password():
        member.username = email  # not signed in yet: the login follows the address
    staff.credentials, staff.npi = details.credentials.strip(), details.npi.strip()
    after = _values(staff)
    if before == after:
        return staff
    changed = tuple(n for n in EDITED if before[n] != after[n])
    validated_save(member)
    validated_save(staff)
    _audit(staff, AuditAction.UPDATE, "staff details changed", changed)
    return staff


@transaction.atomic
def staff_set_active(*, user: User, staff: StaffProfile, active: bool) -> StaffProfile:
    """Deactivate (they can no longer sign in) or reactivate a member of staff. Twice is once."""
    require(user, Capability.MANAGE_STAFF)
    require_same_organization(user, staff)
    if staff.user_id == user.pk and not active:
        raise ValidationFailed({"staff": ["You cannot deactivate your own login."]})
    if staff.active == active and staff.user.is_active == active:
        return staff
    staff.active = active
    staff.save(update_fields=["active", "updated_at"])
    User.objects.filter(pk=staff.user_id).update(is_active=active)
    staff.user.is_active = active
    _audit(
        staff,
        AuditAction.UPDATE,
        "staff reactivated" if active else "staff deactivated",
        ("active",),
    )
    return staff
