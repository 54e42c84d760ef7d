"""The hire: an offered, verified applicant becomes a member of staff, in one transaction.

It creates the user (the posting's role, an unusable password), the staff profile with the
verified NBCOT certification, the state licenses with the expiry each lookup found, and links
the applicant to the profile. The new member of staff sets their password through a link
emailed after the transaction commits (Django's password-reset tokens: the link stops working
once the password is set, and after PASSWORD_RESET_TIMEOUT).

Hiring twice is refused ("already hired"), never duplicated: the applicant's row is locked
first, so a double click waits for the first hire and then sees it.
"""

import logging
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

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
def applicant_hire(
    *, user: User, applicant: Applicant, username: str, site_url: str
) -> StaffProfile:
    """Hire an offered applicant whose checklist is clean: the user, profile and licenses.

    `site_url` is the address the invitation link starts with (e.g. https://clinic.example).
    """
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
    transaction.on_commit(lambda: send_invitation(user=new_user, site_url=site_url))
    # Ids only in the log: no names.
    log.info("hired applicant=%s staff=%s user=%s", applicant.pk, staff.pk, new_user.pk)
    return staff


@transaction.atomic
def invitation_resend(*, user: User, applicant: Applicant, site_url: str) -> User:
    """Email a hired applicant a fresh set-password link, until they have set a password."""
    require(user, Capability.MANAGE_STAFF)
    staff = applicant.staff_profile
    if staff is None:
        raise ValidationFailed({"stage": ["The invitation follows the hire."]})
    invited = staff.user
    if invited.has_usable_password():
        raise ValidationFailed({"stage": [f"{invited.username} has already set a password."]})
    transaction.on_commit(lambda: send_invitation(user=invited, site_url=site_url))
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


def invitation_link(*, user: User, site_url: str) -> str:
    """The set-password link: the user's id and a password-reset token, as query parameters."""
    query = urlencode(
        {
            "uid": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        }
    )
    return f"{site_url.rstrip('/')}{reverse('hiring-set-password')}?{query}"


def send_invitation(*, user: User, site_url: str) -> None:
    """Email the new member of staff the link that sets their password."""
    organization = user.organization.name if user.organization else "otclinic"
    body = (
        f"Welcome to {organization}.\n\n"
        f"Your otclinic username is {user.username}. Set your password here:\n\n"
        f"{invitation_link(user=user, site_url=site_url)}\n\n"
        "The link works once and expires in a few days; if it has, ask your clinic admin "
        "to send a new one."
    )
    send_mail("Set your otclinic password", body, settings.DEFAULT_FROM_EMAIL, [user.email])
    log.info("invitation sent user=%s", user.pk)
