"""The portal's door: one patient's record opened through the rule in `patients.access`.

Who may see which patient, and which parts of the record (consents in force, revocations, the
narrowest scope deciding), is written once in `patients.access`; this module opens one patient
for a portal page and records the view. Nothing is cached: a revoked access or consent, or a
consent's last day passing, ends the caregiver's access on the very next request.

The order of the checks matters for what a stranger learns: a patient id the user's
organization does not hold is 404; a staff member is refused the portal by role (403); a
patient the portal user has no access row for is 404 again.
"""

import uuid
from dataclasses import dataclass

from django.utils import timezone

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.audit.reads import saw
from otclinic.clinic.common.errors import NotFoundForUser
from otclinic.clinic.patients.access import (
    ALL_SCOPES,
    Grant,
    grant_for,
    portal_accesses,
    portal_grants,
    sharing_consent_for,
)
from otclinic.clinic.patients.models import Patient
from otclinic.domain.access import Capability

__all__ = [
    "ALL_SCOPES",
    "AccessEnded",
    "Grant",
    "PortalHome",
    "ScopeNotShared",
    "grant_for",
    "grant_get",
    "portal_home_for",
    "sharing_consent_for",
]


class AccessEnded(Exception):
    """The user had access to this patient, but it was revoked or its consent ended."""


class ScopeNotShared(Exception):
    """The caregiver's consent does not share this part of the record."""


@dataclass(frozen=True)
class PortalHome:
    grants: list[Grant]
    ended: bool  # the user had access to someone, and all of it has ended


def portal_home_for(*, user: User) -> PortalHome:
    """The patients this portal user may see today."""
    require(user, Capability.PORTAL)
    grants = portal_grants(user)
    return PortalHome(grants=grants, ended=not grants and portal_accesses(user).exists())


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
    access = portal_accesses(user).filter(patient=patient).first()
    if access is None:
        raise NotFoundForUser("no such patient")
    grant = grant_for(access, user=user, today=timezone.localdate())
    if grant is None:
        raise AccessEnded
    if scope is not None and not grant.may(scope):
        raise ScopeNotShared
    saw([patient.pk], f"portal {detail or scope or 'overview'}")
    return grant
