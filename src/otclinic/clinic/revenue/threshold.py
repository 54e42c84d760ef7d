"""The patient's year-to-date allowed amount behind the Medicare therapy threshold (KX).

SSA 1833(g); MCPM Pub. 100-04 ch. 5 sec. 10.3: Medicare allowed amounts per calendar year, OT
alone and PT with SLP together, across all providers. Ours come from our own Medicare Part B
charges: the payer's allowed amount (paid plus patient responsibility) once a remittance has been
posted for the line, else the charge's expected allowed amount. Care at other providers comes
from the opening balance a biller enters by hand.

`ytd_ledger` reads every amount a batch of patients needs in three queries whatever the number of
charges (the opening balances, the charges with the id of their latest remittance line, and those
remittance lines), so a charge run does not query per charge;
`YtdLedger.add` counts the charges the run creates as it goes, in date order.
"""

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import F, OuterRef, Subquery

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

# (patient, bucket, year) -> [(date of service, note, allowed amount)]
_Key = tuple[uuid.UUID, str, int]


def bucket_for(discipline: str) -> ThresholdBucket:
    return ThresholdBucket.OT if discipline == Discipline.OT else ThresholdBucket.PT_SLP


@dataclass
class YtdLedger:
    """Opening balances and allowed amounts of Medicare Part B charges, per patient, bucket and
    calendar year, for the patients and years it was loaded for."""

    openings: dict[_Key, Decimal] = field(default_factory=dict)
    amounts: dict[_Key, list[tuple[dt.date, uuid.UUID, Decimal]]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def total(
        self,
        *,
        patient_id: uuid.UUID,
        bucket: ThresholdBucket,
        through: dt.date,
        exclude_note_id: uuid.UUID | None = None,
    ) -> Decimal:
        """Allowed amounts of the calendar year of `through`, up to and including that day."""
        key = (patient_id, str(bucket), through.year)
        total = self.openings.get(key, Decimal(0))
        for day, note_id, amount in self.amounts.get(key, ()):
            if day <= through and note_id != exclude_note_id:
                total += amount
        return to_cents(total)

    def add(
        self,
        *,
        patient_id: uuid.UUID,
        bucket: ThresholdBucket,
        day: dt.date,
        note_id: uuid.UUID,
        amount: Decimal,
    ) -> None:
        """Count a charge created since the ledger was read (its expected allowed amount)."""
        self.amounts[(patient_id, str(bucket), day.year)].append((day, note_id, amount))


def ytd_ledger(*, patient_ids: Iterable[uuid.UUID], years: Iterable[int]) -> YtdLedger:
    """The ledger of `patient_ids` over `years`: three queries, whatever the number of charges."""
    patients, years = set(patient_ids), sorted(set(years))
    ledger = YtdLedger()
    if not patients or not years:
        return ledger
    for row in ThresholdOpeningBalance.objects.filter(
        patient_id__in=patients, year__in=years
    ).values("patient_id", "year", "bucket", "amount"):
        key = (row["patient_id"], str(row["bucket"]), row["year"])
        ledger.openings[key] = ledger.openings.get(key, Decimal(0)) + row["amount"]
    for charge in _charges(patients, years):
        key = (
            charge["patient_id"],
            str(bucket_for(charge["discipline"])),
            charge["date_of_service"].year,
        )
        ledger.amounts[key].append(
            (charge["date_of_service"], charge["note_id"], charge["allowed"])
        )
    return ledger


def _charges(patients: set[uuid.UUID], years: list[int]) -> list[dict[str, Any]]:
    """The patients' live Medicare Part B charges of `years`, each with its allowed amount: the
    latest remittance of its primary claim line (paid plus patient responsibility), else the
    expected allowed amount."""
    latest = (
        RemittanceService.objects.filter(
            claim_line__charge=OuterRef("pk"), claim_line__claim__primary_claim__isnull=True
        )
        .order_by("-created_at")
        .values("pk")[:1]
    )
    rows = list(
        Charge.objects.filter(
            patient_id__in=patients,
            date_of_service__gte=dt.date(years[0], 1, 1),
            date_of_service__lte=dt.date(years[-1], 12, 31),
            note__episode__coverage__payer__plan_kind=PayerPlan.MEDICARE_PART_B,
        )
        .exclude(status=ChargeStatus.VOID)
        .annotate(service_id=Subquery(latest), discipline=F("note__episode__discipline"))
        .values(
            "patient_id",
            "note_id",
            "date_of_service",
            "expected_allowed",
            "service_id",
            "discipline",
        )
    )
    services = _remitted(row["service_id"] for row in rows if row["service_id"] is not None)
    for row in rows:
        remitted = services.get(row["service_id"])
        row["allowed"] = remitted if remitted is not None else row["expected_allowed"] or Decimal(0)
    return rows


def _remitted(ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Decimal]:
    """Paid plus patient responsibility (group PR adjustments) of each remittance line."""
    found = {}
    for service in RemittanceService.objects.filter(pk__in=set(ids)).only("paid", "adjustments"):
        responsibility = sum(
            (
                Decimal(str(a.get("amount", "0")))
                for a in service.adjustments
                if a.get("group") == "PR"
            ),
            Decimal(0),
        )
        found[service.pk] = service.paid + responsibility
    return found


def ytd_allowed(
    *,
    patient_id: uuid.UUID,
    bucket: ThresholdBucket,
    through: dt.date,
    exclude_note_id: uuid.UUID | None = None,
) -> Decimal:
    """Allowed amounts of the calendar year of `through`, up to and including that day."""
    ledger = ytd_ledger(patient_ids=[patient_id], years=[through.year])
    return ledger.total(
        patient_id=patient_id, bucket=bucket, through=through, exclude_note_id=exclude_note_id
    )
