"""The unit rules of one visit: which method, how many units each service earns, and why."""

from functools import partial
from typing import NamedTuple

from otclinic.domain.billing.codebook import CodeKind
from otclinic.domain.billing.context import VisitContext
from otclinic.domain.billing.ncci import edits_raised
from otclinic.domain.billing.services import Service
from otclinic.domain.billing.units import (
    BLOCK,
    Allocation,
    allocate_per_code,
    allocate_total_time,
    base_and_addon_units,
    plural,
    tie_alternatives,
    units_by_midpoint,
    units_for_minutes,
)
from otclinic.domain.codes import UnitMethod
from otclinic.domain.compliance.findings import Finding, Rule, Severity

TOTAL_TIME = Rule(
    rule_id="units.total_time",
    severity=Severity.INFO,
    citation="MCPM Pub. 100-04 ch. 5 sec. 20.2 (total timed minutes, then allocation by leftover)",
    summary="Timed units from the day's total timed minutes, shared among the codes.",
    plain="Units counted the Medicare way: the visit's timed minutes are added up, turned into "
    "units, and the units shared among the codes.",
    applies_to=frozenset({"timed"}),
)
TIE_BREAK = Rule(
    rule_id="units.tie_break",
    severity=Severity.INFO,
    citation="MCPM Pub. 100-04 ch. 5 sec. 20.2 (a tie may go either way); NCCI Policy Manual "
    "ch. XI and CMS's quarterly PTP and MUE files; otclinic tie-break: the first allocation that "
    "raises no NCCI edit, lower code numbers first",
    summary="Equal leftover minutes: the last unit goes where it raises no NCCI edit, else to "
    "the lower code number.",
    applies_to=frozenset({"timed"}),
)
PER_CODE = Rule(
    rule_id="units.per_code",
    severity=Severity.INFO,
    citation="AMA CPT time rule (a unit once the midpoint of its 15 minutes has passed, each "
    "code on its own)",
    summary="Timed units from each code's own minutes.",
    plain="Units counted code by code, each from its own minutes, as this payer counts them.",
    applies_to=frozenset({"timed"}),
)
METHOD = Rule(
    rule_id="units.method",
    severity=Severity.INFO,
    citation="MCPM Pub. 100-04 ch. 5 sec. 20.2; rules/payer_policies.yaml (unit method per payer)",
    summary="The input chose another unit method than the payer policy's.",
    plain="Units were counted another way than this payer's usual one: check that it is meant.",
    applies_to=frozenset({"timed"}),
)
UNTIMED = Rule(
    rule_id="units.untimed",
    severity=Severity.INFO,
    citation="MCPM Pub. 100-04 ch. 5 sec. 20.2 (service-based codes are billed once, whatever "
    "their time)",
    summary="Untimed codes are billed as one unit when they have any minutes.",
    applies_to=frozenset({"untimed"}),
)
TIME_UNITS = Rule(
    rule_id="units.time_units",
    severity=Severity.INFO,
    citation="CPT time rule (a unit of time is attained when the midpoint is passed); MCPM Pub. "
    "100-04 ch. 5 sec. 20.2 counts only 15-minute codes together",
    summary="A code whose unit is not 15 minutes (per hour) is counted on its own.",
    applies_to=frozenset({"time_units"}),
)
STEPPED_UNITS = Rule(
    rule_id="units.base_and_addon_minutes",
    severity=Severity.INFO,
    citation="CPT code descriptors (first period and each additional period); the family's "
    "source in rules/billing_codes.yaml",
    summary="A base code and its add-on units, earned at the minutes the family sets.",
    applies_to=frozenset({"stepped"}),
)
CAREGIVER_UNITS = Rule(
    rule_id="units.caregiver_training",
    severity=Severity.INFO,
    citation="CY2024 PFS final rule, 88 FR 78818 (97550 first 30 min, 97551 each additional "
    "15 min); rules/caregiver_training.yaml (thresholds: check)",
    summary="Caregiver training units from the dated parameters (check item).",
    applies_to=frozenset({"caregiver"}),
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
    other: list[Service] = []
    for service in services:
        kind = service.info.kind
        if kind is CodeKind.TIMED:
            timed.append(service)
        elif kind is CodeKind.UNTIMED:
            untimed.append(service)
        else:
            other.append(service)
    units: dict[str, int] = {}
    timed_minutes = timed_units = 0
    if timed:
        if ctx.visit.unit_method is not None and ctx.unit_method is not ctx.policy.unit_method:
            findings.append(_method_finding(ctx))
        beside = (untimed, other)
        timed_minutes, timed_units = _timed_units(ctx, timed, units, findings, beside=beside)
    if untimed:
        _untimed_units(untimed, units, findings)
    for service in other:
        if service.info.kind is CodeKind.TIME_UNITS:
            _time_units(service, units, findings)
        else:
            _stepped_units(ctx, service, units, findings)
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


def _billed_besides(untimed: list[Service], other: list[Service]) -> dict[str, int]:
    """The codes billed beside the timed ones (for the tie-break's NCCI test), a unit each."""
    billed = {s.code: 1 for s in untimed if s.minutes >= s.info.minimum_minutes}
    billed.update((s.code, 1) for s in other if s.minutes > 0)
    return billed


def _timed_units(
    ctx: VisitContext,
    timed: list[Service],
    units: dict[str, int],
    findings: list[Finding],
    *,
    beside: tuple[list[Service], list[Service]],
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
    tie = None
    if allocation.tie_winners:
        allocation, tie = _break_tie(ctx, timed, allocation, _billed_besides(*beside))
        message = _total_time_message(timed, allocation.units, allocation.full_units)
    findings.append(TOTAL_TIME.finding(f"{message} ({ctx.method_source})"))
    if tie is not None:
        findings.append(tie)
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


def _break_tie(
    ctx: VisitContext, timed: list[Service], allocation: Allocation, others: dict[str, int]
) -> tuple[Allocation, Finding]:
    """Equal leftovers for the last units: the first way of giving them, lower code numbers
    first, that raises no NCCI edit; when every way raises one, the lower code numbers."""
    codes = tuple([s.code for s in timed])
    choices = tie_alternatives(codes, allocation)
    raised = []
    for choice in choices:
        billed = {**others, **{c: u for c, u in zip(codes, choice.units, strict=True) if u}}
        raised.append(edits_raised(ctx, billed))
        if not raised[-1]:
            return choice, _tie_finding(timed, choice, raised, chosen=len(raised) - 1)
    return choices[0], _tie_finding(timed, choices[0], raised, chosen=None)


def _tie_finding(
    timed: list[Service], choice: Allocation, raised: list[list[str]], *, chosen: int | None
) -> Finding:
    label = {s.code: s.label for s in timed}
    winners, losers = choice.tie_winners, choice.tie_losers
    leftover = next(s.minutes % BLOCK for s in timed if s.code == winners[0])
    tied = ", ".join(label[c] for c in sorted((*winners, *losers)))
    won = ", ".join(label[c] for c in winners)
    head = f"{tied} tie with {plural(leftover, 'leftover minute')} each; the manual lets the last "
    head += f"{'unit' if len(winners) == 1 else 'units'} go either way"
    if chosen == 0:
        return TIE_BREAK.finding(f"{head}, and otclinic gives them to the lower code number: {won}")
    if chosen is None:
        return TIE_BREAK.finding(
            f"{head}; every way of giving them raises an NCCI edit ({raised[0][0]}), so "
            f"otclinic gives them to the lower code number: {won}"
        )
    return TIE_BREAK.finding(
        f"{head}; giving them to the lower code numbers would raise an NCCI edit "
        f"({raised[0][0]}), so otclinic gives them to {won}, which raises none"
    )


def _untimed_units(untimed: list[Service], units: dict[str, int], findings: list[Finding]) -> None:
    parts = []
    for s in untimed:
        least = s.info.minimum_minutes
        if s.minutes >= least:
            units[s.code] = 1
            parts.append(f"{s.label} {s.minutes} min = 1 unit")
        elif s.minutes > 0:
            units[s.code] = 0
            parts.append(f"{s.label} {s.minutes} min = nothing (it needs {least} minutes)")
        else:
            units[s.code] = 0
            parts.append(f"{s.label} {s.minutes} min = nothing (no minutes)")
    findings.append(
        UNTIMED.finding(
            f"untimed codes are one unit when they have any minutes: {', '.join(parts)}"
        )
    )


def _time_units(service: Service, units: dict[str, int], findings: list[Finding]) -> None:
    """A code whose unit is not 15 minutes (per hour): its own minutes, by the CPT time rule."""
    size = service.info.unit_minutes
    count = units_by_midpoint(service.minutes, size)
    units[service.code] = count
    whole, rest = divmod(service.minutes, size)
    findings.append(
        TIME_UNITS.finding(
            f"{service.label} {service.minutes} min: a unit is {size} minutes, earned once more "
            f"than half of it ({size // 2} minutes) has passed: {plural(whole, 'full unit')} + "
            f"{plural(rest, 'minute')} = {plural(count, 'unit')}; these minutes are not in the "
            "15-minute timed total"
        )
    )


def _stepped_units(
    ctx: VisitContext, service: Service, units: dict[str, int], findings: list[Finding]
) -> None:
    """A family whose base unit and add-on units are earned at set minutes (97550/97551...)."""
    family = service.info.family
    parameter = ctx.book.family_units.get(family) if family else None
    entry = parameter.entry_on(ctx.day) if parameter else None
    if entry is None:
        units[service.code] = 0
        return
    p = entry.value
    base, addon = ctx.book.family(family) if family else (service.code, service.code)
    first, more = base_and_addon_units(service.minutes, p)
    units[service.code] = first + more
    rule = CAREGIVER_UNITS if service.info.group == "caregiver" else STEPPED_UNITS
    findings.append(
        rule.finding(
            f"{service.label} {service.minutes} min: {base} for the first {p['base_minutes']} "
            f"min, earned from {p['base_threshold']} min = {first}, then {addon} per further "
            f"{p['addon_minutes']} min (the last from its {p['addon_threshold']}th minute) = "
            f"{more}; these thresholds are a {entry.confidence} item, kept as parameters "
            f"({parameter.reference if parameter else ''}); these minutes are not in the "
            "15-minute timed total"
        )
    )
