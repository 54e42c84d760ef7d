"""From units to claim lines: discipline modifier on every line, assistant modifier where earned.

One claim line per code per date with all its units; a code whose units split between the
assistant modifier and none takes two lines (MCPM Pub. 100-04 ch. 5 sec. 20.2). A family's base
code takes the first unit (a unit without the assistant modifier when there is one) and the
add-on code the rest.
"""

from datetime import date

from otclinic.domain.billing.codebook import CodeKind
from otclinic.domain.billing.context import DISCIPLINE_MODIFIER, VisitContext
from otclinic.domain.billing.counting import Counted, UnitCount
from otclinic.domain.billing.model import ClaimLine, claim_line
from otclinic.domain.billing.modifiers import (
    Split,
    split_per_unit,
    split_whole_service,
)
from otclinic.domain.billing.parameters import DatedValue
from otclinic.domain.codes import Discipline
from otclinic.domain.compliance.findings import Finding, Rule, Severity

_ASSISTANT_CITATION = (
    "SSA 1834(v); CY2020 PFS final rule (84 FR 62702: CO/CQ, 10% de minimis, together minutes "
    "count as the therapist's); CY2021-CY2022 PFS final rules (per unit; final-unit rules: check)"
)
DISCIPLINE = Rule(
    rule_id="modifier.discipline",
    severity=Severity.INFO,
    citation="MCPM Pub. 100-04 ch. 5 (GO/GP/GN on every line under a therapy plan of care)",
    summary="The discipline modifier goes on every line.",
)
PER_UNIT = Rule(
    rule_id="modifier.assistant.per_unit",
    severity=Severity.INFO,
    citation=_ASSISTANT_CITATION,
    summary="The assistant modifier per unit of a timed code, with the final-unit rules.",
    effective_from=date(2021, 1, 1),
)
DE_MINIMIS = Rule(
    rule_id="modifier.assistant.de_minimis",
    severity=Severity.INFO,
    citation=_ASSISTANT_CITATION,
    summary="The assistant modifier when the assistant alone furnished more than 10%.",
    effective_from=date(2020, 1, 1),
)
EXEMPT = Rule(
    rule_id="modifier.assistant.not_used",
    severity=Severity.INFO,
    citation="SSA 1834(v) (critical access hospitals paid on cost are exempt); "
    "rules/payer_policies.yaml (assistant modifier per payer)",
    summary="Assistant minutes on a visit where the assistant modifier is not used.",
)
FAMILY = Rule(
    rule_id="units.base_and_addon",
    severity=Severity.INFO,
    citation="CPT 97129 (first 15 min) and 97130 (each additional 15 min); 97550/97551 "
    "(CPT code descriptors: first period, then each additional period)",
    summary="A family's first unit is the base code, the others the add-on code.",
)


def build_claim(ctx: VisitContext, count: UnitCount, findings: list[Finding]) -> list[ClaimLine]:
    """The claim lines of a visit, in the order its codes first appear."""
    assisted = False
    for counted in count.counted:
        if counted.service.assistant:
            assisted = True
            break
    # Without assistant minutes no unit can take the assistant modifier: every unit is plain.
    exemption = ctx.assistant_modifier_exemption() if assisted else None
    if exemption:
        findings.append(
            EXEMPT.finding(
                f"{ctx.assistant} minutes are billed without an assistant modifier: {exemption}"
            )
        )
    lines: list[ClaimLine] = []
    plain_modifiers = (ctx.discipline_modifier,)
    exempt = exemption is not None
    for counted in count.counted:
        service = counted.service
        if service.info.family is None and (exempt or not service.assistant):
            # The usual line: every unit without the assistant modifier (as `_split` would
            # decide), built here to keep checks fast.
            if counted.units:
                lines.append(claim_line(service.code, counted.units, plain_modifiers))
            continue
        split = _split(ctx, counted, exempt=exempt, findings=findings)
        lines.extend(_lines(ctx, counted, split, findings))
    if lines:
        findings.append(_DISCIPLINE_FINDINGS[ctx.visit.discipline])
    return lines


# The discipline modifier finding says the same for every visit of a discipline: made once.
_DISCIPLINE_FINDINGS = {
    discipline: DISCIPLINE.finding(
        f"{DISCIPLINE_MODIFIER[discipline]} on every line: the services are under the "
        f"{discipline} plan of care"
    )
    for discipline in Discipline
}


def _split(ctx: VisitContext, counted: Counted, *, exempt: bool, findings: list[Finding]) -> Split:
    service, units = counted.service, counted.units
    if exempt or service.assistant == 0 or units == 0:
        return Split(units, 0, "")
    entry = ctx.book.assistant_rules.entry_on(ctx.day)
    if entry is None:
        return Split(units, 0, "")
    rules = entry.value
    minutes = {"units": units, "therapist": service.therapist, "assistant": service.assistant}
    if rules["per_unit"] and service.info.kind is CodeKind.TIMED:
        split = split_per_unit(
            **minutes,
            percent=rules["de_minimis_percent"],
            final_unit_minutes=rules["final_unit_minutes"],
        )
        rule = PER_UNIT
    else:
        split = split_whole_service(**minutes, percent=rules["de_minimis_percent"])
        rule = DE_MINIMIS
    findings.append(rule.finding(_assistant_message(ctx, counted, split, entry=entry)))
    return split


def _assistant_message(
    ctx: VisitContext, counted: Counted, split: Split, *, entry: DatedValue
) -> str:
    service, modifier = counted.service, ctx.assistant_modifier
    reason = split.reason.format(t=ctx.therapist, a=ctx.assistant)
    message = (
        f"{service.label}: {service.therapist} min by the {ctx.therapist} (together minutes "
        f"included) and {service.assistant} by the {ctx.assistant} alone; {reason}; so "
        f"{split.plain} without {modifier} and {split.assisted} with {modifier}"
    )
    if split.assisted and entry.value["payment_percent"] != 100:
        message += f" (paid at {entry.value['payment_percent']}%)"
    if entry.confidence == "check":
        message += f" [the {entry.effective.year} reading of these rules is a check item]"
    return message


def _lines(
    ctx: VisitContext, counted: Counted, split: Split, findings: list[Finding]
) -> list[ClaimLine]:
    service = counted.service
    if service.info.family is None:
        return _pair(ctx, service.code, split.plain, split.assisted)
    base, addon = ctx.book.family(service.info.family)
    base_plain = 1 if split.plain else 0
    base_assisted = 0 if split.plain or not split.assisted else 1
    if counted.units and service.info.kind is CodeKind.TIMED:
        findings.append(
            FAMILY.finding(
                f"{service.label} {service.minutes} min earn {counted.units}: {base} for the first "
                f"unit, {addon} for the other {counted.units - 1}"
            )
        )
    return [
        *_pair(ctx, base, base_plain, base_assisted),
        *_pair(ctx, addon, split.plain - base_plain, split.assisted - base_assisted),
    ]


def _pair(ctx: VisitContext, code: str, plain: int, assisted: int) -> list[ClaimLine]:
    lines = []
    if plain:
        lines.append(claim_line(code, plain, (ctx.discipline_modifier,)))
    if assisted and ctx.assistant_modifier:
        lines.append(claim_line(code, assisted, (ctx.discipline_modifier, ctx.assistant_modifier)))
    return lines
