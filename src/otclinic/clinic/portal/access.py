"""Who may see which patient in the portal, checked afresh on every request.

A patient's own login needs no consent. A caregiver's rests on the patient's portal-sharing
consent for that caregiver contact: signed, not revoked, not expired, and only for the scopes
it names. Revoking the access, or the consent, or the consent's last day passing, ends the
caregiver's access on the very next request; nothing is cached.

The order of the checks matters for what a stranger learns: a patient id the user's
organization does not hold is 404; a staff member is refused the portal by role (403); a
patient the portal user has no access row for is 404 again.
"""

import datetime as dt
import uuid
from dataclasses import dataclass

from django.utils import timezone

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.audit.models import AuditAction
from otclinic.clinic.audit.services import audit_record
from otclinic.clinic.common.errors import NotFoundForUser
from otclinic.clinic.patients.models import (
    Consent,
    ConsentKind,
    Patient,
    PortalAccess,
    PortalScope,
)
from otclinic.domain.access import Capability
from otclinic.domain.codes import Role

ALL_SCOPES = frozenset(PortalScope.values)


class AccessEnded(Exception):
    """The user had access to this patient, but it was revoked or its consent ended."""


class ScopeNotShared(Exception):
    """The caregiver's consent does not share this part of the record."""


@dataclass(frozen=True)
class Grant:
    """A portal user's right, today, to see one patient and which parts of the record."""

    patient: Patient
    access: PortalAccess
    scopes: frozenset[str]
    consent: Consent | None

    @property
    def is_self(self) -> bool:
        return self.consent is None

    def may(self, scope: str) -> bool:
        return scope in self.scopes

    def shares(self) -> dict[str, bool]:
        """For templates: {"goals": True, ...}."""
        return {scope: scope in self.scopes for scope in PortalScope.values}


def sharing_consent_for(access: PortalAccess, *, today: dt.date) -> Consent | None:
    """The caregiver's portal-sharing consent in force today, the most recently signed first."""
    consents = Consent.objects.filter(
        organization_id=access.organization_id,
        patient_id=access.patient_id,
        kind=ConsentKind.PORTAL_SHARING,
    )
    if access.contact_id:
        consents = consents.filter(contact_id=access.contact_id)
    elif access.consent_id:
        consents = consents.filter(pk=access.consent_id)
    else:
        return None
    in_force = (c for c in consents.order_by("-signed_on", "-created_at") if c.in_force_on(today))
    return next(in_force, None)


def grant_for(access: PortalAccess, *, user: User, today: dt.date) -> Grant | None:
    """The access's grant today, or None when it has ended (or has not begun)."""
    if access.granted_on > today:
        return None
    if access.revoked_on is not None and access.revoked_on <= today:
        return None
    if user.role == Role.PATIENT:
        return Grant(access.patient, access, ALL_SCOPES, None)
    if user.role != Role.CAREGIVER:
        return None
    consent = sharing_consent_for(access, today=today)
    if consent is None:
        return None
    return Grant(access.patient, access, frozenset(consent.scopes) & ALL_SCOPES, consent)


@dataclass(frozen=True)
class PortalHome:
    grants: list[Grant]
    ended: bool  # the user had access to someone, and all of it has ended


def portal_home_for(*, user: User) -> PortalHome:
    """The patients this portal user may see today."""
    require(user, Capability.PORTAL)
    today = timezone.localdate()
    accesses = list(
        PortalAccess.objects.for_org(user.organization_id)
        .filter(user=user)
        .select_related("patient")
        .order_by("patient__last_name", "patient__first_name")
    )
    grants = [g for a in accesses if (g := grant_for(a, user=user, today=today))]
    return PortalHome(grants=grants, ended=bool(accesses) and not grants)


def grant_get(
    *, user: User, patient_id: uuid.UUID | str, scope: str | None = None, detail: str = ""
) -> Grant:
    """This user's grant to one patient today; opening it is recorded as a view of the record.

    Raises NotFoundForUser (404), PermissionDenied (403, staff), AccessEnded or ScopeNotShared.
    """
    try:
        patient = Patient.objects.for_org(user.organization_id).get(pk=patient_id)
    except (Patient.DoesNotExist, ValueError) as exc:
        raise NotFoundForUser("no such patient") from exc
    require(user, Capability.PORTAL)
    access = PortalAccess.objects.filter(user=user, patient=patient).first()
    if access is None:
        raise NotFoundForUser("no such patient")
    access.patient = patient
    grant = grant_for(access, user=user, today=timezone.localdate())
    if grant is None:
        raise AccessEnded
    if scope is not None and not grant.may(scope):
        raise ScopeNotShared
    audit_record(
        action=AuditAction.VIEW,
        object_type="patients.patient",
        object_id=patient.pk,
        organization_id=patient.organization_id,
        patient_id=patient.pk,
        detail=f"portal {detail or scope or 'overview'}",
    )
    return grant
