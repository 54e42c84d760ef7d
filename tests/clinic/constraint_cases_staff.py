"""Constraint cases for the staff app's tables (collected by test_constraints.py)."""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.utils import timezone

from otclinic.clinic.staff.models import (
    CeActivity,
    CeRequirement,
    Certificate,
    CertificateType,
    CredentialAlert,
)
from tests.clinic import factories as f

Case = Callable[[bool], object]


def credential_alert_once_per_window(bad: bool) -> object:
    staff = f.StaffProfileFactory()
    values = {
        "organization": staff.organization,
        "staff": staff,
        "kind": "nbcot",
        "credential_id": staff.pk,
        "expires_on": dt.date(2026, 6, 30),
        "sent_at": timezone.now(),
    }
    CredentialAlert.objects.create(window_days=30, **values)
    return CredentialAlert.objects.create(window_days=30 if bad else 7, **values)


def credential_alert_once_per_window_per_staff(bad: bool) -> object:
    """A CE requirement row is shared by the clinic's clinicians: the key includes the staff."""
    first = f.StaffProfileFactory()
    other = first if bad else f.StaffProfileFactory(user__organization=first.organization)
    values = {
        "organization": first.organization,
        "kind": "ce",
        "credential_id": first.organization_id,
        "expires_on": dt.date(2026, 6, 30),
        "window_days": 90,
        "sent_at": timezone.now(),
    }
    CredentialAlert.objects.create(staff=first, **values)
    return CredentialAlert.objects.create(staff=other, **values)


def certificate_type_name_unique_in_org(bad: bool) -> object:
    first = CertificateType.objects.create(organization=f.OrganizationFactory(), name="CPR/BLS")
    return CertificateType.objects.create(
        organization=first.organization, name="CPR/BLS" if bad else "First Aid"
    )


def certificate_expires_after_issue(bad: bool) -> object:
    staff = f.StaffProfileFactory()
    kind = CertificateType.objects.create(organization=staff.organization, name="CPR/BLS")
    return Certificate.objects.create(
        organization=staff.organization,
        staff=staff,
        certificate_type=kind,
        issuer="American Heart Association",
        issued_on=dt.date(2026, 1, 10),
        expires_on=dt.date(2026, 1, 9) if bad else dt.date(2028, 1, 31),
    )


def ce_requirement_one_per_credential(bad: bool) -> object:
    org = f.OrganizationFactory()
    CeRequirement.objects.create(organization=org, counts_toward="OH", hours=Decimal("20"))
    return CeRequirement.objects.create(
        organization=org, counts_toward="OH" if bad else "NBCOT", hours=Decimal("36")
    )


def ce_requirement_hours_positive(bad: bool) -> object:
    return CeRequirement.objects.create(
        organization=f.OrganizationFactory(),
        counts_toward="OH",
        hours=Decimal("0" if bad else "20"),
    )


def ce_activity_hours_positive(bad: bool) -> object:
    staff = f.StaffProfileFactory()
    return CeActivity.objects.create(
        organization=staff.organization,
        staff=staff,
        title="Low vision in older adults",
        provider="State OT association",
        completed_on=dt.date(2026, 2, 3),
        hours=Decimal("0" if bad else "1.5"),
        counts_toward="OH",
    )


STAFF_CASES: list[tuple[str, Case]] = [
    ("credential_alert_once_per_window", credential_alert_once_per_window),
    ("credential_alert_once_per_window", credential_alert_once_per_window_per_staff),
    ("certificate_type_name_unique_in_org", certificate_type_name_unique_in_org),
    ("certificate_expires_after_issue", certificate_expires_after_issue),
    ("ce_requirement_one_per_credential", ce_requirement_one_per_credential),
    ("ce_requirement_hours_positive", ce_requirement_hours_positive),
    ("ce_activity_hours_positive", ce_activity_hours_positive),
]
