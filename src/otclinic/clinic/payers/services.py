"""Writes to a patient's coverage. Each is one transaction and is audit-logged by the trail."""

from typing import Any

from django.db import transaction

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.common.services import validated_save
from otclinic.clinic.patients.models import Patient
from otclinic.clinic.payers.models import Coverage
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
    unknown = set(data) - COVERAGE_FIELDS
    if unknown:
        raise ValidationFailed({name: ["This field cannot be set here."] for name in unknown})
    payer = data.get("payer")
    if payer is None or payer.organization_id != patient.organization_id:
        raise ValidationFailed({"payer": ["Choose one of your organization's payers."]})
    if patient.organization_id != user.organization_id:
        raise ValidationFailed({"patient": ["Choose one of your organization's patients."]})
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
