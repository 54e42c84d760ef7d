"""Checks of what other payers did with the claim (2320/2330 and 2430): ids that match, and
amounts that balance the way the implementation guide's COB balancing rules require."""

from decimal import Decimal

from otclinic.domain.claims.x12.p837 import checks
from otclinic.domain.claims.x12.p837.claim import Adjustment, Claim, OtherPayer
from otclinic.domain.claims.x12.p837.problems import Problem

MAX_OTHER_PAYERS = 10


def other_payer_problems(claim: Claim, *, path: str) -> list[Problem]:
    """Problems in 2320/2330 (per other payer) and in every line's 2430 adjudications."""
    if len(claim.other_payers) > MAX_OTHER_PAYERS:
        return [
            Problem(
                f"{path}.other_payers",
                f"{len(claim.other_payers)} other payers; a claim names at most {MAX_OTHER_PAYERS}",
            )
        ]
    problems: list[Problem] = []
    payer_ids = [other.payer.payer_id for other in claim.other_payers]
    if len(set(payer_ids)) != len(payer_ids):
        problems.append(Problem(f"{path}.other_payers", "the same payer id is listed twice"))
    for index, other in enumerate(claim.other_payers):
        problems += _other_payer(claim, other, path=f"{path}.other_payers[{index}]")
    problems += _line_adjudications(claim, payer_ids=set(payer_ids), path=path)
    return problems


def _other_payer(claim: Claim, other: OtherPayer, *, path: str) -> list[Problem]:
    found = [
        checks.required(other.payer.name, field=f"{path}.payer.name", max_length=60),
        checks.required(other.payer.payer_id, field=f"{path}.payer.payer_id", max_length=80),
        checks.required(other.member_id, field=f"{path}.member_id", max_length=80),
        checks.required(
            other.subscriber_name.last, field=f"{path}.subscriber_name.last", max_length=60
        ),
        checks.money(other.paid_amount, field=f"{path}.paid_amount", negative_allowed=True),
    ]
    found += _adjustment_amounts(other.claim_adjustments, field=f"{path}.claim_adjustments")
    problems = [problem for problem in found if problem is not None]
    return problems + _balance(claim, other, path=path)


def _balance(claim: Claim, other: OtherPayer, *, path: str) -> list[Problem]:
    """AMT*D equals the payer's line payments; paid plus adjustments equals the claim charge."""
    payer_id = other.payer.payer_id
    line_results = [
        result
        for line in claim.lines
        for result in line.adjudications
        if result.payer_id == payer_id
    ]
    if not line_results and not other.claim_adjustments:
        return []
    problems: list[Problem] = []
    line_paid = sum((result.paid_amount for result in line_results), Decimal(0))
    if line_results and line_paid != other.paid_amount:
        problems.append(
            Problem(
                f"{path}.paid_amount",
                f"{other.paid_amount} paid, but the lines this payer adjudicated add up to "
                f"{line_paid}",
            )
        )
    adjusted = _total(other.claim_adjustments) + sum(
        (_total(result.adjustments) for result in line_results), Decimal(0)
    )
    if other.paid_amount + adjusted != claim.total_charge:
        problems.append(
            Problem(
                f"{path}.claim_adjustments",
                f"paid {other.paid_amount} + adjustments {adjusted} must equal the claim's "
                f"charge {claim.total_charge}",
            )
        )
    return problems


def _line_adjudications(claim: Claim, *, payer_ids: set[str], path: str) -> list[Problem]:
    problems: list[Problem] = []
    for line_index, line in enumerate(claim.lines):
        for index, result in enumerate(line.adjudications):
            field = f"{path}.lines[{line_index}].adjudications[{index}]"
            if result.payer_id not in payer_ids:
                problems.append(
                    Problem(f"{field}.payer_id", f"{result.payer_id!r} is not an other payer's id")
                )
            found = [checks.money(result.paid_amount, field=f"{field}.paid_amount")]
            found += _adjustment_amounts(result.adjustments, field=f"{field}.adjustments")
            problems += [problem for problem in found if problem is not None]
            if result.units < 0:
                problems.append(Problem(f"{field}.units", f"{result.units} is negative"))
            balance = result.paid_amount + _total(result.adjustments)
            if balance != line.charge:
                problems.append(
                    Problem(
                        f"{field}.adjustments",
                        f"paid {result.paid_amount} + adjustments {_total(result.adjustments)} "
                        f"must equal the line charge {line.charge}",
                    )
                )
    return problems


def _adjustment_amounts(adjustments: tuple[Adjustment, ...], *, field: str) -> list[Problem | None]:
    found: list[Problem | None] = []
    for index, adjustment in enumerate(adjustments):
        found.append(
            checks.money(adjustment.amount, field=f"{field}[{index}].amount", negative_allowed=True)
        )
        found.append(
            checks.required(adjustment.reason, field=f"{field}[{index}].reason", max_length=5)
        )
    return found


def _total(adjustments: tuple[Adjustment, ...]) -> Decimal:
    return sum((adjustment.amount for adjustment in adjustments), Decimal(0))
