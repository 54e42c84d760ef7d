"""MRNs assigned by the organization's pattern, from a counter row locked while one is taken.

Two desks creating charts at once each lock the counter in turn, so neither can take the
other's number; a number already on a chart (one imported, or typed before numbering was
automatic) is skipped.
"""

from typing import Any

from django.db import IntegrityError, transaction

from otclinic.clinic.patients.models import MrnPattern, Patient
from otclinic.domain.patients.mrn import format_mrn


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
