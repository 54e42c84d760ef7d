"""The A/R key figures a billing office watches, from the ledger and the remittances:

- **days in A/R**: what is open on the last day, divided by the average charges per day over the
  period (charges on the ledger by their posting date, from each day's kept totals);
- **net collection rate**: payments (payers' and patients', less refunds) over the period,
  divided by its charges less its contractual adjustments (group CO), in percent;
- **denial rate by payer**: of the claims a payer answered in the period (a remittance claim
  matched to a claim), the share with a denial; **denials by CARC**: each reason's count and
  amount, largest first.

Each is one or two aggregate queries; the period is given by its last day and its length.
"""

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum

from otclinic.clinic.common.days import days_filter
from otclinic.clinic.revenue.aging import open_total
from otclinic.clinic.revenue.models import Denial, LedgerDay, RemittanceClaim

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class PayerDenials:
    payer: str
    answered: int
    denied: int

    @property
    def rate(self) -> Decimal:
        return (Decimal(100) * self.denied / self.answered).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class CarcDenials:
    carc: str
    count: int
    amount: Decimal


@dataclass(frozen=True)
class KeyFigures:
    first_day: dt.date
    last_day: dt.date
    charges: Decimal
    payments: Decimal
    contractual: Decimal
    open_ar: Decimal
    by_payer: list[PayerDenials]
    by_carc: list[CarcDenials]

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    @property
    def days_in_ar(self) -> Decimal | None:
        if self.charges <= ZERO:
            return None
        return (self.open_ar / (self.charges / self.days)).quantize(Decimal("0.1"))

    @property
    def net_collection_rate(self) -> Decimal | None:
        collectible = self.charges - self.contractual
        if collectible <= ZERO:
            return None
        return (Decimal(100) * self.payments / collectible).quantize(Decimal("0.1"))


def _money(value: Any) -> Decimal:
    return Decimal(value or 0).quantize(CENT)


def key_figures(
    *, organization_id: uuid.UUID, last_day: dt.date, days: int = 90, open_ar: Decimal | None = None
) -> KeyFigures:
    """The figures over the `days` ending on `last_day`; `open_ar` is the aging total on that
    day when the caller has it already (the aging page)."""
    first_day = last_day - dt.timedelta(days=days - 1)
    # Each day's totals are kept with the ledger (`LedgerDay`): at most `days` rows to add.
    sums = (
        LedgerDay.objects.for_org(organization_id)
        .filter(day__range=(first_day, last_day))
        .aggregate(charges=Sum("charges"), payments=Sum("payments"), contractual=Sum("contractual"))
    )
    # Whether a remittance claim has a denial: looked up in the set of those that do (one pass
    # over the denials, hashed), not joined, which would repeat it once per denied line.
    with_denials = Denial.objects.for_org(organization_id).values("remittance_claim_id")
    denied = Q(pk__in=with_denials)
    answered = (
        RemittanceClaim.objects.for_org(organization_id)
        .filter(claim__isnull=False, **days_filter("created_at", first_day, last_day))
        .values("claim__coverage__payer__name")
        .annotate(
            answered=Count("claim", distinct=True),
            denied=Count("claim", distinct=True, filter=denied),
        )
        .order_by("claim__coverage__payer__name")
    )
    carcs = (
        Denial.objects.for_org(organization_id)
        .filter(**days_filter("created_at", first_day, last_day))
        .values("reason_code")
        .annotate(count=Count("pk"), amount=Sum("amount"))
        .order_by("-count", "reason_code")
    )
    return KeyFigures(
        first_day=first_day,
        last_day=last_day,
        charges=_money(sums["charges"]),
        payments=-_money(sums["payments"]),
        contractual=-_money(sums["contractual"]),
        open_ar=open_ar
        if open_ar is not None
        else open_total(organization_id=organization_id, as_of=last_day),
        by_payer=[
            PayerDenials(row["claim__coverage__payer__name"], row["answered"], row["denied"])
            for row in answered
            if row["answered"]
        ],
        by_carc=[
            CarcDenials(row["reason_code"], row["count"], _money(row["amount"])) for row in carcs
        ],
    )
