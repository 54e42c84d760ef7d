"""Reads about staff: credentials expiring soon or lapsed, for the clinic admin or the clinician.

Credentials here are the latest license per state, the NBCOT certification and the latest
certificate of each type the clinic requires of its clinicians (CPR/BLS, ...).
"""

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import organization_id_of, require, user_may
from otclinic.clinic.common.errors import NotFoundForUser
from otclinic.clinic.staff.models import (
    CeRequirement,
    Certificate,
    CertificateType,
    StaffProfile,
)
from otclinic.clinic.staff.overview import StaffOverview, clinic_facts, overview_of
from otclinic.domain.access import Capability
from otclinic.domain.compliance.credentials import CREDENTIALED_ROLES, CredentialKind

SOON_DAYS = 60


@dataclass(frozen=True, slots=True)
class ExpiringCredential:
    """One credential that expires within `SOON_DAYS` days or has lapsed."""

    staff: StaffProfile
    kind: CredentialKind
    credential_id: Any
    label: str
    expires_on: dt.date
    days_left: int

    @property
    def lapsed(self) -> bool:
        return self.days_left < 0


def expiring_credentials(
    *, profiles: Any, today: dt.date, within: int = SOON_DAYS
) -> list[ExpiringCredential]:
    """Each profile's latest license per state, NBCOT certification and required certificates,
    when near or past."""
    found: list[ExpiringCredential] = []
    for staff in profiles:
        found += [c for c in _credentials(staff, today) if c.days_left <= within]
    return sorted(found, key=lambda c: (c.expires_on, c.label))


def expiring_credentials_for_admin(
    *, user: User, today: dt.date, within: int = SOON_DAYS
) -> list[ExpiringCredential]:
    """The organization's credentials expiring soon or lapsed (clinic admins).

    Only the staff with some license, certificate or NBCOT date inside the window are read
    (a superset of those with an expiring latest credential), not the whole staff."""
    require(user, Capability.MANAGE_STAFF)
    return expiring_credentials(
        profiles=clinician_profiles().filter(
            organization_id=organization_id_of(user),
            pk__in=_with_a_date_before(user, today + dt.timedelta(days=within)),
        ),
        today=today,
        within=within,
    )


def expiring_credentials_for_clinician(
    *, user: User, today: dt.date, within: int = SOON_DAYS
) -> list[ExpiringCredential]:
    """The signed-in clinician's own credentials expiring soon or lapsed: one query when none
    has a date inside the window (their licenses and certificates are read only otherwise),
    none for a role that holds no credential here (a student)."""
    if user.role not in CREDENTIALED_ROLES:
        return []  # clinician_profiles() has only the credentialed roles
    return expiring_credentials(
        profiles=clinician_profiles().filter(
            user=user,
            organization_id=organization_id_of(user),
            pk__in=_with_a_date_before(user, today + dt.timedelta(days=within)),
        ),
        today=today,
        within=within,
    )


def _with_a_date_before(user: User, soon: dt.date) -> QuerySet[StaffProfile, Any]:
    """The ids of the user's organization's staff with some license, required certificate or
    NBCOT date on or before `soon`: a superset of those whose latest credential is, since a
    latest date on or before `soon` is such a date."""
    near = (
        Q(licenses__expires_on__lte=soon)
        | Q(nbcot_expires_on__lte=soon)
        | Q(
            certificates__expires_on__lte=soon,
            certificates__certificate_type__required_for_clinicians=True,
        )
    )
    return StaffProfile.objects.for_org(user.organization_id).filter(near).values("pk")


def clinician_profiles() -> QuerySet[StaffProfile]:
    """Active OTs and OTAs, with their licenses (every organization: callers filter)."""
    return (
        StaffProfile.objects.filter(
            active=True, user__role__in=[str(r) for r in CREDENTIALED_ROLES]
        )
        .select_related("user")
        .prefetch_related(
            "licenses",
            # Each certificate with its type, in one query rather than two.
            Prefetch(
                "certificates", queryset=Certificate.objects.select_related("certificate_type")
            ),
        )
    )


def _credentials(staff: StaffProfile, today: dt.date) -> list[ExpiringCredential]:
    latest: dict[str, Any] = {}
    for lic in staff.licenses.all():
        if lic.state not in latest or lic.expires_on > latest[lic.state].expires_on:
            latest[lic.state] = lic
    found = [
        ExpiringCredential(
            staff,
            CredentialKind.LICENSE,
            lic.pk,
            f"{lic.state} license {lic.number}",
            lic.expires_on,
            (lic.expires_on - today).days,
        )
        for lic in latest.values()
    ]
    if staff.nbcot_expires_on is not None:
        label = f"NBCOT {staff.nbcot_credential or 'certification'}".strip()
        days_left = (staff.nbcot_expires_on - today).days
        found.append(
            ExpiringCredential(
                staff, CredentialKind.NBCOT, staff.pk, label, staff.nbcot_expires_on, days_left
            )
        )
    return found + _required_certificates(staff, today)


def _required_certificates(staff: StaffProfile, today: dt.date) -> list[ExpiringCredential]:
    latest: dict[Any, Any] = {}
    for cert in staff.certificates.all():
        kind = cert.certificate_type
        if kind.required_for_clinicians and (
            kind.pk not in latest or cert.expires_on > latest[kind.pk].expires_on
        ):
            latest[kind.pk] = cert
    return [
        ExpiringCredential(
            staff,
            CredentialKind.CERTIFICATE,
            cert.pk,
            f"{cert.certificate_type.name} certificate",
            cert.expires_on,
            (cert.expires_on - today).days,
        )
        for cert in latest.values()
    ]


# The staff credential pages ---------------------------------------------------------------


def _may_manage(user: User) -> bool:
    return user_may(user, Capability.MANAGE_STAFF)


def staff_get_for_user(*, user: User, staff_id: Any) -> StaffProfile:
    """A staff profile of the user's organization (404 otherwise): the clinic admin may open
    anyone's, everyone else only their own (403)."""
    staff = (
        StaffProfile.objects.for_org(user.organization_id)
        .select_related("user")
        .filter(pk=staff_id)
        .first()
    )
    if staff is None:
        raise NotFoundForUser("No such member of staff.")
    if not _may_manage(user) and staff.user_id != user.pk:
        raise PermissionDenied("your role may not view another member of staff's credentials")
    return staff


def own_profile(*, user: User) -> StaffProfile:
    """The signed-in user's own staff profile (404 when they have none: portal users)."""
    staff = StaffProfile.objects.for_org(user.organization_id).filter(user=user).first()
    if staff is None:
        raise NotFoundForUser("You have no staff record.")
    return staff


def staff_overviews_for_admin(*, user: User, today: dt.date) -> list[StaffOverview]:
    """Each active clinician of the organization with their credentials' status (clinic admins)."""
    require(user, Capability.MANAGE_STAFF)
    profiles = (
        clinician_profiles()
        .filter(organization_id=organization_id_of(user))
        .prefetch_related("ce_activities")
        .order_by("user__last_name", "user__first_name")
    )
    clinic = clinic_facts(organization_id_of(user))
    return [overview_of(s, today=today, clinic=clinic) for s in profiles]


def staff_overview(*, staff: StaffProfile, today: dt.date) -> StaffOverview:
    """One clinician's overview, judged for the states of the organization's clinics."""
    return overview_of(staff, today=today, clinic=clinic_facts(staff.organization_id))


def ce_requirements(*, org_id: uuid.UUID) -> list[CeRequirement]:
    return list(CeRequirement.objects.for_org(org_id))


def certificate_types(*, org_id: uuid.UUID) -> QuerySet[CertificateType]:
    return CertificateType.objects.for_org(org_id)


def staff_records(*, staff: StaffProfile) -> dict[str, Any]:
    """The staff member's rows, newest first, for their page."""
    return {
        "licenses": staff.licenses.order_by("state", "-expires_on"),
        "certificates": staff.certificates.select_related("certificate_type").order_by(
            "certificate_type__name", "-expires_on"
        ),
        "ce_activities": staff.ce_activities.order_by("-completed_on"),
    }
