"""The billing check: one visit in, one billing decision out (contracts/billing-check.md).

The rules run in a fixed order, each adding findings: which codes may be billed (the code
table, add-ons, dates, Medicare, scope), units, assistant
and discipline modifiers, NCCI edits, the therapy threshold, and the note's consistency. The same
visit always gives the same decision.
"""

from otclinic.domain.billing.claim import build_claim
from otclinic.domain.billing.code_rules import (
    check_caregiver,
    check_codes,
    check_scope,
    screen_codes,
)
from otclinic.domain.billing.consistency import check_not_empty, check_note
from otclinic.domain.billing.context import VisitContext, make_context
from otclinic.domain.billing.counting import UnitCount, count_units
from otclinic.domain.billing.model import ClaimLine, Decision, Visit, decision
from otclinic.domain.billing.ncci import apply_ptp, check_mue
from otclinic.domain.billing.rulebook import RuleBook, default_rulebook
from otclinic.domain.billing.services import group_services, merge_lines
from otclinic.domain.billing.threshold import apply_threshold
from otclinic.domain.compliance.findings import Finding, has_errors
from otclinic.domain.compliance.payer_policy import PolicyOverride


def check_visit(
    visit: Visit,
    *,
    rulebook: RuleBook | None = None,
    policy_overrides: tuple[PolicyOverride, ...] = (),
) -> Decision:
    """The billing decision for one visit: claim lines, totals and every finding that fired."""
    book = rulebook or default_rulebook()
    ctx = make_context(visit, book, overrides=policy_overrides)
    findings: list[Finding] = []
    merged = merge_lines(ctx, findings)
    billed = merged
    screened = book.screened[visit.discipline]
    for service in merged:
        if service.code in screened or not service.info.known:
            check_scope(ctx, merged, findings)
            check_caregiver(ctx, merged, findings)
            check_codes(ctx, merged, findings)
            billed = screen_codes(ctx, merged, findings)
            break
    count = count_units(ctx, group_services(ctx, billed), findings)
    claim = build_claim(ctx, count, findings)
    claim = apply_ptp(ctx, billed, claim, findings)
    check_mue(ctx, claim, findings)
    claim = apply_threshold(ctx, billed, claim, findings)
    treatment_minutes = 0
    for service in merged:
        treatment_minutes += service.minutes
    return _decision(ctx, count, claim, findings, treatment_minutes=treatment_minutes)


def _decision(
    ctx: VisitContext,
    count: UnitCount,
    claim: list[ClaimLine],
    findings: list[Finding],
    *,
    treatment_minutes: int,
) -> Decision:
    """The note's consistency checked last, then the decision as the contract prints it."""
    if count.timed_minutes:
        findings.append(
            check_note(
                ctx,
                timed_minutes=count.timed_minutes,
                timed_units=count.timed_units,
                treatment_minutes=treatment_minutes,
            )
        )
    check_not_empty(claim, findings)
    return decision(
        tuple(claim),
        (count.timed_minutes, count.timed_units, treatment_minutes),
        tuple(findings),
        billable=not has_errors(findings),
    )
