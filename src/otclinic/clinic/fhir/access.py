"""Who may read which FHIR resources: one function of (organization, user or client, scopes).

`fhir_access` is the door SMART tokens will use too: a token carries its organization, the user
or client it was issued to, and its scopes (`patient/Goal.rs`, `user/*.rs`); the session and
HTTP-basic callers of today pass no scopes, and get what their role reaches on the pages.

- Staff: the patients `patients.access.visible_patients` gives them (their organization, a role
  that may view charts); appointments as `scheduling.access` limits them.
- Portal logins: the patients `patients.access.portal_grants` gives them today. A patient's own
  login sees every type; a caregiver sees only the types the consent shares (`PORTAL_SCOPE`):
  Goal (and the measures) under "goals", Appointment under "appointments", and the Patient
  resource itself under any grant. Other clinical types need the patient's own login.
"""

import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from otclinic.clinic.accounts.permissions import user_may
from otclinic.clinic.patients.access import portal_grants, visible_patients
from otclinic.clinic.patients.models import Patient, PortalScope
from otclinic.domain.access import Capability

# The part of the record a caregiver's consent must share for each type they may read.
PORTAL_SCOPE: dict[str, str] = {
    "Goal": PortalScope.GOALS,
    "Observation": PortalScope.GOALS,
    "Appointment": PortalScope.APPOINTMENTS,
}
# What the billing office reads: billers and clinic admins (VIEW_BILLING), never a clinician
# nor a portal login (no portal consent shares billing: patients.PortalScope).
FINANCIAL_TYPES = frozenset({"Claim", "ExplanationOfBenefit"})
# Types that hold no patient's data: any member of the organization may read them.
DIRECTORY_TYPES = frozenset({"Organization", "Location", "Practitioner", "PractitionerRole"})

_SCOPE = re.compile(r"^(patient|user|system)/(\*|[A-Za-z]+)\.(read|\*|[cruds]+)$")


def types_in_scopes(scopes: frozenset[str] | None) -> frozenset[str] | None:
    """The resource types SMART scopes allow reading (None: not limited by scopes).

    `user/*.rs`, `patient/Goal.read`, `system/*.*`: read access is `read`, `*`, or an `r` or
    `s` in the v2 letters. Scopes that are not resource scopes (`openid`, `launch`) are ignored.
    """
    if scopes is None:
        return None
    allowed: set[str] = set()
    for scope in scopes:
        match = _SCOPE.match(scope)
        if match is None:
            continue
        resource, verbs = match.group(2), match.group(3)
        if verbs in {"read", "*"} or "r" in verbs or "s" in verbs:
            allowed.add(resource)
    return frozenset(allowed)


@dataclass(frozen=True)
class FhirAccess:
    """What one caller may read: their organization, and per type, whose records."""

    organization_id: uuid.UUID
    user: Any
    types: frozenset[str] | None  # None: every type the role reaches
    staff: bool
    # Portal logins: patient id -> the parts of the record shared (every part: their own login).
    grants: dict[uuid.UUID, frozenset[str] | None] = field(default_factory=dict)
    # A SMART Backend Services client (no user): every patient of its organization.
    system: bool = False
    # The SmartClient a system caller's token was issued to (its row's id).
    client_id: uuid.UUID | None = None
    # The SMART scopes granted, as given (None: a session, basic or API-token caller).
    scopes: frozenset[str] | None = None

    def may_read(self, resource_type: str) -> bool:
        return self.types is None or "*" in self.types or resource_type in self.types

    def patients(self, resource_type: str) -> QuerySet[Patient]:
        """The patients whose `resource_type` records this caller may read."""
        if not self.may_read(resource_type):
            return Patient.objects.none()
        if resource_type in FINANCIAL_TYPES:
            staff_billing = self.staff and user_may(self.user, Capability.VIEW_BILLING)
            if not staff_billing:
                return Patient.objects.none()
        if self.system:
            return Patient.objects.for_org(self.organization_id)
        if self.staff:
            return visible_patients(self.user)
        scope = PORTAL_SCOPE.get(resource_type)
        ids = [
            patient_id
            for patient_id, shared in self.grants.items()
            if shared is None
            or resource_type == "Patient"
            or (scope is not None and scope in shared)
        ]
        return Patient.objects.for_org(self.organization_id).filter(pk__in=ids)


def fhir_access(
    *, organization_id: uuid.UUID, user: Any, scopes: frozenset[str] | None
) -> FhirAccess:
    """The caller's reach; PermissionDenied (403) for a role that may use neither the API nor
    the portal, or a user of another organization than the one named."""
    if getattr(user, "organization_id", None) != organization_id:
        raise PermissionDenied("this user belongs to another organization")
    types = types_in_scopes(scopes)
    if user_may(user, Capability.USE_API):
        return FhirAccess(organization_id, user, types, staff=True, scopes=scopes)
    if user_may(user, Capability.PORTAL):
        grants = {
            grant.patient.pk: (None if grant.is_self else frozenset(grant.scopes))
            for grant in portal_grants(user)
        }
        return FhirAccess(organization_id, user, types, staff=False, grants=grants, scopes=scopes)
    raise PermissionDenied("your role may not use the API")


def fhir_access_for_system(
    *, organization_id: uuid.UUID, scopes: frozenset[str], client_id: uuid.UUID | None = None
) -> FhirAccess:
    """A Backend Services client's reach: the types its `system/` scopes name, for every
    patient of its organization (`client_id`: the SmartClient, for what it started)."""
    return FhirAccess(
        organization_id,
        None,
        types_in_scopes(scopes) or frozenset(),
        staff=False,
        system=True,
        client_id=client_id,
        scopes=scopes,
    )
