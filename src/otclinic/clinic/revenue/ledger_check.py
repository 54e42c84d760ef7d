"""Whether the kept balances (`models_ledger`) still equal the ledger they are kept from."""

import uuid
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum

from otclinic.clinic.revenue.ledger import DAY_FIELDS, day_amounts, zero_day
from otclinic.clinic.revenue.models import LedgerEntry
from otclinic.clinic.revenue.models_ledger import ClaimBalance, LedgerDay, PatientBalance


def _cents(value: Any) -> Decimal:
    """A sum as money. SQLite sums decimal columns as binary floats (0.1 + 0.2 comes back as
    0.30000000000000004), so every sum is compared in cents."""
    return Decimal(value or 0).quantize(Decimal("0.01"))


def _differences(what: str, ledger: dict[Any, Any], kept: dict[Any, Any]) -> list[str]:
    return [
        f"{what} {key}: ledger {_cents(ledger.get(key))}, kept {_cents(kept.get(key))}"
        for key in sorted(set(ledger) | set(kept), key=str)
        if _cents(ledger.get(key)) != _cents(kept.get(key))
    ]


def balances_differ(*, organization_id: uuid.UUID) -> list[str]:
    """Where the kept balances of one organization differ from its ledger (empty: nowhere)."""
    entries = LedgerEntry.objects.for_org(organization_id)
    found: list[str] = []
    by_claim = entries.filter(claim__isnull=False).values("claim_id", "responsibility")
    ledger: dict[object, Decimal] = {
        (r["claim_id"], r["responsibility"]): r["total"]
        for r in by_claim.annotate(total=Sum("amount")).order_by()
    }
    kept: dict[object, Decimal] = {
        (r.claim_id, r.responsibility): r.amount
        for r in ClaimBalance.objects.for_org(organization_id)
    }
    found += _differences("claim", ledger, kept)
    by_patient = entries.filter(responsibility="patient").values("patient_id")
    ledger = {
        r["patient_id"]: r["total"] for r in by_patient.annotate(total=Sum("amount")).order_by()
    }
    kept = {r.patient_id: r.amount for r in PatientBalance.objects.for_org(organization_id)}
    found += _differences("patient", ledger, kept)
    ledger_days: dict[Any, dict[str, Decimal]] = defaultdict(zero_day)
    by_day = entries.values("posted_on", "kind", "group_code")
    for row in by_day.annotate(total=Sum("amount"), n=Count("pk")).order_by():
        amounts = day_amounts(row["kind"], row["group_code"], Decimal(row["total"]))
        amounts["entries"] = Decimal(row["n"])
        for name, value in amounts.items():
            ledger_days[row["posted_on"]][name] += value
    kept_days = {
        d.day: {name: getattr(d, name) for name in DAY_FIELDS}
        for d in LedgerDay.objects.for_org(organization_id)
    }
    for day in sorted(set(ledger_days) | set(kept_days)):
        want, have = ledger_days.get(day, zero_day()), kept_days.get(day, zero_day())
        found += [
            f"day {day} {n}: ledger {want[n]}, kept {have[n]}"
            for n in DAY_FIELDS
            if _cents(want[n]) != _cents(have[n])
        ]
    return found
