"""MRNs assigned by the organization's pattern, from a counter row locked while one is taken.

Two desks creating charts at once each lock the counter in turn, so neither can take the
other's number; a number already on a chart (one imported, or typed before numbering was
automatic) is skipped.
"""

from typing import Any

from django.db import IntegrityError, transaction

from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.common.services import validated_save
from otclinic.clinic.patients.models import MrnPattern, Patient
from otclinic.domain.access import Capability
from otclinic.domain.patients.mrn import format_mrn, pattern_problems


def _locked_pattern(organization_id: Any) -> MrnPattern:
    rows = MrnPattern.objects.select_for_update().filter(organization_id=organization_id)
    pattern = rows.first()
    if pattern is not None:
        return pattern
    try:
        with transaction.atomic():
            MrnPattern.objects.create(organization_id=organization_id)
    except IntegrityError:
        pass  # another desk created it first: lock theirs
    return rows.get()


def mrn_take_next(*, organization_id: Any) -> str:
    """The next free MRN in the organization's pattern; the caller holds the transaction."""
    pattern = _locked_pattern(organization_id)
    taken = Patient.objects.for_org(organization_id)
    while True:
        mrn = format_mrn(prefix=pattern.prefix, digits=pattern.digits, number=pattern.next_number)
        pattern.next_number += 1
        if not taken.filter(mrn=mrn).exists():
            break
    pattern.save(update_fields=["next_number", "updated_at"])
    return mrn


def mrn_pattern_for(*, organization_id: Any) -> MrnPattern:
    """The organization's MRN setting, unsaved defaults when it has none yet."""
    found = MrnPattern.objects.filter(organization_id=organization_id).first()
    return found or MrnPattern(organization_id=organization_id)


def mrn_preview(pattern: MrnPattern) -> str:
    """The MRN the next chart would get (if that number is free)."""
    return format_mrn(prefix=pattern.prefix, digits=pattern.digits, number=pattern.next_number)


@transaction.atomic
def mrn_pattern_update(*, user: Any, data: dict[str, Any]) -> MrnPattern:
    """Set the organization's MRN prefix, width and next number (charts on file keep theirs)."""
    require(user, Capability.MANAGE_STAFF)
    prefix = str(data.get("prefix", "")).strip().upper()
    digits, number = int(data["digits"]), int(data["next_number"])
    problems = pattern_problems(prefix=prefix, digits=digits)
    if problems:
        raise ValidationFailed({k: [v[0].upper() + v[1:] + "."] for k, v in problems.items()})
    if len(str(number)) > digits:
        raise ValidationFailed({"next_number": [f"{number} does not fit in {digits} digits."]})
    pattern = _locked_pattern(user.organization_id)
    pattern.prefix, pattern.digits, pattern.next_number = prefix, digits, number
    return validated_save(pattern)
