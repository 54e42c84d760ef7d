"""What a payer is expected to allow for one patient's services on one day.

Two reductions, applied in this order, as Medicare pays therapy under the Physician Fee Schedule:

1. Multiple procedure payment reduction (MPPR, since April 2013; American Taxpayer Relief Act of
   2012 sec. 633, CY2013 PFS): among
   all units furnished to the patient that day, the one unit with the highest practice-expense
   (PE) amount is paid in full; every other unit loses 50% of its PE portion.
2. Assistant payment differential (SSA 1834(v); CY2022 PFS final rule): a line furnished in
   whole or in part by an assistant (modifier CO for OT, CQ for PT) is paid at 85% from 2022,
   in full before (rules/assistant_modifier.yaml, `payment_percent`, by date of service).

The payer applies both; the clinic uses the estimate to know what to expect and for the
year-to-date allowed amount behind the therapy threshold (KX). Amounts are rounded to cents
once per line, at the end, by `to_cents`.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from otclinic.domain.billing.money import to_cents
from otclinic.domain.billing.rulebook import default_rulebook

ASSISTANT_MODIFIERS = frozenset({"CO", "CQ"})
MPPR_PE_REDUCTION = Decimal("0.50")


@dataclass(frozen=True, slots=True)
class EstimateLine:
    """One claim line: its code, units, modifiers, and the fee schedule's amounts per unit.

    `allowed_per_unit` is the full allowed amount of one unit; `practice_expense_per_unit` its
    PE portion (None when the schedule does not say: the unit is then never reduced by MPPR).
    """

    code: str
    units: int
    modifiers: tuple[str, ...]
    allowed_per_unit: Decimal
    practice_expense_per_unit: Decimal | None = None

    @property
    def by_assistant(self) -> bool:
        return bool(ASSISTANT_MODIFIERS.intersection(self.modifiers))


@dataclass(frozen=True, slots=True)
class Estimate:
    """The expected allowed amount of each line (in input order) and of the day."""

    lines: tuple[Decimal, ...]

    @property
    def total(self) -> Decimal:
        return sum(self.lines, Decimal("0.00"))


def assistant_share(date_of_service: date) -> Decimal:
    """The share of the fee paid for an assistant's line on that date (0.85 from 2022)."""
    entry = default_rulebook().assistant_rules.entry_on(date_of_service)
    percent = entry.value["payment_percent"] if entry is not None else 100
    return Decimal(percent) / 100


def estimate_allowed(lines: Sequence[EstimateLine], *, date_of_service: date) -> Estimate:
    """The expected allowed amounts for one patient's lines on one day (MPPR, then the
    assistant's share)."""
    for line in lines:
        if line.units < 0 or line.allowed_per_unit < 0:
            raise ValueError(f"{line.code}: units and amounts cannot be negative")
    full_unit = _full_price_line(lines)
    share = assistant_share(date_of_service)
    return Estimate(
        tuple(
            _line_amount(line, full=index == full_unit, share=share)
            for index, line in enumerate(lines)
        )
    )


def _full_price_line(lines: Sequence[EstimateLine]) -> int | None:
    """The line holding the unit with the highest PE amount; the first such line on a tie."""
    best: int | None = None
    for index, line in enumerate(lines):
        if line.units < 1 or line.practice_expense_per_unit is None:
            continue
        best_pe = lines[best].practice_expense_per_unit if best is not None else None
        if best_pe is None or line.practice_expense_per_unit > best_pe:
            best = index
    return best


def _line_amount(line: EstimateLine, *, full: bool, share: Decimal) -> Decimal:
    pe = line.practice_expense_per_unit or Decimal(0)
    reduced_units = line.units - 1 if full else line.units
    amount = line.allowed_per_unit * line.units - pe * MPPR_PE_REDUCTION * max(reduced_units, 0)
    if line.by_assistant:
        amount *= share
    return to_cents(amount)
