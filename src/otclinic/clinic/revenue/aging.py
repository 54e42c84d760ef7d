"""Accounts receivable aging by payer: what is still owed, and how long it has been owed.

Age counts from the claim's first date of service, not the submission date: every claim has a
service date (a draft or paper claim may have no submission time), and payers' timely-filing
limits count from it too. Buckets: 0-30, 31-60, 61-90, 91-120 and over 120 days.

Each claim's open balance is the sum of its ledger entries, split by responsibility: the payer's
part is aged under the claim's payer, the patient's part under "Patient responsibility". Entries
on no claim are aged from their posting date. So the buckets add up to the ledger's total.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Case, IntegerField, Sum, Value, When

from otclinic.clinic.revenue.models import LedgerEntry

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
    as_of: date
    rows: list[AgingRow]

    @property
    def totals(self) -> list[Decimal]:
        return [sum((r.buckets[i] for r in self.rows), ZERO) for i in range(len(BUCKETS))]

    @property
    def total(self) -> Decimal:
        return sum(self.totals, ZERO)


def aging_report(*, organization_id: Any, as_of: date) -> AgingReport:
    """Open balances of one organization on `as_of`, per payer and age bucket: two aggregate
    queries that sum the ledger by payer, responsibility and bucket in the database."""
    # Keyed by payer id (two payers may share a name), or by the row's label for the others.
    rows: dict[Any, AgingRow] = defaultdict(lambda: AgingRow(payer=""))
    entries = LedgerEntry.objects.for_org(organization_id).filter(posted_on__lte=as_of)
    # A claim's balance is the sum of its entries, so summing the entries of every claim in a
    # bucket gives the bucket's total at once (claims with nothing left add nothing).
    per_payer = (
        entries.filter(claim__isnull=False)
        .annotate(bucket=_bucket("claim__first_service_on", as_of))
        .values(
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
    loose = (
        entries.filter(claim__isnull=True)
        .annotate(bucket=_bucket("posted_on", as_of))
        .values("bucket")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for balance in loose:
        _add(rows, NO_CLAIM_ROW, NO_CLAIM_ROW, balance["bucket"], balance["total"])
    ordered = sorted(rows.values(), key=lambda r: (r.payer in {PATIENT_ROW, NO_CLAIM_ROW}, r.payer))
    return AgingReport(as_of=as_of, rows=[r for r in ordered if any(r.buckets)])


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
