"""The contract's JSON of a remittance written straight to compact text, in one pass.

`remittance_as_json` builds the contract's document as dicts, and `json.dumps` would then walk
them again; for a 10,000-claim file that is most of `otclinic era read`'s time. `compact_json`
writes the same document (same keys in the same order, money as strings, ISO dates) as compact
JSON text with no intermediate dicts: each string through the standard library's own C escaper,
so the text is exactly `json.dumps(remittance_as_json(r), ensure_ascii=False,
separators=(",", ":"))`. The tests hold it to that on every sample file and on generated ones.
"""

from json.encoder import encode_basestring
from typing import Any

from otclinic.domain.claims.x12.era_model import (
    Adjustment,
    ClaimPayment,
    Remittance,
    ServicePayment,
    Transaction,
)

_esc = encode_basestring


def compact_json(remittance: Remittance) -> str:
    """The contract's document as compact JSON text (no indentation, no spaces)."""
    parts: list[str] = ['{"transactions":[']
    for number, transaction in enumerate(remittance.transactions):
        if number:
            parts.append(",")
        _transaction(transaction, parts)
    parts.append("]}")
    return "".join(parts)


def _opt(value: Any) -> str:
    return "null" if value is None else _esc(value)


def _transaction(transaction: Transaction, parts: list[str]) -> None:
    payer, payee, payment = transaction.payer, transaction.payee, transaction.payment
    date = f'"{payment.date.isoformat()}"' if payment.date else "null"
    parts.append(
        f'{{"payer":{{"name":{_opt(payer.name)},"id":{_opt(payer.id)}}},'
        f'"payee":{{"name":{_opt(payee.name)},"npi":{_opt(payee.npi)},'
        f'"tax_id":{_opt(payee.tax_id)}}},'
        f'"payment":{{"amount":"{payment.amount}","method":{_esc(payment.method)},'
        f'"date":{date},"trace_number":{_opt(payment.trace_number)}}},"claims":['
    )
    parts.append(",".join([_claim(claim) for claim in transaction.claims]))
    adjustments = ",".join(
        [
            f'{{"reason":{_esc(item.reason)},"amount":"{item.amount}"}}'
            for item in transaction.provider_adjustments
        ]
    )
    parts.append(f'],"provider_adjustments":[{adjustments}]}}')


def _claim(claim: ClaimPayment) -> str:
    services = ",".join([_service(service) for service in claim.services])
    return (
        f'{{"patient_control_number":{_esc(claim.patient_control_number)},'
        f'"status_code":{_esc(claim.status_code)},"charge":"{claim.charge}",'
        f'"paid":"{claim.paid}","patient_responsibility":"{claim.patient_responsibility}",'
        f'"payer_claim_number":{_opt(claim.payer_claim_number)},'
        f'"adjustments":[{_adjustments(claim.adjustments)}],"services":[{services}]}}'
    )


def _service(service: ServicePayment) -> str:
    units = service.units
    count = int(units) if units == units.to_integral_value() else f'"{units}"'
    date = f'"{service.date.isoformat()}"' if service.date else "null"
    return (
        f'{{"procedure":{_esc(service.procedure)},'
        f'"modifiers":[{",".join([_esc(m) for m in service.modifiers])}],'
        f'"charge":"{service.charge}","paid":"{service.paid}","units":{count},'
        f'"date":{date},"adjustments":[{_adjustments(service.adjustments)}],'
        f'"remarks":[{",".join([_esc(r) for r in service.remarks])}]}}'
    )


def _adjustments(adjustments: tuple[Adjustment, ...]) -> str:
    return ",".join(
        [
            f'{{"group":{_esc(a.group)},"reason":{_esc(a.reason)},"amount":"{a.amount}"}}'
            for a in adjustments
        ]
    )
