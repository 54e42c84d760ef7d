"""Reading an ERA (X12 835 005010X221A1) per docs/contracts/era-read.md.

`read_era(text)` is the one door: the CLI, posting and the upload page all go through it.
It returns a `Remittance` (frozen facts, Decimal money, dates) or raises `EraError` with a
message naming the segment and its position. Things a payer got wrong that do not stop the
reading (a missing BPR16 or PER*BL, money that does not balance) come back as
`Remittance.warnings`, each with the figures.

`remittance_as_json` gives the contract's document; `dump_bytes` turns it into bytes.
"""

from decimal import Decimal
from typing import Any

from otclinic.domain.claims.x12.era_envelope import Segments, transaction_sets
from otclinic.domain.claims.x12.era_model import (
    Adjustment,
    ClaimPayment,
    Remittance,
    ServicePayment,
    Transaction,
)
from otclinic.domain.claims.x12.era_transaction import read_transaction
from otclinic.domain.claims.x12.era_values import EraError
from otclinic.domain.claims.x12.inbound import decode, refuse_nul
from otclinic.domain.claims.x12.tokens import Separators, X12SyntaxError, segment_texts

__all__ = ["EraError", "Remittance", "read_era", "read_era_bytes", "remittance_as_json"]


def read_era(text: str) -> Remittance:
    """Every transaction set in the 835 `text`, with the warnings worth a person's attention."""
    refuse_nul(text, EraError)
    try:
        separators = Separators.from_isa(text)
        segments = Segments(segment_texts(text, separators), separators.element)
    except X12SyntaxError as exc:
        raise EraError(str(exc)) from None
    warnings: list[str] = []
    transactions = tuple(
        read_transaction(segments, where, separators, warnings)
        for where in transaction_sets(segments)
    )
    if not transactions:
        raise EraError(
            f"{segments.segment(0).where()}: the interchange holds no 835 transaction set"
        )
    for transaction in transactions:
        warnings.extend(balance_warnings(transaction))
    return Remittance(transactions, tuple(warnings))


def read_era_bytes(raw: bytes) -> Remittance:
    """`read_era` on a file's bytes: UTF-8, or ISO 8859-1 (X12's extended character set)."""
    return read_era(decode(raw))


def balance_warnings(transaction: Transaction) -> list[str]:
    """Where the money does not add up: the payment, and each claim against its adjustments.

    BPR02 = sum of CLP04 - sum of PLB amounts (835 TR3 sec. 1.10.2.1.1, balancing); for each
    claim CLP03 - CLP04 = the sum of its claim- and service-level CAS amounts; and for a claim
    with service lines, CLP04 = the sum of SVC03 - the claim-level CAS amounts (sec. 1.10.2.1).
    """
    where = f"transaction {transaction.control_number} (segment {transaction.position} (ST))"
    paid = sum((claim.paid for claim in transaction.claims), Decimal("0.00"))
    plb = sum((item.amount for item in transaction.provider_adjustments), Decimal("0.00"))
    warnings = []
    if paid - plb != transaction.payment.amount:
        warnings.append(
            f"{where}: payment BPR02 {transaction.payment.amount} does not balance: claims paid"
            f" {paid} minus provider adjustments {plb} = {paid - plb}"
        )
    warnings.extend(f"{where}: {problem}" for problem in _claim_problems(transaction.claims))
    return warnings


def _claim_problems(claims: tuple[ClaimPayment, ...]) -> list[str]:
    problems = []
    zero = Decimal("0.00")
    for claim in claims:
        # Plain loops rather than sum() over generators: this runs for every claim in the file.
        on_claim = zero
        for adjustment in claim.adjustments:
            on_claim += adjustment.amount
        on_services = zero
        for service in claim.services:
            for adjustment in service.adjustments:
                on_services += adjustment.amount
        adjusted = on_claim + on_services
        if claim.charge - claim.paid != adjusted:
            problems.append(
                f"claim {claim.patient_control_number} does not balance: charge {claim.charge}"
                f" minus paid {claim.paid} = {claim.charge - claim.paid},"
                f" adjustments total {adjusted}"
            )
        if claim.services:
            problems.extend(_service_problems(claim, on_claim))
    return problems


def _service_problems(claim: ClaimPayment, on_claim: Decimal) -> list[str]:
    lines_paid = Decimal("0.00")
    for service in claim.services:
        lines_paid += service.paid
    if lines_paid - on_claim == claim.paid:
        return []
    return [
        f"claim {claim.patient_control_number}: its service lines paid {lines_paid} minus"
        f" claim-level adjustments {on_claim} = {lines_paid - on_claim}, but CLP04 says"
        f" {claim.paid}"
    ]


def remittance_as_json(remittance: Remittance) -> dict[str, Any]:
    """The contract's document: keys in the contract's order, money as strings, ISO dates."""
    return {"transactions": [_transaction_json(t) for t in remittance.transactions]}


def _transaction_json(transaction: Transaction) -> dict[str, Any]:
    payer, payee, payment = transaction.payer, transaction.payee, transaction.payment
    return {
        "payer": {"name": payer.name, "id": payer.id},
        "payee": {"name": payee.name, "npi": payee.npi, "tax_id": payee.tax_id},
        "payment": {
            "amount": str(payment.amount),
            "method": payment.method,
            "date": payment.date.isoformat() if payment.date else None,
            "trace_number": payment.trace_number,
        },
        "claims": [_claim_json(claim) for claim in transaction.claims],
        "provider_adjustments": [
            {"reason": item.reason, "amount": str(item.amount)}
            for item in transaction.provider_adjustments
        ],
    }


def _claim_json(claim: ClaimPayment) -> dict[str, Any]:
    return {
        "patient_control_number": claim.patient_control_number,
        "status_code": claim.status_code,
        "charge": str(claim.charge),
        "paid": str(claim.paid),
        "patient_responsibility": str(claim.patient_responsibility),
        "payer_claim_number": claim.payer_claim_number,
        "adjustments": _adjustments_json(claim.adjustments),
        "services": [_service_json(service) for service in claim.services],
    }


def _service_json(service: ServicePayment) -> dict[str, Any]:
    units = service.units
    return {
        "procedure": service.procedure,
        "modifiers": list(service.modifiers),
        "charge": str(service.charge),
        "paid": str(service.paid),
        "units": int(units) if units == units.to_integral_value() else str(units),
        "date": service.date.isoformat() if service.date else None,
        "adjustments": _adjustments_json(service.adjustments),
        "remarks": list(service.remarks),
    }


def _adjustments_json(adjustments: tuple[Adjustment, ...]) -> list[dict[str, str]]:
    return [{"group": a.group, "reason": a.reason, "amount": str(a.amount)} for a in adjustments]
