"""The Medicare therapy threshold (KX) and the targeted medical review amount.

SSA 1833(g)(7); MCPM Pub. 100-04 ch. 5 sec. 10.3. The patient's allowed amounts for the calendar
year, OT alone and PT with SLP together, are added line by line in claim order: the line that
takes the year's total over the threshold, and every later line that year, carries KX (attesting
that medical necessity is documented in the record). Past the targeted medical review amount the
claim does not change; the clinic is told that records may be requested. Medicare Part B only.

The estimate uses the allowed amount per unit given for each line, without MPPR or the assistant
payment reduction, so it reaches the threshold no later than the payer will. Once the year's
total is at or over the threshold, every further line with a charge takes KX, even one whose
allowed amount is not known.
"""

from decimal import Decimal
from typing import NamedTuple

from otclinic.domain.billing.context import VisitContext
from otclinic.domain.billing.model import ClaimLine
from otclinic.domain.billing.modifiers import with_modifier
from otclinic.domain.billing.money import dollars, to_cents
from otclinic.domain.billing.parameters import DatedValue
from otclinic.domain.billing.services import CodeService
from otclinic.domain.codes import Discipline, PayerPlan
from otclinic.domain.compliance.findings import Finding, Rule, Severity

KX = Rule(
    rule_id="threshold.kx",
    severity=Severity.WARNING,
    citation="SSA 1833(g)(7) (Bipartisan Budget Act of 2018 sec. 50202); MCPM Pub. 100-04 ch. 5 "
    "sec. 10.3; the year's PFS final rule (rules/therapy_threshold.yaml)",
    summary="KX on the line that passes the yearly therapy threshold and every later line.",
    plain="This visit is over the patient's yearly Medicare therapy amount: the claim carries "
    "the KX modifier, which says the record shows the therapy is medically necessary. Make sure "
    "the note says why.",
)
REVIEW = Rule(
    rule_id="threshold.targeted_review",
    severity=Severity.INFO,
    citation="SSA 1833(g)(7); MCPM Pub. 100-04 ch. 5 sec. 10.3 (targeted medical review "
    "threshold; rules/targeted_review_threshold.yaml)",
    summary="The year's allowed amounts pass the targeted medical review amount.",
    plain="This patient's therapy this year is past the amount at which Medicare may ask for "
    "the records: nothing changes on the claim, but keep the notes complete.",
)
MISSING_AMOUNT = Rule(
    rule_id="threshold.allowed_amount_missing",
    severity=Severity.WARNING,
    citation="SSA 1833(g)(7); MCPM Pub. 100-04 ch. 5 sec. 10.3",
    summary="Lines without an allowed amount leave the threshold estimate incomplete.",
    plain="Some codes have no fee on file, so the yearly therapy amount could not be fully "
    "added up: ask the billing office to add the fees.",
)


class LineAmount(NamedTuple):
    """A claim line's allowed amount: per unit as given, and for its units, in cents."""

    line: ClaimLine
    per_unit: Decimal | None
    amount: Decimal  # per unit x units, in cents; zero when there is no per-unit amount

    def describe(self) -> str:
        return f"{self.line.code} {self.line.units} x {dollars(self.per_unit or Decimal(0))} = {dollars(self.amount)}"


def _line_amount(line: ClaimLine, per_unit: Decimal | None) -> LineAmount:
    amount = Decimal(0) if per_unit is None else to_cents(per_unit * line.units)
    return LineAmount(line, per_unit, amount)


def apply_threshold(
    ctx: VisitContext, merged: list[CodeService], claim: list[ClaimLine], findings: list[Finding]
) -> list[ClaimLine]:
    """KX on the lines from the one that takes the year over the threshold (Part B only)."""
    if ctx.visit.payer_plan is not PayerPlan.MEDICARE_PART_B or not claim:
        return claim
    entry = ctx.book.kx_threshold.entry_on(ctx.day)
    if entry is None:
        findings.append(
            KX.finding(
                f"no KX threshold figure for {ctx.day.year} in rules/therapy_threshold.yaml, so "
                "KX was not decided; add the year's figure from its PFS final rule"
            )
        )
        return claim
    amounts = _line_amounts(merged, claim, findings)
    first_kx, after = _crossing(ctx.visit.ytd_allowed, amounts, entry.value)
    findings.append(_kx_finding(ctx, amounts, first_kx=first_kx, after=after, entry=entry))
    _review(ctx, after, findings)
    if first_kx is None:
        return claim
    return [with_modifier(line, "KX") if i >= first_kx else line for i, line in enumerate(claim)]


def _line_amounts(
    merged: list[CodeService], claim: list[ClaimLine], findings: list[Finding]
) -> list[LineAmount]:
    per_unit = {s.code: s.allowed_amount for s in merged}
    amounts = [_line_amount(line, per_unit.get(line.code)) for line in claim]
    missing = sorted({a.line.code for a in amounts if a.per_unit is None})
    if missing:
        findings.append(
            MISSING_AMOUNT.finding(
                f"no allowed_amount for {', '.join(missing)}, so the threshold estimate leaves "
                "them out"
            )
        )
    return amounts


def _crossing(
    ytd: Decimal, amounts: list[LineAmount], threshold: Decimal
) -> tuple[int | None, Decimal]:
    """The index of the first line that takes KX, and the total after the visit.

    A line takes KX when it takes the total over the threshold, or when the total before it is
    already at or over the threshold (then any charge passes it, whether or not its allowed
    amount is known); every later line takes it too.
    """
    running = ytd
    first = None
    for i, amount in enumerate(amounts):
        if first is None and (running >= threshold or running + amount.amount > threshold):
            first = i
        running += amount.amount
    return first, running


def _kx_finding(
    ctx: VisitContext,
    amounts: list[LineAmount],
    *,
    first_kx: int | None,
    after: Decimal,
    entry: DatedValue,
) -> Finding:
    head = _kx_arithmetic(ctx, amounts, after=after, entry=entry)
    if first_kx is None:
        return KX.finding(f"{head}: not over the threshold, so no KX", severity=Severity.INFO)
    if ctx.visit.ytd_allowed >= entry.value:
        where = (
            "the year was at or over the threshold before this visit, so KX on every line with "
            "a charge"
        )
    else:
        line = amounts[first_kx].line
        where = (
            f"{line.code} {' '.join(line.modifiers)} takes the year over the threshold, so KX "
            "on it and every later line"
        )
    return KX.finding(
        f"{head}: {where}; KX attests that medical necessity is documented in the record (if the "
        "services are not medically necessary: no KX, an ABN and GA instead)"
    )


def _kx_arithmetic(
    ctx: VisitContext, amounts: list[LineAmount], *, after: Decimal, entry: DatedValue
) -> str:
    """'OT threshold for 2026: $2,480.00 (figure likely); $1,200.00 so far + this visit ...'."""
    bucket = "OT" if ctx.visit.discipline is Discipline.OT else "PT and SLP combined"
    ytd = ctx.visit.ytd_allowed
    parts = ", ".join(a.describe() for a in amounts if a.per_unit is not None)
    return (
        f"{bucket} threshold for {ctx.day.year}: {dollars(entry.value)} (figure {entry.confidence}); "
        f"{dollars(ytd)} so far + this visit {dollars(after - ytd)}"
        f"{f' ({parts})' if parts else ''} = {dollars(after)}"
    )


def _review(ctx: VisitContext, after: Decimal, findings: list[Finding]) -> None:
    entry = ctx.book.review_threshold.entry_on(ctx.day)
    if entry is not None and after > entry.value:
        findings.append(
            REVIEW.finding(
                f"{dollars(after)} allowed this year is over the targeted medical review amount "
                f"of {dollars(entry.value)}: nothing changes on the claim, but the MAC may "
                "request records"
            )
        )
