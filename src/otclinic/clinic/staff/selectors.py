"""Reads about staff: credentials expiring soon or lapsed, for the clinic admin or the clinician.

Credentials here are the latest license per state, the NBCOT certification and the latest
certificate of each type the clinic requires of its clinicians (CPR/BLS, ...).
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.staff.models import StaffProfile
from otclinic.domain.access import Capability
from otclinic.domain.compliance.credentials import CREDENTIALED_ROLES, CredentialKind

SOON_DAYS = 60


@dataclass(frozen=True, slots=True)
class ExpiringCredential:
    """One credential that expires within `SOON_DAYS` days or has lapsed."""

    staff: Any
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
    *, user: Any, today: dt.date, within: int = SOON_DAYS
) -> list[ExpiringCredential]:
    """The organization's credentials expiring soon or lapsed (clinic admins)."""
    require(user, Capability.MANAGE_STAFF)
    return expiring_credentials(
        profiles=clinician_profiles().filter(organization_id=user.organization_id),
        today=today,
        within=within,
    )


def expiring_credentials_for_clinician(
    *, user: Any, today: dt.date, within: int = SOON_DAYS
) -> list[ExpiringCredential]:
    """The signed-in clinician's own credentials expiring soon or lapsed."""
    return expiring_credentials(
        profiles=clinician_profiles().filter(user=user, organization_id=user.organization_id),
        today=today,
        within=within,
    )


def clinician_profiles() -> Any:
    """Active OTs and OTAs, with their licenses (every organization: callers filter)."""
    return (
        StaffProfile.objects.filter(
            active=True, user__role__in=[str(r) for r in CREDENTIALED_ROLES]
        )
        .select_related("user")
        .prefetch_related("licenses", "certificates__certificate_type")
    )


def _credentials(staff: Any, today: dt.date) -> list[ExpiringCredential]:
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


def _required_certificates(staff: Any, today: dt.date) -> list[ExpiringCredential]:
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
