"""Reads behind the staff's portal-access section, scoped to the user's organization."""

import uuid
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.audit.reads import saw
from otclinic.clinic.common.errors import NotFoundForUser
from otclinic.clinic.patients.access import grant_for, sharing_consents_in_force
from otclinic.clinic.patients.models import (
    Consent,
    ConsentKind,
    Patient,
    PortalAccess,
    PortalScope,
)
from otclinic.clinic.patients.selectors import patient_get_for_user
from otclinic.domain.access import Capability


def patient_for_staff(*, user: User, patient_id: uuid.UUID | str) -> Patient:
    return patient_get_for_user(user=user, patient_id=patient_id)


def consent_for_staff(*, user: User, consent_id: uuid.UUID | str) -> Consent:
    """A portal-sharing consent of the user's organization, or 404."""
    try:
        consent = (
            Consent.objects.for_org(user.organization_id)
            .select_related("patient")
            .get(pk=consent_id, kind=ConsentKind.PORTAL_SHARING)
        )
    except (Consent.DoesNotExist, ValueError) as exc:
        raise NotFoundForUser("no such consent") from exc
    require(user, Capability.VIEW_CHART)
    return consent


def access_for_staff(*, user: User, access_id: uuid.UUID | str) -> PortalAccess:
    """A portal access of the user's organization, or 404."""
    try:
        access = (
            PortalAccess.objects.for_org(user.organization_id)
            .select_related("patient", "user")
            .get(pk=access_id)
        )
    except (PortalAccess.DoesNotExist, ValueError) as exc:
        raise NotFoundForUser("no such portal access") from exc
    require(user, Capability.VIEW_CHART)
    return access


@dataclass(frozen=True)
class AccessLine:
    access: PortalAccess
    in_force: bool
    scopes: list[str]  # labels of what the login sees today


@dataclass(frozen=True)
class ConsentLine:
    consent: Consent
    in_force: bool
    scopes: list[str]


@dataclass(frozen=True)
class AccessOverview:
    accesses: list[AccessLine]
    consents: list[ConsentLine]


def _labels(scopes: Any) -> list[str]:
    return [PortalScope(s).label for s in PortalScope.values if s in set(scopes)]


def access_overview(*, patient: Patient) -> AccessOverview:
    """Every portal login of the patient and every portal-sharing consent, with today's state.

    Who may see the record, and their contacts, are part of it: the view is audited.
    """
    saw([patient.pk], "portal access")
    today = timezone.localdate()
    accesses = PortalAccess.objects.filter(patient=patient).select_related("user", "contact")
    lines = []
    for access in accesses.order_by("granted_on"):
        grant = grant_for(access, user=access.user, today=today)
        lines.append(AccessLine(access, grant is not None, _labels(grant.scopes if grant else ())))
    consents = (
        Consent.objects.filter(patient=patient, kind=ConsentKind.PORTAL_SHARING)
        .select_related("contact")
        .order_by("-signed_on", "-created_at")
    )
    # In force: counted today for its contact (a later revocation of another of the contact's
    # consents ends this one too; patients.access).
    counted: set[Any] = set()
    for contact_id in {c.contact_id for c in consents}:
        probe = PortalAccess(
            organization_id=patient.organization_id, patient=patient, contact_id=contact_id
        )
        counted |= {c.pk for c in sharing_consents_in_force(probe, today=today)}
    return AccessOverview(
        accesses=lines,
        consents=[ConsentLine(c, c.pk in counted, _labels(c.scopes)) for c in consents],
    )
