"""From input lines to services: one per code (lines of the same code merged), then families.

The contract lets the same code appear on several input lines; the claim has one line per code
and date (MCPM ch. 5 sec. 20.2), so their minutes are added up here. A family (97129/97130,
97550/97551) is counted from one pool of minutes and split into base and add-on units later.
"""

from decimal import Decimal
from functools import partial
from typing import NamedTuple

from otclinic.domain.billing.codebook import CodeInfo, unknown_code
from otclinic.domain.billing.context import VisitContext
from otclinic.domain.compliance.findings import Finding, Rule, Severity

AMOUNT_CONFLICT = Rule(
    rule_id="input.allowed_amount_conflict",
    severity=Severity.WARNING,
    citation="otclinic billing check contract (docs/contracts/billing-check.md: lines[].allowed_amount is per unit of the code)",
    summary="Lines of one code give different allowed amounts; the first is used.",
)


class CodeService(NamedTuple):
    """Everything the input says about one code on this visit, its lines added together."""

    code: str
    info: CodeInfo
    therapist: int
    assistant: int
    allowed_amount: Decimal | None
    separate_time_block: bool
    minutes: int  # therapist + assistant, kept rather than added up by every rule that reads it


class Service(NamedTuple):
    """What earns units: one code, or a family of base and add-on codes sharing their minutes."""

    code: str
    label: str
    info: CodeInfo
    therapist: int
    assistant: int
    minutes: int  # therapist + assistant


# The NamedTuples' own constructors are Python functions; a visit makes several of each, so the
# hot paths build them straight from a tuple of the fields in order.
_code_service = partial(tuple.__new__, CodeService)
_service = partial(tuple.__new__, Service)


def merge_lines(ctx: VisitContext, findings: list[Finding]) -> list[CodeService]:
    """One service per code, in the order codes first appear in the input."""
    codes = ctx.book.codes
    merged: dict[str, CodeService] = {}
    for line in ctx.visit.lines:
        code = line.code
        therapist = line.therapist_minutes + line.together_minutes
        assistant = line.assistant_minutes
        earlier = merged.get(code)
        if earlier is None:
            merged[code] = _code_service(
                (
                    code,
                    codes.get(code) or unknown_code(code),
                    therapist,
                    assistant,
                    line.allowed_amount,
                    line.separate_time_block,
                    therapist + assistant,
                )
            )
            continue
        merged[code] = _merge(
            earlier,
            line.allowed_amount,
            therapist=therapist,
            assistant=assistant,
            separate=line.separate_time_block,
            findings=findings,
        )
    return list(merged.values())


def _merge(
    earlier: CodeService,
    amount: Decimal | None,
    *,
    therapist: int,
    assistant: int,
    separate: bool,
    findings: list[Finding],
) -> CodeService:
    if amount is not None and earlier.allowed_amount not in (None, amount):
        findings.append(
            AMOUNT_CONFLICT.finding(
                f"{earlier.code} lines give allowed amounts {earlier.allowed_amount} and "
                f"{amount} per unit; {earlier.allowed_amount} (the first) is used"
            )
        )
    therapist += earlier.therapist
    assistant += earlier.assistant
    return CodeService(
        code=earlier.code,
        info=earlier.info,
        therapist=therapist,
        assistant=assistant,
        allowed_amount=earlier.allowed_amount if earlier.allowed_amount is not None else amount,
        # An attestation covers the code only when every one of its lines makes it.
        separate_time_block=earlier.separate_time_block and separate,
        minutes=therapist + assistant,
    )


def group_services(ctx: VisitContext, merged: list[CodeService]) -> list[Service]:
    """Services that earn units: plain codes as they are, family members pooled under the base."""
    services: list[Service] = []
    families: dict[str, int] = {}
    for item in merged:
        family = item.info.family
        if family is None:
            services.append(
                _service(
                    (item.code, item.code, item.info, item.therapist, item.assistant, item.minutes)
                )
            )
            continue
        base, addon = ctx.book.family(family)
        if family in families:
            pooled = services[families[family]]
            services[families[family]] = Service(
                base,
                pooled.label,
                pooled.info,
                pooled.therapist + item.therapist,
                pooled.assistant + item.assistant,
                pooled.minutes + item.minutes,
            )
            continue
        families[family] = len(services)
        info = ctx.book.codes[base]
        services.append(
            Service(base, f"{base}/{addon}", info, item.therapist, item.assistant, item.minutes)
        )
    return services
