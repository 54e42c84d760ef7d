"""The patient's year-to-date allowed amount behind the Medicare therapy threshold (KX).

SSA 1833(g); MCPM Pub. 100-04 ch. 5 sec. 10.3: Medicare allowed amounts per calendar year, OT
alone and PT with SLP together, across all providers. Ours come from our own Medicare Part B
charges: the payer's allowed amount (paid plus patient responsibility) once a remittance has been
posted for the line, else the charge's expected allowed amount. Care at other providers comes
from the opening balance a biller enters by hand.
"""

import datetime as dt
import uuid
from decimal import Decimal

from django.db.models import Q, Sum

from otclinic.clinic.revenue.models import (
    Charge,
    ChargeStatus,
    RemittanceService,
    ThresholdBucket,
    ThresholdOpeningBalance,
)
from otclinic.domain.billing.money import to_cents
from otclinic.domain.codes import Discipline, PayerPlan

BUCKET_DISCIPLINES = {
    ThresholdBucket.OT: (Discipline.OT,),
    ThresholdBucket.PT_SLP: (Discipline.PT, Discipline.SLP),
}


def bucket_for(discipline: str) -> ThresholdBucket:
    return ThresholdBucket.OT if discipline == Discipline.OT else ThresholdBucket.PT_SLP


def ytd_allowed(
    *,
    patient_id: uuid.UUID,
    bucket: ThresholdBucket,
    through: dt.date,
    exclude_note_id: uuid.UUID | None = None,
) -> Decimal:
    """Allowed amounts of the calendar year of `through`, up to and including that day."""
    opening = ThresholdOpeningBalance.objects.filter(
        patient_id=patient_id, year=through.year, bucket=bucket
    ).aggregate(total=Sum("amount"))["total"] or Decimal(0)
    charges = (
        Charge.objects.filter(
            patient_id=patient_id,
            date_of_service__gte=dt.date(through.year, 1, 1),
            date_of_service__lte=through,
            note__episode__discipline__in=[str(d) for d in BUCKET_DISCIPLINES[bucket]],
            note__episode__coverage__payer__plan_kind=PayerPlan.MEDICARE_PART_B,
        )
        .exclude(status=ChargeStatus.VOID)
        .exclude(Q(note_id=exclude_note_id) if exclude_note_id else Q(pk__in=[]))
    )
    total = opening
    for charge in charges:
        total += _allowed(charge)
    return to_cents(total)


def _allowed(charge: Charge) -> Decimal:
    """The payer's allowed amount from the latest remittance of the charge's primary claim line,
    else the expected allowed amount."""
    service = (
        RemittanceService.objects.filter(
            claim_line__charge=charge, claim_line__claim__primary_claim__isnull=True
        )
        .order_by("-created_at")
        .first()
    )
    if service is None:
        return charge.expected_allowed or Decimal(0)
    responsibility = sum(
        (Decimal(str(a.get("amount", "0"))) for a in service.adjustments if a.get("group") == "PR"),
        Decimal(0),
    )
    return service.paid + responsibility
