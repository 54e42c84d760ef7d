"""A new claim: its control number, and a draft copied from another claim (a correction, a
void, a later payer's claim)."""

import uuid
from typing import Any

from otclinic.clinic.revenue.models import Claim, ClaimLine


def new_control_number() -> str:
    """CLM01: unique per organization (the database refuses a repeat); 835 CLP01 echoes it.
    Fourteen characters, what the CMS-1500's item 26 holds, so a paper claim carries it whole."""
    return uuid.uuid4().hex[:14].upper()


def copy_claim(claim: Claim, **changes: Any) -> Claim:
    """A new draft claim with `claim`'s facts and lines, changed by `changes`."""
    facts: dict[str, Any] = {
        "organization_id": claim.organization_id,
        "patient_id": claim.patient_id,
        "coverage_id": claim.coverage_id,
        "episode_id": claim.episode_id,
        "patient_control_number": new_control_number(),
        "rendering_provider_id": claim.rendering_provider_id,
        "referring_physician_id": claim.referring_physician_id,
        "place_of_service": claim.place_of_service,
        "diagnosis_codes": list(claim.diagnosis_codes),
        "total_charge": claim.total_charge,
        "first_service_on": claim.first_service_on,
        "last_service_on": claim.last_service_on,
    }
    copy = Claim(**(facts | changes))
    copy.save()
    # Fresh rows: changing the ones a caller prefetched would turn `claim`'s lines into the copy's.
    for line in ClaimLine.objects.filter(claim_id=claim.pk).order_by("line_number"):
        line.pk = None
        line.id = uuid.uuid4()
        line.claim = copy
        line._state.adding = True
        line.save()
    return copy
