"""NCCI edits: procedure-to-procedure pairs and medically unlikely edits (MUEs).

PTP (NCCI Policy Manual ch. XI; CMS's quarterly PTP file): a column-2 code is not payable with
its column-1 code on the same day. With modifier indicator 1 the pair may be billed when the
services were distinct (separate time blocks), shown by 59 on the column-2 code; with indicator 0
never; 9 means the edit does not apply. A modifier must not be used just to pass an edit, so 59
is added only where the clinician attests a separate time block, and only where an edit needs it.
MUE (CMS's quarterly practitioner MUE file): the most units of a code per patient per day (per
line with adjudication indicator 1). The edits apply to every payer but self-pay: Medicare and
Medicaid use them, and most other payers adopt them.
"""

from otclinic.domain.billing.context import VisitContext
from otclinic.domain.billing.model import ClaimLine
from otclinic.domain.billing.modifiers import with_modifier
from otclinic.domain.billing.ncci_tables import PtpEdit
from otclinic.domain.billing.services import CodeService
from otclinic.domain.codes import PayerPlan
from otclinic.domain.compliance.findings import Finding, Rule, Severity

DISTINCT_MODIFIER = "59"
PTP = Rule(
    rule_id="ncci.ptp",
    severity=Severity.ERROR,
    citation="NCCI Policy Manual ch. XI; CMS quarterly practitioner PTP file "
    "(rules/ncci_ptp_practitioner.csv)",
    summary="A column-2 code billed with its column-1 code on the same day.",
)
MODIFIER_NOT_NEEDED = Rule(
    rule_id="ncci.separate_time_block_unused",
    severity=Severity.INFO,
    citation="NCCI Policy Manual ch. XI (a modifier must not be used just to pass an edit)",
    summary="A separate time block was attested where no edit needs it.",
)
MUE = Rule(
    rule_id="ncci.mue",
    severity=Severity.ERROR,
    citation="NCCI Policy Manual ch. I sec. V; CMS quarterly practitioner MUE file "
    "(rules/ncci_mue_practitioner.csv)",
    summary="More units of a code than its MUE allows.",
)


def apply_ptp(
    ctx: VisitContext, merged: list[CodeService], claim: list[ClaimLine], findings: list[Finding]
) -> list[ClaimLine]:
    """Report every PTP pair billed together; put 59 on attested column-2 codes."""
    if ctx.visit.payer_plan is PayerPlan.SELF_PAY:
        return claim
    attested = {s.code for s in merged if s.separate_time_block}
    # Only codes that appear in some edit can form a pair: most visits stop here.
    ptp_codes = ctx.book.ptp_codes
    if not attested and len({line.code for line in claim if line.code in ptp_codes}) < 2:
        return claim
    billed = list(dict.fromkeys([line.code for line in claim]))
    paired = [code for code in billed if code in ptp_codes]
    marked: set[str] = set()
    for edit in _edits_among(ctx, paired):
        findings.append(_ptp_finding(edit, attested=edit.column_2 in attested))
        if edit.modifier_indicator == 1 and edit.column_2 in attested:
            marked.add(edit.column_2)
    if attested:
        _report_unused(attested & set(billed) - marked, findings)
    return [
        with_modifier(line, DISTINCT_MODIFIER) if line.code in marked else line for line in claim
    ]


def _edits_among(ctx: VisitContext, codes: list[str]) -> list[PtpEdit]:
    """The edits in force between any two of the codes, in the order the codes are billed."""
    if len(codes) < 2:
        return []
    return [
        edit
        for first in codes
        for second in codes
        for edit in ctx.book.ptp.get((first, second), ())
        if edit.in_force_on(ctx.day) and edit.modifier_indicator != 9
    ]


def _ptp_finding(edit: PtpEdit, *, attested: bool) -> Finding:
    pair = (
        f"{edit.column_2} is column 2 of {edit.column_1} (modifier indicator "
        f"{edit.modifier_indicator}; {edit.rationale or 'no rationale given'})"
    )
    if edit.modifier_indicator == 0:
        return PTP.finding(
            f"{pair}: never payable together on one day, and no modifier overrides it"
        )
    if attested:
        return PTP.finding(
            f"{pair}: a separate time block is attested, so {DISTINCT_MODIFIER} on {edit.column_2}",
            severity=Severity.INFO,
        )
    return PTP.finding(
        f"{pair}: not payable together unless done in a separate time block; if it was, mark "
        f"the {edit.column_2} line as a separate time block (that adds {DISTINCT_MODIFIER})"
    )


def _report_unused(codes: set[str], findings: list[Finding]) -> None:
    for code in sorted(codes):
        findings.append(
            MODIFIER_NOT_NEEDED.finding(
                f"{code} attests a separate time block, but no PTP edit pairs it as column 2 with "
                f"another code billed today, so no {DISTINCT_MODIFIER}"
            )
        )


def edits_raised(ctx: VisitContext, billed: dict[str, int]) -> list[str]:
    """The NCCI edits a day's billed codes (code: units) would raise, in words: PTP pairs in
    force among them and units over an MUE. Self-pay claims raise none."""
    if ctx.visit.payer_plan is PayerPlan.SELF_PAY:
        return []
    paired = sorted(code for code in billed if code in ctx.book.ptp_codes)
    raised = [
        f"{edit.column_1} with {edit.column_2}, a PTP pair" for edit in _edits_among(ctx, paired)
    ]
    for code, units in sorted(billed.items()):
        limit = ctx.book.mue.get(code)
        if limit is not None and units > limit.units:
            raised.append(f"{code} {units} units, over its MUE of {limit.units}")
    return raised


def check_mue(ctx: VisitContext, claim: list[ClaimLine], findings: list[Finding]) -> None:
    """Report units over a code's MUE: per line (indicator 1) or per day (2 and 3)."""
    if ctx.visit.payer_plan is PayerPlan.SELF_PAY or not ctx.book.mue:
        return
    per_day: dict[str, int] = {}
    per_line: dict[str, int] = {}
    for line in claim:
        per_day[line.code] = per_day.get(line.code, 0) + line.units
        per_line[line.code] = max(per_line.get(line.code, 0), line.units)
    for code, day_units in per_day.items():
        limit = ctx.book.mue.get(code)
        if limit is None:
            continue
        units = per_line[code] if limit.adjudication_indicator == 1 else day_units
        if units > limit.units:
            findings.append(_mue_finding(code, units, limit.units, limit.adjudication_indicator))


def _mue_finding(code: str, units: int, limit: int, indicator: int) -> Finding:
    scope = "on one claim line" if indicator == 1 else "on one day"
    message = f"{code}: {units} units {scope}, over its MUE of {limit} (adjudication indicator {indicator})"
    if indicator == 3:
        return MUE.finding(
            message + "; the payer denies the units but they may be paid on appeal with records",
            severity=Severity.WARNING,
        )
    return MUE.finding(message + "; the payer denies all of the code's units")
