"""Writes on the staff credential pages: licenses, certificates, CE activities and the clinic's
certificate types and CE requirements.

The clinic admin writes anyone's record; a clinician adds certificates and CE activities to
their own record only. Each write is one transaction, validated field by field, and doing it
twice does no harm: the same row submitted again is returned, not duplicated. Saves are
audit-logged by the OrgOwned signals.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import organization_id_of, require, user_may
from otclinic.clinic.common.access import require_same_organization
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.common.services import validated_save
from otclinic.clinic.staff.models import (
    CeActivity,
    CeRequirement,
    Certificate,
    CertificateType,
    StaffProfile,
    StateLicense,
)
from otclinic.domain.access import Capability


def _require_admin_or_self(user: Any, staff: StaffProfile) -> None:
    require_same_organization(user, staff)
    if not user_may(user, Capability.MANAGE_STAFF) and staff.user_id != user.pk:
        raise PermissionDenied("your role may not change another member of staff's record")


def _dates_in_order(issued_on: dt.date | None, expires_on: dt.date) -> None:
    if issued_on is not None and expires_on < issued_on:
        raise ValidationFailed(
            {"expires_on": [f"The expiry date must be on or after the issue date ({issued_on})."]}
        )


@transaction.atomic
def license_add(
    *,
    user: User,
    staff: StaffProfile,
    state: str,
    number: str,
    expires_on: dt.date,
    issued_on: dt.date | None = None,
    temporary: bool = False,
) -> StateLicense:
    """Record a state license (clinic admins). The same license again is returned unchanged."""
    require(user, Capability.MANAGE_STAFF)
    _require_admin_or_self(user, staff)
    _dates_in_order(issued_on, expires_on)
    number = number.strip()
    existing = staff.licenses.filter(state=state, number=number).first()
    if existing is not None:
        if (existing.expires_on, existing.issued_on) == (expires_on, issued_on):
            return existing
        raise ValidationFailed(
            {"number": [f"{state} license {number} is already on file with other dates."]}
        )
    row = StateLicense(
        organization_id=staff.organization_id,
        staff=staff,
        state=state,
        number=number,
        issued_on=issued_on,
        expires_on=expires_on,
        temporary=temporary,
    )
    return validated_save(row)


@transaction.atomic
def certificate_add(
    *,
    user: User,
    staff: StaffProfile,
    certificate_type: CertificateType,
    issuer: str,
    issued_on: dt.date,
    expires_on: dt.date,
    number: str = "",
    file_name: str = "",
) -> Certificate:
    """Record a certificate the clinic tracks (the admin, or the clinician on their own record)."""
    _require_admin_or_self(user, staff)
    if certificate_type.organization_id != staff.organization_id:
        raise ValidationFailed({"certificate_type": ["Choose a certificate type of this clinic."]})
    _dates_in_order(issued_on, expires_on)
    fields = {
        "certificate_type": certificate_type,
        "issuer": issuer.strip(),
        "number": number.strip(),
        "issued_on": issued_on,
        "expires_on": expires_on,
    }
    existing = staff.certificates.filter(**fields).first()
    if existing is not None:
        return existing
    row = Certificate(
        organization_id=staff.organization_id, staff=staff, file_name=file_name.strip(), **fields
    )
    return validated_save(row)


@transaction.atomic
def ce_activity_add(
    *,
    user: User,
    staff: StaffProfile,
    title: str,
    provider: str,
    completed_on: dt.date,
    hours: Decimal,
    counts_toward: str,
    certificate_file_name: str = "",
) -> CeActivity:
    """Record a continuing-education activity (the admin, or the clinician on their own record)."""
    _require_admin_or_self(user, staff)
    if hours <= 0:
        raise ValidationFailed({"hours": [f"Hours must be more than 0; {hours} was given."]})
    fields = {
        "title": title.strip(),
        "provider": provider.strip(),
        "completed_on": completed_on,
        "hours": hours,
        "counts_toward": counts_toward,
    }
    existing = staff.ce_activities.filter(**fields).first()
    if existing is not None:
        return existing
    row = CeActivity(
        organization_id=staff.organization_id,
        staff=staff,
        certificate_file_name=certificate_file_name.strip(),
        **fields,
    )
    return validated_save(row)


@transaction.atomic
def certificate_type_add(
    *, user: User, name: str, required_for_clinicians: bool = False
) -> CertificateType:
    """Add a certificate type the clinic tracks, or set whether it is required (clinic admins)."""
    require(user, Capability.MANAGE_STAFF)
    name = name.strip()
    existing = CertificateType.objects.for_org(user.organization_id).filter(name__iexact=name)
    row = existing.first() or CertificateType(organization_id=organization_id_of(user), name=name)
    row.required_for_clinicians = required_for_clinicians
    return validated_save(row)


@transaction.atomic
def ce_requirement_set(
    *,
    user: User,
    counts_toward: str,
    hours: Decimal,
    cycle_months: int | None = None,
    source: str = "",
) -> CeRequirement:
    """Set the hours per renewal cycle for a state's license or NBCOT (clinic admins)."""
    require(user, Capability.MANAGE_STAFF)
    if hours <= 0:
        raise ValidationFailed({"hours": [f"Hours must be more than 0; {hours} was given."]})
    if cycle_months is not None and not 1 <= cycle_months <= 120:
        raise ValidationFailed(
            {"cycle_months": ["Give a cycle of 1 to 120 months, or leave it blank."]}
        )
    rows = CeRequirement.objects.for_org(user.organization_id)
    row = rows.filter(counts_toward=counts_toward).first() or CeRequirement(
        organization_id=organization_id_of(user), counts_toward=counts_toward
    )
    row.hours = hours
    row.cycle_months = cycle_months
    row.source = source.strip()
    return validated_save(row)
