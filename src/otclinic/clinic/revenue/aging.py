"""Accounts receivable aging by payer or by patient: what is still owed, and for how long.

Age counts from the claim's first date of service, or from the day it was first submitted (the
user picks; a claim not yet submitted counts from its first date of service). Buckets: 0-30,
31-60, 61-90, 91-120 and over 120 days.

Each claim's open balance per responsibility is kept from the ledger (`ClaimBalance`, written
with the entries): by payer, the payer's part is aged under the claim's payer and the patient's
part under "Patient responsibility"; by patient, each patient's own part. Entries on no claim
are aged from their posting date. So the buckets add up to the ledger's total (by patient: to
the patients' balances). For a past day with entries posted after it, the kept balances are not
that day's, and the report sums the ledger's entries up to that day instead.
"""

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.db.models import Case, F, IntegerField, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from otclinic.clinic.revenue.models import ClaimBalance, LedgerDay, LedgerEntry

BUCKETS = ("0-30", "31-60", "61-90", "91-120", "120+")
LIMITS = (30, 60, 90, 120)
PATIENT_ROW = "Patient responsibility"
NO_CLAIM_ROW = "Not on a claim"
ZERO = Decimal("0.00")


def bucket_of(days: int) -> int:
    """The bucket index for an age in days: 0-30 is 0, ..., over 120 is 4."""
    return next((i for i, limit in enumerate(LIMITS) if days <= limit), len(LIMITS))


@dataclass
class AgingRow:
    payer: str
    buckets: list[Decimal] = field(default_factory=lambda: [ZERO] * len(BUCKETS))

    @property
    def total(self) -> Decimal:
        return sum(self.buckets, ZERO)


@dataclass
class AgingReport:
    """Rows by payer (`payer` is the row's label: a payer's name, or a patient's by patient)."""

    as_of: date
    rows: list[AgingRow]
    by: str = "payer"
    age_from: str = "service"

    @property
    def totals(self) -> list[Decimal]:
        return [sum((r.buckets[i] for r in self.rows), ZERO) for i in range(len(BUCKETS))]

    @property
    def total(self) -> Decimal:
        return sum(self.totals, ZERO)


class AgeFrom(StrEnum):
    """What the age of a claim's balance counts from."""

    SERVICE = "service"
    SUBMISSION = "submission"


class AgingBy(StrEnum):
    PAYER = "payer"
    PATIENT = "patient"


def aging_report(
    *,
    organization_id: uuid.UUID,
    as_of: date,
    age_from: AgeFrom = AgeFrom.SERVICE,
    by: AgingBy = AgingBy.PAYER,
) -> AgingReport:
    """Open balances of one organization on `as_of`, per payer (or patient) and age bucket: two
    aggregate queries over the open kept balances, or over the ledger for a past day."""
    past = _is_past(organization_id, as_of)
    if past:
        on_claims: Any = LedgerEntry.objects.for_org(organization_id).filter(
            posted_on__lte=as_of, claim__isnull=False
        )
    else:
        on_claims = ClaimBalance.objects.for_org(organization_id).exclude(amount=0)
    loose = LedgerEntry.objects.for_org(organization_id).filter(claim__isnull=True)
    if past:
        loose = loose.filter(posted_on__lte=as_of)
    aged = on_claims.annotate(aged_from=_aged_from(age_from)).annotate(
        bucket=_bucket("aged_from", as_of)
    )
    loose = loose.annotate(bucket=_bucket("posted_on", as_of))
    if by == AgingBy.PATIENT:
        rows = _by_patient(
            aged.filter(responsibility="patient"), loose.filter(responsibility="patient")
        )
    else:
        rows = _by_payer(aged, loose)
    ordered = sorted(rows.values(), key=lambda r: (r.payer in {PATIENT_ROW, NO_CLAIM_ROW}, r.payer))
    return AgingReport(
        as_of=as_of, rows=[r for r in ordered if any(r.buckets)], by=by, age_from=age_from
    )


def open_total(*, organization_id: uuid.UUID, as_of: date) -> Decimal:
    """What is open on `as_of`, every payer's part and every patient's: the report's total,
    summed without its rows (two sums with no join), or the report itself for a past day."""
    if _is_past(organization_id, as_of):
        return aging_report(organization_id=organization_id, as_of=as_of).total
    balances = ClaimBalance.objects.for_org(organization_id).exclude(amount=0)
    loose = LedgerEntry.objects.for_org(organization_id).filter(claim__isnull=True)
    sums = [query.aggregate(total=Sum("amount"))["total"] for query in (balances, loose)]
    # SQLite's SUM drops the two decimal places; money always shows them.
    return sum((Decimal(value or 0).quantize(ZERO) for value in sums), ZERO)


def _is_past(organization_id: uuid.UUID, as_of: date) -> bool:
    """Whether `as_of` is a day before today with entries posted after it: the kept balances
    are not that day's. From today on they are (an entry dated later is on the ledger now)."""
    if as_of >= timezone.localdate():
        return False
    return LedgerDay.objects.for_org(organization_id).filter(day__gt=as_of).exists()


def _aged_from(age_from: AgeFrom) -> Coalesce | F:
    if age_from == AgeFrom.SUBMISSION:
        return Coalesce("claim__first_submitted_on", "claim__first_service_on")
    return F("claim__first_service_on")


def _by_payer(aged: Any, loose: Any) -> dict[Any, AgingRow]:
    # Keyed by payer id (two payers may share a name), or by the row's label for the others.
    rows: dict[Any, AgingRow] = defaultdict(lambda: AgingRow(payer=""))
    per_payer = (
        aged.values(
            "claim__coverage__payer_id", "claim__coverage__payer__name", "responsibility", "bucket"
        )
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for balance in per_payer:
        if balance["responsibility"] == "patient":
            key, payer = PATIENT_ROW, PATIENT_ROW
        else:
            key, payer = (
                balance["claim__coverage__payer_id"],
                balance["claim__coverage__payer__name"],
            )
        _add(rows, key, payer, balance["bucket"], balance["total"])
    for balance in loose.values("bucket").annotate(total=Sum("amount")).order_by():
        _add(rows, NO_CLAIM_ROW, NO_CLAIM_ROW, balance["bucket"], balance["total"])
    return rows


def _by_patient(aged: Any, loose: Any) -> dict[Any, AgingRow]:
    """The patients' own balances (a credit on no claim is aged from its posting date)."""
    rows: dict[Any, AgingRow] = defaultdict(lambda: AgingRow(payer=""))
    fields = ("patient_id", "patient__last_name", "patient__first_name", "patient__mrn", "bucket")
    for query in (aged, loose):
        for balance in query.values(*fields).annotate(total=Sum("amount")).order_by():
            name = f"{balance['patient__last_name']}, {balance['patient__first_name']}"
            label = f"{name} ({balance['patient__mrn']})"
            _add(rows, balance["patient_id"], label, balance["bucket"], balance["total"])
    return rows


def _bucket(field: str, as_of: date) -> Case:
    """The bucket index (`bucket_of`) of the age of `field` on `as_of`, as a SQL expression: a
    date after `as_of` is in the first bucket, like an age of 0 days."""
    whens = [
        When(**{f"{field}__gte": as_of - timedelta(days=limit)}, then=Value(index))
        for index, limit in enumerate(LIMITS)
    ]
    return Case(*whens, default=Value(len(LIMITS)), output_field=IntegerField())


def _add(rows: dict[Any, AgingRow], key: Any, payer: str, bucket: int, amount: Any) -> None:
    if not amount:
        return
    row = rows[key]
    row.payer = payer
    # SQLite's SUM drops the two decimal places; money always shows them.
    row.buckets[bucket] += Decimal(amount).quantize(ZERO)
