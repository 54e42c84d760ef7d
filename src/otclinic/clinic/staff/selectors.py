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
    """The signed-in clinician's own credentials expiring soon or lapsed, in one query (their
    licenses, required certificates and NBCOT date read as columns of one join,
    `_own_credential_rows`); none for a role that holds no credential here (a student)."""
    if user.role not in CREDENTIALED_ROLES:
        return []  # clinician_profiles() has only the credentialed roles
    rows = _own_credential_rows(user)
    profile = next((row for row in rows if row[0] == CredentialKind.NBCOT), None)
    if profile is None:
        return []  # no active staff profile
    _, pk, nbcot_credential, credentials, nbcot_expires_on = profile
    staff = StaffProfile.from_db(
        None,
        ["id", "user_id", "credentials", "nbcot_credential", "nbcot_expires_on"],
        [pk, user.pk, credentials, nbcot_credential, nbcot_expires_on],
    )
    staff.user = user
    licenses = [
        (pk, state, f"{state} license {number}", expires)
        for kind, pk, state, number, expires in rows
        if kind == CredentialKind.LICENSE
    ]
    certificates = [
        (pk, name, f"{name} certificate", expires)
        for kind, pk, name, _, expires in rows
        if kind == CredentialKind.CERTIFICATE
    ]
    found = [
        *_latest_of(staff, CredentialKind.LICENSE, licenses, today),
        *_nbcot(staff, today),
        *_latest_of(staff, CredentialKind.CERTIFICATE, certificates, today),
    ]
    return sorted(
        (c for c in found if c.days_left <= within), key=lambda c: (c.expires_on, c.label)
    )


def _own_credential_rows(user: User) -> list[tuple[Any, ...]]:
    """(kind, id, key, text, expires on) of the user's active staff profile's licenses (key:
    the state, text: the number), required certificates (key: the type's name) and NBCOT
    certification (key: the credential, text: the profile's credentials; the id is the
    profile's, and the row is there when the date is not).

    One statement: the profile joined with its licenses and its certificates, read as columns.
    Each row pairs a license with a certificate (one person's few: a handful of rows), so each
    credential is taken once, by its id. A UNION of the three took twice the CPU to build."""
    rows = StaffProfile.objects.filter(
        user=user, active=True, organization_id=organization_id_of(user)
    ).values_list(*_OWN_CREDENTIAL_COLUMNS)
    found: dict[tuple[CredentialKind, Any], tuple[Any, ...]] = {}
    for row in rows:
        pk, nbcot, credentials, nbcot_expires_on = row[:4]
        license_pk, state, number, license_expires_on = row[4:8]
        certificate_pk, name, required, certificate_expires_on = row[8:]
        kind = CredentialKind.NBCOT
        found[(kind, pk)] = (kind, pk, nbcot, credentials, nbcot_expires_on)
        if license_pk is not None:
            kind = CredentialKind.LICENSE
            found[(kind, license_pk)] = (kind, license_pk, state, number, license_expires_on)
        if certificate_pk is not None and required:
            kind = CredentialKind.CERTIFICATE
            found[(kind, certificate_pk)] = (kind, certificate_pk, name, "", certificate_expires_on)
    return list(found.values())


# The columns of `_own_credential_rows`: the profile's, a license's, a certificate's.
_OWN_CREDENTIAL_COLUMNS = (
    "pk",
    "nbcot_credential",
    "credentials",
    "nbcot_expires_on",
    "licenses__pk",
    "licenses__state",
    "licenses__number",
    "licenses__expires_on",
    "certificates__pk",
    "certificates__certificate_type__name",
    "certificates__certificate_type__required_for_clinicians",
    "certificates__expires_on",
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
    licenses = [
        (lic.pk, lic.state, f"{lic.state} license {lic.number}", lic.expires_on)
        for lic in staff.licenses.all()
    ]
    certificates = [
        (
            cert.pk,
            cert.certificate_type_id,
            f"{cert.certificate_type.name} certificate",
            cert.expires_on,
        )
        for cert in staff.certificates.all()
        if cert.certificate_type.required_for_clinicians
    ]
    return [
        *_latest_of(staff, CredentialKind.LICENSE, licenses, today),
        *_nbcot(staff, today),
        *_latest_of(staff, CredentialKind.CERTIFICATE, certificates, today),
    ]


def _latest_of(
    staff: StaffProfile,
    kind: CredentialKind,
    items: list[tuple[Any, Any, str, dt.date]],
    today: dt.date,
) -> list[ExpiringCredential]:
    """The latest of `items` (id, key, label, expires on) for each key: a license per state, a
    certificate per type."""
    latest: dict[Any, tuple[Any, Any, str, dt.date]] = {}
    for item in items:
        if item[1] not in latest or item[3] > latest[item[1]][3]:
            latest[item[1]] = item
    return [
        ExpiringCredential(staff, kind, pk, label, expires, (expires - today).days)
        for pk, _, label, expires in latest.values()
    ]


def _nbcot(staff: StaffProfile, today: dt.date) -> list[ExpiringCredential]:
    if staff.nbcot_expires_on is None:
        return []
    label = f"NBCOT {staff.nbcot_credential or 'certification'}".strip()
    days_left = (staff.nbcot_expires_on - today).days
    return [
        ExpiringCredential(
            staff, CredentialKind.NBCOT, staff.pk, label, staff.nbcot_expires_on, days_left
        )
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
