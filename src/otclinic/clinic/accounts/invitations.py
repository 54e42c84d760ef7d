"""Invitations: the one way a new login sets its first password.

Staff (a new hire) and portal users (patients, caregivers) are all invited here; hiring and
the portal decide who may invite whom, then call `invitation_issue`. The emailed link carries
a random token; only its SHA-256 digest is stored, so a copy of the database opens nothing. A
link works once, for `OTCLINIC_INVITATION_DAYS`, and only while it is the login's newest
(inviting again ends the earlier link). The page the link opens (`views_invitation`) sets the
password through Django's password validators and signs the person in; an expired link offers
to email a new one to the address on file, a used or replaced one says so plainly.

The email holds the link, the sign-in name and how long the link lasts: no one's health.
"""

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from otclinic.clinic.accounts.mail import email_send
from otclinic.clinic.accounts.models import Invitation, User
from otclinic.clinic.accounts.permissions import organization_id_of
from otclinic.clinic.audit.models import AuditAction
from otclinic.clinic.audit.services import audit_record
from otclinic.clinic.common.errors import NotFoundForUser, ValidationFailed


class LinkState(StrEnum):
    VALID = "valid"
    USED = "used"
    REPLACED = "replaced"
    EXPIRED = "expired"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Link:
    """What an invitation link opens: its state, and the invitation when there is one."""

    state: LinkState
    invitation: Invitation | None = None


class LinkRefused(Exception):
    """The link no longer sets a password (used, replaced, expired, unknown)."""

    def __init__(self, state: LinkState) -> None:
        super().__init__(state.value)
        self.state = state


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def invitation_issue(*, by: Any, user: User) -> Invitation:
    """Email `user` a fresh set-password link; their earlier links stop working.

    `by` is who invites (a member of `user`'s organization: another organization's login is
    answered as one that does not exist), or None when the invitee asks for a new link.
    """
    _check(by, user)
    now = timezone.now()
    User.objects.select_for_update().filter(pk=user.pk).first()  # one invitation at a time
    Invitation.objects.filter(user=user, used_at__isnull=True, superseded_at__isnull=True).update(
        superseded_at=now
    )
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organization_id=organization_id_of(user),
        user=user,
        invited_by=by,
        digest=_digest(token),
        created_at=now,
        expires_at=now + dt.timedelta(days=settings.OTCLINIC_INVITATION_DAYS),
    )
    subject, body = _email(user, _link(token))
    email_send(to=[user.email], subject=subject, body=body, organization_id=user.organization_id)
    _audit(invitation, AuditAction.CREATE, "invitation emailed" if by else "new link asked for")
    return invitation


def _check(by: Any, user: User) -> None:
    if by is not None and (not by.organization_id or by.organization_id != user.organization_id):
        raise NotFoundForUser("no such user")
    if not user.is_active or user.organization_id is None:
        raise ValidationFailed({"user": [f"{user.username} cannot sign in (inactive)."]})
    if user.has_usable_password():
        raise ValidationFailed({"user": [f"{user.username} has already set a password."]})
    if not user.email:
        raise ValidationFailed({"email": [f"{user.username} has no email address to invite."]})


def _audit(invitation: Invitation, action: AuditAction, detail: str) -> None:
    audit_record(
        action=action,
        object_type="accounts.invitation",
        object_id=invitation.user_id,
        organization_id=invitation.organization_id,
        detail=detail,
    )


def _link(token: str) -> str:
    query = urlencode({"t": token})
    return f"{settings.SITE_URL.rstrip('/')}{reverse('invitation')}?{query}"


def _email(user: User, link: str) -> tuple[str, str]:
    days = settings.OTCLINIC_INVITATION_DAYS
    if user.is_portal_user:
        return "Your patient portal invitation", (
            "Hello,\n\nYou have been invited to the patient portal. Set your password here:\n\n"
            f"{link}\n\nThe link works once and for {days} days. "
            f"Your sign-in name is {user.username}.\n\n"
            "If you did not expect this email, you can ignore it."
        )
    organization = user.organization.name if user.organization else "otclinic"
    return "Set your otclinic password", (
        f"Welcome to {organization}.\n\n"
        f"Your otclinic username is {user.username}. Set your password here:\n\n"
        f"{link}\n\n"
        f"The link works once and for {days} days; if it has expired, open it to ask for "
        "a new one."
    )


def link_state(token: str) -> Link:
    """What the link with `token` opens now."""
    if not token:
        return Link(LinkState.UNKNOWN)
    invitation = Invitation.objects.select_related("user").filter(digest=_digest(token)).first()
    if invitation is None or not invitation.user.is_active:
        return Link(LinkState.UNKNOWN)
    if invitation.used_at is not None:
        return Link(LinkState.USED, invitation)
    if invitation.superseded_at is not None:
        return Link(LinkState.REPLACED, invitation)
    if invitation.expires_at <= timezone.now():
        return Link(LinkState.EXPIRED, invitation)
    return Link(LinkState.VALID, invitation)


@transaction.atomic
def invitation_accept(*, token: str, form: Any) -> User:
    """Set the password from a valid link's `form` (Django's SetPasswordForm, already valid)
    and spend the link, together; a link spent meanwhile raises `LinkRefused`."""
    Invitation.objects.select_for_update().filter(digest=_digest(token)).first()
    link = link_state(token)
    if link.state is not LinkState.VALID or link.invitation is None:
        raise LinkRefused(link.state)
    if link.invitation.user.pk != form.user.pk:
        raise LinkRefused(LinkState.UNKNOWN)
    user: User = form.save()
    link.invitation.used_at = timezone.now()
    link.invitation.save(update_fields=["used_at"])
    _audit(link.invitation, AuditAction.UPDATE, "password set from the invitation")
    return user


def invitation_renew(*, token: str) -> Invitation:
    """Email a new link to the address on file, for an expired link only (the token is the
    proof: only its recipient had it). Other links raise `LinkRefused`."""
    link = link_state(token)
    if link.state is not LinkState.EXPIRED or link.invitation is None:
        raise LinkRefused(link.state)
    try:
        return invitation_issue(by=None, user=link.invitation.user)
    except ValidationFailed:
        raise LinkRefused(LinkState.USED) from None  # a password was set another way
