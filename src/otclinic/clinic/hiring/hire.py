"""The hire: an offered, verified applicant becomes a member of staff, in one transaction.

It creates the user (the posting's role, an unusable password), the staff profile with the
verified NBCOT certification, the state licenses with the expiry each lookup found, and links
the applicant to the profile. The new member of staff sets their password through an
invitation (`accounts.invitations`): a one-time link emailed after the transaction commits.

Hiring twice is refused ("already hired"), never duplicated: the applicant's row is locked
first, so a double click waits for the first hire and then sees it.
"""

import logging

from django.db import transaction
from django.utils import timezone

from otclinic.clinic.accounts.invitations import invitation_issue
from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.common.services import validated_save
from otclinic.clinic.hiring.adapters import (
    applicant_checks,
    errors_by_section,
    latest_license_lookup,
    latest_nbcot_verification,
)
from otclinic.clinic.hiring.models import Applicant
from otclinic.clinic.hiring.services import locked, record_move
from otclinic.clinic.staff.models import StaffProfile, StateLicense
from otclinic.domain.access import Capability
from otclinic.domain.codes import Role
from otclinic.domain.hiring.checklist import hire_blockers
from otclinic.domain.hiring.pipeline import Stage, move_refusal

log = logging.getLogger(__name__)
NBCOT_FOR_ROLE = {Role.OT: ("OTR", "OTR/L"), Role.OTA: ("COTA", "COTA/L")}


@transaction.atomic
def applicant_hire(*, user: User, applicant: Applicant, username: str) -> StaffProfile:
    """Hire an offered applicant whose checklist is clean: the user, profile and licenses,
    and an invitation to set a password."""
    require(user, Capability.MANAGE_STAFF)
    applicant = locked(applicant)
    today = timezone.localdate()
    if applicant.stage == Stage.HIRED:
        staff = applicant.staff_profile
        assert staff is not None  # a hired applicant has their staff profile
        raise ValidationFailed(
            {
                "stage": [
                    f"Already hired on {applicant.stage_changed_at:%Y-%m-%d} as {staff.user.username}."
                ]
            }
        )
    refusal = move_refusal(applicant.stage_enum, Stage.HIRED)
    if refusal:
        raise ValidationFailed({"stage": [refusal]})
    found = hire_blockers(applicant_checks(applicant, on=today), on=today)
    if found:
        raise ValidationFailed(errors_by_section(found))
    new_user = _user(applicant, username.strip())
    staff = _profile(applicant, new_user)
    _licenses(applicant, staff)
    current = applicant.stage
    applicant.stage = Stage.HIRED
    applicant.staff_profile = staff
    applicant.stage_changed_at = timezone.now()
    applicant.stage_changed_by = user
    validated_save(applicant)
    record_move(applicant, current, user, "")
    invitation_issue(by=user, user=new_user)
    # Ids only in the log: no names.
    log.info("hired applicant=%s staff=%s user=%s", applicant.pk, staff.pk, new_user.pk)
    return staff


@transaction.atomic
def invitation_resend(*, user: User, applicant: Applicant) -> User:
    """Email a hired applicant a fresh set-password link (the earlier one stops working), until
    they have set a password."""
    require(user, Capability.MANAGE_STAFF)
    staff = applicant.staff_profile
    if staff is None:
        raise ValidationFailed({"stage": ["The invitation follows the hire."]})
    invited = staff.user
    if invited.has_usable_password():
        raise ValidationFailed({"stage": [f"{invited.username} has already set a password."]})
    invitation_issue(by=user, user=invited)
    return invited


def _user(applicant: Applicant, username: str) -> User:
    if not username:
        raise ValidationFailed({"username": ["Choose a username for the new member of staff."]})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationFailed({"username": [f"The username {username} is taken; choose another."]})
    new_user = User(
        username=username,
        first_name=applicant.first_name,
        last_name=applicant.last_name,
        email=applicant.email,
        organization_id=applicant.organization_id,
        role=applicant.posting.role,
    )
    new_user.set_unusable_password()
    return validated_save(new_user)


def _profile(applicant: Applicant, new_user: User) -> StaffProfile:
    role = Role(applicant.posting.role)
    credential, letters = NBCOT_FOR_ROLE.get(role, ("", ""))
    nbcot = latest_nbcot_verification(applicant)
    staff = StaffProfile(
        organization_id=applicant.organization_id,
        user=new_user,
        credentials=letters,
    )
    if credential and nbcot is not None:
        staff.nbcot_credential = applicant.nbcot_credential or credential
        staff.nbcot_number = nbcot.number
        staff.nbcot_expires_on = nbcot.expires_on
    validated_save(staff)
    staff.clinics.add(applicant.posting.clinic)
    return staff


def _licenses(applicant: Applicant, staff: StaffProfile) -> None:
    """A staff license for each claimed license, with the expiry its latest lookup found."""
    for claimed in applicant.licenses.all():
        lookup = latest_license_lookup(claimed)
        if lookup is None or lookup.expires_on is None:  # the hire's checks refuse this first
            raise ValidationFailed({"licenses": [f"The {claimed} license is not looked up."]})
        validated_save(
            StateLicense(
                organization_id=applicant.organization_id,
                staff=staff,
                state=claimed.state,
                number=claimed.number,
                expires_on=lookup.expires_on,
            )
        )
