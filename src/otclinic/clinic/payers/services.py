"""Writes to a patient's coverage. Each is one transaction and is audit-logged by the trail."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.common.access import require_same_organization
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.common.services import validated_save
from otclinic.clinic.common.versions import locked_at_version
from otclinic.clinic.patients.models import Patient
from otclinic.clinic.payers.models import Authorization, Coverage
from otclinic.domain.access import Capability
from otclinic.domain.identifiers import member_id_format_for

COVERAGE_FIELDS = frozenset(
    {
        "payer",
        "member_id",
        "group_number",
        "priority",
        "subscriber_relationship",
        "subscriber_name",
        "subscriber_address",
        "subscriber_city",
        "subscriber_state",
        "subscriber_zip_code",
        "starts_on",
        "ends_on",
        "authorized_visits",
        "authorization_number",
    }
)


@transaction.atomic
def coverage_add(*, user: User, patient: Patient, data: dict[str, Any]) -> Coverage:
    """Add a payer's coverage to a patient; adding the same coverage again changes nothing."""
    require(user, Capability.EDIT_COVERAGE)
    require_same_organization(user, patient)
    unknown = set(data) - COVERAGE_FIELDS
    if unknown:
        raise ValidationFailed({name: ["This field cannot be set here."] for name in unknown})
    payer = data.get("payer")
    if payer is None or payer.organization_id != patient.organization_id:
        raise ValidationFailed({"payer": ["Choose one of your organization's payers."]})
    member_id = str(data.get("member_id", "")).strip()
    fmt = member_id_format_for(plan=payer.plan_kind, format_key=payer.member_id_format)
    if fmt is not None:
        # As the payer takes it (the MBI without the card's dashes), so that adding the same
        # coverage again, typed either way, finds the one already there.
        member_id = fmt.normalize(member_id)
    existing = patient.coverages.filter(
        # Without a start date nothing matches (the column is never null).
        payer=payer,
        member_id=member_id,
        starts_on=data.get("starts_on"),  # type: ignore[misc]
    ).first()
    if existing:
        return existing
    coverage = Coverage(
        organization_id=patient.organization_id,
        patient=patient,
        **{**data, "member_id": member_id},
    )
    return validated_save(coverage)


@dataclass(frozen=True)
class AuthorizationChange:
    """One row of the coverage form's authorizations: a new one (`authorization` None), a
    change to one on file, or its removal."""

    data: dict[str, Any]
    authorization: Authorization | None = None
    remove: bool = False


AUTHORIZATION_FIELDS = ("discipline", "number", "visits", "starts_on", "ends_on")


def _already_applied(coverage: Coverage, change: AuthorizationChange) -> bool:
    same = {k: v for k, v in change.data.items() if k in AUTHORIZATION_FIELDS}
    rows = coverage.authorizations.filter(**same)
    if change.authorization is None:
        return not change.remove and rows.exists()
    return not change.remove and rows.filter(pk=change.authorization.pk).exists()


def _apply_authorization(coverage: Coverage, change: AuthorizationChange) -> None:
    row = change.authorization
    if row is not None and row.coverage_id != coverage.pk:
        raise ValidationFailed({"authorizations": ["That authorization is not on this coverage."]})
    if change.remove:
        if row is not None:
            row.delete()
        return
    if row is None:
        if _already_applied(coverage, change):
            return  # the same form sent again: it is on file
        row = Authorization(organization_id=coverage.organization_id, coverage=coverage)
    for field in AUTHORIZATION_FIELDS:
        if field in change.data:
            setattr(row, field, change.data[field])
    clash = coverage.authorizations.filter(discipline=row.discipline, number=row.number)
    if clash.exclude(pk=row.pk).exists():
        raise ValidationFailed(
            {"number": [f"{row.discipline} authorization {row.number} is already on file."]}
        )
    validated_save(row)


@transaction.atomic
def coverage_update(
    *,
    user: Any,
    coverage: Coverage,
    data: dict[str, Any],
    version: str,
    authorizations: Sequence[AuthorizationChange] = (),
) -> Coverage:
    """Change a coverage and its authorizations together; refused if someone else saved the
    coverage after `version`. The audit trail records the fields changed, row by row."""
    require(user, Capability.EDIT_COVERAGE)
    unknown = set(data) - COVERAGE_FIELDS
    if unknown:
        raise ValidationFailed({name: ["This field cannot be set here."] for name in unknown})
    payer = data.get("payer", coverage.payer)
    if payer.organization_id != coverage.organization_id:
        raise ValidationFailed({"payer": ["Choose one of your organization's payers."]})
    # A repeat of the same form is no conflict, but only if its authorizations are on file too.
    repeat = all(_already_applied(coverage, change) for change in authorizations)
    locked: Coverage = locked_at_version(
        coverage, version=version, what="this coverage", data=data if repeat else None
    )
    for name, value in data.items():
        setattr(locked, name, value)
    validated_save(locked)
    for change in authorizations:
        _apply_authorization(locked, change)
    return locked
