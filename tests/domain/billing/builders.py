"""Small builders that make billing test cases read like the reference's examples."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

from otclinic.domain.billing import Decision, ServiceLine, Visit
from otclinic.domain.codes import PayerPlan

DAY = date(2026, 3, 12)


def line(
    code: str,
    ot: int = 0,
    ota: int = 0,
    *,
    together: int = 0,
    amount: str | None = None,
    separate: bool = False,
) -> ServiceLine:
    """A service line: minutes by the therapist alone, the assistant alone, and together."""
    return ServiceLine(
        code=code,
        therapist_minutes=ot,
        assistant_minutes=ota,
        together_minutes=together,
        allowed_amount=None if amount is None else Decimal(amount),
        separate_time_block=separate,
    )


def visit(
    *lines: ServiceLine, plan: PayerPlan = PayerPlan.MEDICARE_PART_B, **fields: object
) -> Visit:
    base = Visit(date_of_service=DAY, payer_plan=plan, lines=tuple(lines))
    return replace(base, **fields)  # type: ignore[arg-type]


def claim(decision: Decision) -> list[tuple[str, int, tuple[str, ...]]]:
    """The claim lines as (code, units, modifiers)."""
    return [(c.code, c.units, c.modifiers) for c in decision.lines]


def units_by_code(decision: Decision) -> dict[str, int]:
    """All units of each code, whatever its modifiers."""
    totals: dict[str, int] = {}
    for c in decision.lines:
        totals[c.code] = totals.get(c.code, 0) + c.units
    return totals


def rule_ids(decision: Decision) -> list[str]:
    return [f.rule_id for f in decision.findings]


def finding(decision: Decision, rule_id: str) -> str:
    """The message of the one finding with this rule id (fails when there is none or several)."""
    (message,) = [f.message for f in decision.findings if f.rule_id == rule_id]
    return message


def severity(decision: Decision, rule_id: str) -> str:
    (found,) = [str(f.severity) for f in decision.findings if f.rule_id == rule_id]
    return found
