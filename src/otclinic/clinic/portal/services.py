"""Writes behind the staff's portal-access section: consents, invitations, revocations.

Each is one transaction, checks the role (manage_portal) and the organization, names the
field at fault, and may be repeated without harm: the same consent recorded twice is one
row, inviting someone again sends a new link (the earlier one stops working) until they have set
a password, revoking twice keeps the first date. The link and its page are the accounts'
(`accounts.invitations`), as for every new login.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from otclinic.clinic.accounts.invitations import invitation_issue
from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.common.access import require_same_organization
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.common.services import validated_save
from otclinic.clinic.patients.models import (
    Consent,
    ConsentKind,
    Patient,
    PatientContact,
    PortalAccess,
)
from otclinic.clinic.portal.access import sharing_consent_for
from otclinic.domain.access import Capability
from otclinic.domain.codes import Role


def _check(user: User, *records: Any) -> None:
    require(user, Capability.MANAGE_PORTAL)
    require_same_organization(user, *records)


@transaction.atomic
def consent_record(
    *,
    user: User,
    patient: Patient,
    contact: PatientContact | None,
    scopes: Iterable[str],
    signed_on: dt.date,
    expires_on: dt.date | None = None,
) -> Consent:
    """Record the patient's consent to share the named scopes with a caregiver contact."""
    _check(user, patient)
    if contact is None or contact.patient_id != patient.pk:
        raise ValidationFailed({"contact": ["Choose one of this patient's contacts."]})
    _refuse_non_caregiver(contact)
    if signed_on > timezone.localdate():
        raise ValidationFailed({"signed_on": ["The consent cannot be signed in the future."]})
    if expires_on is not None and expires_on < signed_on:
        raise ValidationFailed({"expires_on": ["The last day cannot be before the signing day."]})
    scopes = sorted(set(scopes))
    same = Consent.objects.filter(
        patient=patient,
        contact=contact,
        kind=ConsentKind.PORTAL_SHARING,
        signed_on=signed_on,
        expires_on=expires_on,
        revoked_on__isnull=True,
    )
    existing = next((c for c in same if sorted(c.scopes) == scopes), None)
    if existing is not None:
        return existing
    consent = validated_save(
        Consent(
            organization_id=patient.organization_id,
            patient=patient,
            kind=ConsentKind.PORTAL_SHARING,
            contact=contact,
            scopes=scopes,
            signed_on=signed_on,
            expires_on=expires_on,
        )
    )
    # The caregiver's access now rests on this consent (the check reads the contact's newest).
    PortalAccess.objects.filter(patient=patient, contact=contact).update(
        consent=consent, updated_at=timezone.now()
    )
    return consent


@transaction.atomic
def consent_revoke(*, user: User, consent: Consent) -> Consent:
    """Revoke a consent today: a caregiver who relied on it is locked out at once."""
    _check(user, consent)
    if consent.revoked_on is None:
        consent.revoked_on = max(timezone.localdate(), consent.signed_on)
        validated_save(consent)
    return consent


@transaction.atomic
def access_revoke(*, user: User, access: PortalAccess) -> PortalAccess:
    """End a portal login's access to the patient today."""
    _check(user, access)
    if access.revoked_on is None or access.revoked_on > timezone.localdate():
        access.revoked_on = max(timezone.localdate(), access.granted_on)
        validated_save(access)
    return access


@dataclass(frozen=True)
class Invitation:
    user: User
    access: PortalAccess
    created: bool  # a new portal login (rather than a repeat or a second patient)
    emailed: bool  # a set-password link went out (not to a login that has a password already)


@transaction.atomic
def portal_invite(
    *, user: User, patient: Patient, contact: PatientContact | None, email: str
) -> Invitation:
    """Give the patient (no contact) or a consented caregiver a portal login and, until they
    have set a password, email them an invitation (only the link: no name, no clinical word).
    """
    _check(user, patient)
    email = _valid_email(email)
    role = Role.PATIENT if contact is None else Role.CAREGIVER
    if contact is not None:
        _check_caregiver(patient, contact)
    login, created = _portal_login(patient=patient, contact=contact, email=email, role=role)
    access = _grant(login, patient=patient, contact=contact)
    emailed = not login.has_usable_password()
    if emailed:
        invitation_issue(by=user, user=login)
    return Invitation(login, access, created, emailed)


def _valid_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationFailed(
            {"email": ["Enter the email address the invitation goes to."]}
        ) from exc
    return email


def _refuse_non_caregiver(contact: PatientContact) -> None:
    if not contact.is_caregiver:
        raise ValidationFailed(
            {
                "contact": [
                    f"{contact.name} is not marked as a caregiver (is_caregiver); mark them as"
                    " a caregiver on the chart's contacts first."
                ]
            }
        )


def _check_caregiver(patient: Patient, contact: PatientContact) -> None:
    if contact.patient_id != patient.pk:
        raise ValidationFailed({"contact": ["Choose one of this patient's contacts."]})
    _refuse_non_caregiver(contact)
    probe = PortalAccess(organization_id=patient.organization_id, patient=patient, contact=contact)
    if sharing_consent_for(probe, today=timezone.localdate()) is None:
        raise ValidationFailed(
            {"contact": ["Record the patient's portal-sharing consent for this caregiver first."]}
        )


def _portal_login(
    *, patient: Patient, contact: PatientContact | None, email: str, role: Role
) -> tuple[User, bool]:
    existing = User.objects.filter(username=email).first()
    if existing is not None:
        if existing.organization_id != patient.organization_id or existing.role != role:
            raise ValidationFailed(
                {"email": ["This email address already signs in to another account."]}
            )
        # A patient's own login sees everything without consent: never for a second patient.
        if role == Role.PATIENT and existing.portal_accesses.exclude(patient=patient).exists():
            raise ValidationFailed(
                {"email": ["This email address already signs in for another patient."]}
            )
        return existing, False
    if role == Role.PATIENT:
        other = PortalAccess.objects.filter(
            patient=patient, user__role=Role.PATIENT, revoked_on__isnull=True
        ).exclude(user__username=email)
        if other.exists():
            raise ValidationFailed(
                {"email": ["The patient already has a portal login; revoke it first."]}
            )
    first, last = _names(patient, contact)
    login = User(
        username=email,
        email=email,
        first_name=first,
        last_name=last,
        organization_id=patient.organization_id,
        role=role,
    )
    login.set_unusable_password()
    validated_save(login)
    return login, True


def _names(patient: Patient, contact: PatientContact | None) -> tuple[str, str]:
    if contact is None:
        return patient.first_name, patient.last_name
    first, _, last = contact.name.partition(" ")
    return first[:150], last[:150]


def _grant(login: User, *, patient: Patient, contact: PatientContact | None) -> PortalAccess:
    today = timezone.localdate()
    access = PortalAccess.objects.filter(user=login, patient=patient).first()
    if access is None:
        access = PortalAccess(
            organization_id=patient.organization_id, user=login, patient=patient, granted_on=today
        )
    elif access.revoked_on is not None:
        # A new invitation after a revocation opens the door again, from today.
        access.revoked_on, access.granted_on = None, today
    access.contact = contact
    if contact is not None:
        access.consent = sharing_consent_for(access, today=today)
    validated_save(access)
    return access
