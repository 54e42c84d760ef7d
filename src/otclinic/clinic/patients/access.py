"""Who may see which patient: the one rule for staff and for portal logins.

Staff: every patient of their organization, when their role may view charts
(`domain.access`; today every staff role may, so for staff this is the seam a later limit,
such as a care-team restriction, plugs into).

Portal logins (patients and caregivers) see only the patients a `PortalAccess` row shares with
them, checked afresh on every request; nothing is cached. A patient's own login needs no
consent and sees every part of the record. A caregiver's access rests on the patient's
portal-sharing consents for that caregiver contact:

- only consents in force today count (signed, not revoked, not expired);
- revoking any of the contact's consents ends the access from that moment, even when another
  consent for the same contact was recorded before the revocation (later than the revoked one
  or not); only a consent recorded after the revocation opens the door again;
- when several consents are in force, the narrowest decides: a part of the record is shared
  only when every one of them shares it.

`visible_patients`, `portal_grants` and `visible_portal_patients` are the list forms; every
single-patient check (`get_visible_patient`, `portal.access.grant_get`) is derived from them.
"""

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from otclinic.clinic.accounts.permissions import user_may
from otclinic.clinic.common.access import get_visible
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


def visible_patients(user: Any) -> QuerySet[Patient]:
    """Every patient a member of staff may list and open (portal logins: none, see below)."""
    seen = visible_patients_condition(user)
    if seen is None:
        return Patient.objects.none()
    return Patient.objects.filter(seen)


def visible_patients_condition(user: Any, *, via: str = "") -> Q | None:
    """The rule of `visible_patients` as a condition on the patient reached through `via` (a
    lookup path such as "patient__" or "episode__patient__"; "" for the patient itself), or
    None when the user may see no patient.

    A record of a patient (an episode, a note) filters on this rather than on `patient__in=
    visible_patients(user)`: the same rows, as a join instead of a nested subquery that Django
    compiles again for every query that starts from it (care.access builds three levels of
    them: notes in episodes in patients)."""
    if not user_may(user, Capability.VIEW_CHART):
        return None
    return Q(**{f"{via}organization_id": user.organization_id})


def get_visible_patient(user: Any, patient_id: uuid.UUID | str) -> Patient:
    return get_visible(
        visible_patients(user).select_related("home_clinic"), patient_id, what="patient"
    )


@dataclass(frozen=True)
class Grant:
    """A portal login's right, today, to see one patient and which parts of the record."""

    patient: Patient
    access: PortalAccess
    scopes: frozenset[str]
    consent: Consent | None  # the most recently signed consent in force (None: their own login)

    @property
    def is_self(self) -> bool:
        return self.consent is None

    def may(self, scope: str) -> bool:
        return scope in self.scopes

    def shares(self) -> dict[str, bool]:
        """For templates: {"goals": True, ...}."""
        return {scope: scope in self.scopes for scope in PortalScope.values}


def sharing_consents_in_force(access: PortalAccess, *, today: dt.date) -> list[Consent]:
    """The caregiver's portal-sharing consents that hold today, most recently signed first
    (see the module docstring: a revocation ends those recorded before it)."""
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
        return []
    rows = list(consents.order_by("-signed_on", "-created_at"))
    revocations = [
        c.revoked_at or c.updated_at
        for c in rows
        if c.revoked_on is not None and c.revoked_on <= today
    ]
    last_revocation = max(revocations, default=None)
    return [
        c
        for c in rows
        if c.in_force_on(today) and (last_revocation is None or c.created_at > last_revocation)
    ]


def sharing_consent_for(access: PortalAccess, *, today: dt.date) -> Consent | None:
    """The most recently signed of the caregiver's consents in force today, if any."""
    return next(iter(sharing_consents_in_force(access, today=today)), None)


def grant_for(access: PortalAccess, *, user: Any, today: dt.date) -> Grant | None:
    """The access's grant today, or None when it has ended (or has not begun)."""
    if access.granted_on > today:
        return None
    if access.revoked_on is not None and access.revoked_on <= today:
        return None
    if user.role == Role.PATIENT:
        return Grant(access.patient, access, ALL_SCOPES, None)
    if user.role != Role.CAREGIVER:
        return None
    consents = sharing_consents_in_force(access, today=today)
    if not consents:
        return None
    scopes = ALL_SCOPES.intersection(*(frozenset(c.scopes) for c in consents))
    if not scopes:
        return None
    return Grant(access.patient, access, scopes, consents[0])


def portal_accesses(user: Any) -> QuerySet[PortalAccess]:
    """The portal login's access rows (ended or not), in the order the portal lists them."""
    if not getattr(user, "is_portal_user", False) or not user.is_active:
        return PortalAccess.objects.none()
    return (
        PortalAccess.objects.for_org(user.organization_id)
        .filter(user=user)
        .select_related("patient")
        .order_by("patient__last_name", "patient__first_name")
    )


def portal_grants(user: Any, *, today: dt.date | None = None) -> list[Grant]:
    """Every patient a portal login may see today, with what of each record."""
    day = today or timezone.localdate()
    return [g for a in portal_accesses(user) if (g := grant_for(a, user=user, today=day))]


def visible_portal_patients(user: Any, *, scope: str | None = None) -> QuerySet[Patient]:
    """The patients a portal login may list and open today; with `scope` (a `PortalScope`
    value), only those whose record shares that part with them."""
    grants = portal_grants(user)
    return Patient.objects.for_org(user.organization_id).filter(
        pk__in=[g.patient.pk for g in grants if scope is None or g.may(scope)]
    )
