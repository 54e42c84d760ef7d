"""Treatment-note consistency (BPM Pub. 100-02 ch. 15 sec. 220.3).

The note records total timed-code minutes and total treatment minutes, and the billed timed units
must be consistent with the total timed minutes: 47 minutes support 3 units, never 4. Under the
total-time method this always holds; a payer counting per code may pay more units than the total
supports, which Medicare never does.
"""

from otclinic.domain.billing.context import VisitContext
from otclinic.domain.billing.model import ClaimLine
from otclinic.domain.billing.units import plural, units_for_minutes
from otclinic.domain.compliance.findings import Finding, Rule, Severity

NOTE_UNITS = Rule(
    rule_id="note.timed_units",
    severity=Severity.INFO,
    citation="BPM Pub. 100-02 ch. 15 sec. 220.3 (total timed and treatment minutes in the note; "
    "units consistent with them)",
    summary="Billed timed units against what the note's total timed minutes support.",
)
NOTHING_BILLABLE = Rule(
    rule_id="claim.empty",
    severity=Severity.ERROR,
    citation="contracts/billing-check.md (no claim line with 0 units)",
    summary="Nothing on the visit can be billed.",
)


def check_note(
    ctx: VisitContext, *, timed_minutes: int, timed_units: int, treatment_minutes: int
) -> Finding:
    """The note's totals, and whether the billed timed units exceed what the minutes support."""
    supported = units_for_minutes(timed_minutes)
    message = (
        f"the note must show {timed_minutes} total timed minutes and {treatment_minutes} total "
        f"treatment minutes; {timed_minutes} timed minutes support "
        f"{plural(supported, 'unit')} and {timed_units} are billed"
    )
    if timed_units <= supported:
        return NOTE_UNITS.finding(message)
    if ctx.is_medicare:
        return NOTE_UNITS.finding(
            message + ": more than Medicare pays for the total", severity=Severity.ERROR
        )
    return NOTE_UNITS.finding(
        message + ": more than the total supports, as this payer counts per code"
    )


def check_not_empty(claim: list[ClaimLine], findings: list[Finding]) -> None:
    """A visit with no claim line has nothing to bill."""
    if not claim:
        findings.append(
            NOTHING_BILLABLE.finding("no service earned a unit that can go on the claim")
        )
