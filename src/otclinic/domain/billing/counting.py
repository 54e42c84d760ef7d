"""The unit rules of one visit: which method, how many units each service earns, and why."""

from functools import partial
from typing import NamedTuple

from otclinic.domain.billing.codebook import CodeKind
from otclinic.domain.billing.context import VisitContext
from otclinic.domain.billing.services import Service
from otclinic.domain.billing.units import (
    BLOCK,
    allocate_per_code,
    allocate_total_time,
    base_and_addon_units,
    plural,
    units_for_minutes,
)
from otclinic.domain.codes import UnitMethod
from otclinic.domain.compliance.findings import Finding, Rule, Severity

TOTAL_TIME = Rule(
    rule_id="units.total_time",
    severity=Severity.INFO,
    citation="MCPM Pub. 100-04 ch. 5 sec. 20.2 (total timed minutes, then allocation by leftover)",
    summary="Timed units from the day's total timed minutes, shared among the codes.",
)
TIE_BREAK = Rule(
    rule_id="units.tie_break",
    severity=Severity.INFO,
    citation="MCPM Pub. 100-04 ch. 5 sec. 20.2 (a tie may go either way); otclinic tie-break: "
    "the lower code number",
    summary="Equal leftover minutes: the last unit goes to the lower code number.",
)
PER_CODE = Rule(
    rule_id="units.per_code",
    severity=Severity.INFO,
    citation="AMA CPT time rule (8-minute midpoint per code); billing-rules.md sec. 2 (likely)",
    summary="Timed units from each code's own minutes.",
)
METHOD = Rule(
    rule_id="units.method",
    severity=Severity.INFO,
    citation="MCPM Pub. 100-04 ch. 5 sec. 20.2; rules/payer_policies.yaml (unit method per payer)",
    summary="The input chose another unit method than the payer policy's.",
)
UNTIMED = Rule(
    rule_id="units.untimed",
    severity=Severity.INFO,
    citation="billing-rules.md sec. 7 (untimed codes: one unit); MCPM Pub. 100-04 ch. 5 sec. 20.2",
    summary="Untimed codes are billed as one unit when they have any minutes.",
)
CAREGIVER_UNITS = Rule(
    rule_id="units.caregiver_training",
    severity=Severity.INFO,
    citation="CY2024 PFS final rule (97550 first 30 min, 97551 each additional 15 min); "
    "rules/caregiver_training.yaml (thresholds: check)",
    summary="Caregiver training units from the dated parameters (check item).",
)


class Counted(NamedTuple):
    """A service and the units it earns."""

    service: Service
    units: int


class UnitCount(NamedTuple):
    """Every service's units and the visit's timed totals."""

    counted: tuple[Counted, ...]
    timed_minutes: int
    timed_units: int


def count_units(ctx: VisitContext, services: list[Service], findings: list[Finding]) -> UnitCount:
    """Units for every service, by kind, with a finding that shows the arithmetic of each."""
    timed: list[Service] = []
    untimed: list[Service] = []
    caregiver: list[Service] = []
    for service in services:
        kind = service.info.kind
        if kind is CodeKind.TIMED:
            timed.append(service)
        elif kind is CodeKind.UNTIMED:
            untimed.append(service)
        else:
            caregiver.append(service)
    units: dict[str, int] = {}
    timed_minutes = timed_units = 0
    if timed:
        if ctx.visit.unit_method is not None and ctx.unit_method is not ctx.policy.unit_method:
            findings.append(_method_finding(ctx))
        timed_minutes, timed_units = _timed_units(ctx, timed, units, findings)
    if untimed:
        _untimed_units(untimed, units, findings)
    if caregiver:
        _caregiver_units(ctx, caregiver, units, findings)
    counted = tuple([_counted((s, units[s.code])) for s in services])
    return UnitCount(counted, timed_minutes, timed_units)


_counted = partial(tuple.__new__, Counted)  # NamedTuple's own constructor is a Python function


def _method_finding(ctx: VisitContext) -> Finding:
    """The input chose another unit method than the payer policy's."""
    source = ctx.policy.sources.get("unit_method", "default")
    message = (
        f"{ctx.unit_method}: chosen in the input, while payer policy '{source}' uses "
        f"{ctx.policy.unit_method}"
    )
    if ctx.is_medicare and ctx.unit_method is not UnitMethod.TOTAL_TIME:
        return METHOD.finding(message + "; Medicare counts total time", severity=Severity.WARNING)
    return METHOD.finding(message)


def _timed_units(
    ctx: VisitContext, timed: list[Service], units: dict[str, int], findings: list[Finding]
) -> tuple[int, int]:
    """Fill in the timed services' units; the visit's timed minutes and units."""
    minutes = tuple([s.minutes for s in timed])
    if ctx.unit_method is UnitMethod.PER_CODE:
        per_code = allocate_per_code(minutes)
        total, total_units = sum(minutes), sum(per_code)
        parts = []
        for service, count in zip(timed, per_code, strict=True):
            units[service.code] = count
            parts.append(f"{service.label} {service.minutes} min = {count}")
        findings.append(
            PER_CODE.finding(
                f"{_per_code_message(parts, total_units, total)} ({ctx.method_source})"
            )
        )
        return total, total_units
    if len(timed) == 1:
        # One timed code takes all the units its minutes support: nothing to share or break.
        only = timed[0]
        count = units_for_minutes(only.minutes)
        units[only.code] = count
        message = _one_code_message(only, count)
        findings.append(TOTAL_TIME.finding(f"{message} ({ctx.method_source})"))
        return only.minutes, count
    codes = tuple([s.code for s in timed])
    allocation = allocate_total_time(codes, minutes)
    message = _total_time_message(timed, allocation.units, allocation.full_units)
    findings.append(TOTAL_TIME.finding(f"{message} ({ctx.method_source})"))
    if allocation.tie_winners:
        findings.append(_tie_finding(timed, allocation.tie_winners, allocation.tie_losers))
    for code, count in zip(codes, allocation.units, strict=True):
        units[code] = count
    return sum(minutes), sum(allocation.units)


def _per_code_message(parts: list[str], units: int, minutes: int) -> str:
    return (
        f"each code counted on its own (8 minutes or more of a block earn a unit): "
        f"{', '.join(parts)}; {plural(units, 'timed unit')} from {minutes} timed minutes"
    )


def _one_code_message(service: Service, units: int) -> str:
    """`_total_time_message` for a single timed code (no blocks to share out)."""
    whole, rest = divmod(service.minutes, BLOCK)
    return (
        f"{service.minutes} timed minutes = {plural(whole, 'full unit')} + "
        f"{plural(rest, 'minute')}, so {plural(units, 'unit')}; "
        f"{service.label} {service.minutes} min gets {units}"
    )


def _total_time_message(timed: list[Service], units: tuple[int, ...], full: int) -> str:
    total = sum(s.minutes for s in timed)
    whole, rest = divmod(total, BLOCK)
    head = (
        f"{total} timed minutes = {plural(whole, 'full unit')} + {plural(rest, 'minute')}, "
        f"so {plural(sum(units), 'unit')}"
    )
    left = sum(units) - full
    if len(timed) > 1 and left > 0:
        blocks = ", ".join(f"{s.label} {s.minutes // BLOCK}" for s in timed)
        head += (
            f"; each code first gets its whole 15-minute blocks ({blocks}) and the "
            f"{plural(left, 'unit')} left {'goes' if left == 1 else 'go'} to the largest leftover "
            "minutes"
        )
    shares = ", ".join(
        f"{s.label} {s.minutes} min gets {u}" for s, u in zip(timed, units, strict=True)
    )
    return f"{head}; {shares}"


def _tie_finding(
    timed: list[Service], winners: tuple[str, ...], losers: tuple[str, ...]
) -> Finding:
    label = {s.code: s.label for s in timed}
    leftover = next(s.minutes % BLOCK for s in timed if s.code == winners[0])
    tied = ", ".join(label[c] for c in sorted((*winners, *losers)))
    won = ", ".join(label[c] for c in winners)
    return TIE_BREAK.finding(
        f"{tied} tie with {plural(leftover, 'leftover minute')} each; the manual lets the last "
        f"unit go either way, and otclinic gives it to the lower code number: {won}"
    )


def _untimed_units(untimed: list[Service], units: dict[str, int], findings: list[Finding]) -> None:
    parts = []
    for s in untimed:
        if s.minutes > 0:
            units[s.code] = 1
            parts.append(f"{s.label} {s.minutes} min = 1 unit")
        else:
            units[s.code] = 0
            parts.append(f"{s.label} {s.minutes} min = nothing (no minutes)")
    findings.append(
        UNTIMED.finding(
            f"untimed codes are one unit when they have any minutes: {', '.join(parts)}"
        )
    )


def _caregiver_units(
    ctx: VisitContext, services: list[Service], units: dict[str, int], findings: list[Finding]
) -> None:
    for service in services:
        entry = ctx.book.caregiver_units.entry_on(ctx.day)
        if entry is None:
            units[service.code] = 0
            continue
        p = entry.value
        base, addon = base_and_addon_units(service.minutes, p)
        units[service.code] = base + addon
        findings.append(
            CAREGIVER_UNITS.finding(
                f"{service.label} {service.minutes} min: {p['base_code']} from {p['base_threshold']} "
                f"min = {base}, then {p['addon_code']} per further {p['addon_minutes']} min past "
                f"{p['base_minutes']} (the last from its {p['addon_threshold']}th minute) = {addon}; "
                f"these thresholds are a {entry.confidence} item, kept as parameters; caregiver "
                "training minutes are not in the 15-minute timed total"
            )
        )
