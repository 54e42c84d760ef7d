"""Keeping the balances (`models_ledger`) equal to the ledger, in the transaction that writes it.

Every ledger entry reaches the database through `LedgerEntry.objects.bulk_create`, `create` or
`save` (a new entry), and each of them calls `keep_balances` with the entries it wrote, so a
writer added later (a crossover, a replacement claim) keeps them without knowing they exist.
Entries are never changed or deleted once written (`LedgerQuerySet` refuses it): a correction
is a new entry.

Each kept row is added to, never recomputed: the rows are made when missing (an insert that
ignores a row already there), locked in key order (so two writers never wait on each other in a
cycle), then increased by one UPDATE per table. The sums are exact, whatever runs concurrently.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Case, F, Value, When

from otclinic.clinic.revenue.models_ledger import ClaimBalance, LedgerDay, PatientBalance

ZERO = Decimal("0.00")
PAID_KINDS = frozenset({"payer_payment", "patient_payment", "refund"})
DAY_FIELDS = ("charges", "payments", "contractual", "total", "entries")
CHUNK = 1000


def keep_balances(entries: Iterable[Any]) -> None:
    """Add `entries` (just written) to the claims', patients' and days' kept balances."""
    claims: dict[tuple[Any, ...], dict[str, Decimal]] = defaultdict(_zero)
    patients: dict[tuple[Any, ...], dict[str, Decimal]] = defaultdict(_zero)
    days: dict[tuple[Any, ...], dict[str, Decimal]] = defaultdict(zero_day)
    facts: dict[tuple[Any, ...], dict[str, Any]] = {}
    for entry in entries:
        amount = Decimal(entry.amount)
        org = {"organization_id": entry.organization_id}
        if entry.claim_id is not None:
            key = (entry.claim_id, entry.responsibility)
            claims[key]["amount"] += amount
            facts[key] = {**org, "patient_id": entry.patient_id}
        if entry.responsibility == "patient":
            patients[(entry.patient_id,)]["amount"] += amount
            facts[(entry.patient_id,)] = org
        day = days[(entry.organization_id, entry.posted_on)]
        for name, value in day_amounts(entry.kind, entry.group_code, amount).items():
            day[name] += value
    _add(ClaimBalance, ("claim_id", "responsibility"), claims, facts)
    _add(PatientBalance, ("patient_id",), patients, facts)
    _add(LedgerDay, ("organization_id", "day"), days, facts)


def day_amounts(kind: str, group_code: str, amount: Decimal) -> dict[str, Decimal]:
    """What one entry adds to its day's totals (`LedgerDay`)."""
    return {
        "charges": amount if kind == "charge" else ZERO,
        "payments": amount if kind in PAID_KINDS else ZERO,
        "contractual": amount if kind == "adjustment" and group_code == "CO" else ZERO,
        "total": amount,
        "entries": Decimal(1),
    }


def _zero() -> dict[str, Decimal]:
    return {"amount": ZERO}


def zero_day() -> dict[str, Decimal]:
    return dict.fromkeys(DAY_FIELDS, ZERO)


def _add(
    model: Any,
    key_fields: Sequence[str],
    deltas: dict[tuple[Any, ...], dict[str, Decimal]],
    facts: dict[tuple[Any, ...], dict[str, Any]],
) -> None:
    """Add each key's amounts to its row of `model`, making the rows that are missing."""
    keys = sorted((k for k, amounts in deltas.items() if any(amounts.values())), key=str)
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        model.objects.bulk_create(
            [
                model(**dict(zip(key_fields, key, strict=True)), **facts.get(key, {}))
                for key in chunk
            ],
            ignore_conflicts=True,
        )
        within = {f"{name}__in": {key[i] for key in chunk} for i, name in enumerate(key_fields)}
        rows = model.objects.select_for_update().filter(**within).order_by("pk")
        wanted = set(chunk)
        pks = {
            tuple(row[1:]): row[0]
            for row in rows.values_list("pk", *key_fields)
            if tuple(row[1:]) in wanted
        }
        model.objects.filter(pk__in=pks.values()).update(
            **{name: F(name) + _case(model, pks, deltas, name) for name in deltas[chunk[0]]}
        )


def _case(
    model: Any, pks: dict[Any, Any], deltas: dict[Any, dict[str, Decimal]], name: str
) -> Case:
    """Each row's amount to add to `name`, by primary key."""
    whens = [
        When(pk=pk, then=Value(deltas[key][name])) for key, pk in pks.items() if deltas[key][name]
    ]
    return Case(*whens, default=Value(0), output_field=model._meta.get_field(name))
