"""A small 835 writer for tests: a `Remittance` back to X12 text, with any separators.

It writes what the reader reads (and the envelopes around it), so that a generated remittance can
be written, read back and compared. It is not the product's writer and knows nothing else.
"""

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from otclinic.domain.claims.x12.era_model import (
    Adjustment,
    ClaimPayment,
    Remittance,
    ServicePayment,
    Transaction,
)
from otclinic.domain.claims.x12.tokens import Separators

Elements = list[str]


def write_era(
    remittance: Remittance,
    separators: Separators,
    *,
    line_break: str = "",
    transactions_per_group: int = 1,
) -> str:
    """The remittance as one interchange; `line_break` goes after every segment terminator."""
    body: list[Elements] = []
    groups = [
        remittance.transactions[i : i + transactions_per_group]
        for i in range(0, len(remittance.transactions), transactions_per_group)
    ]
    for number, group in enumerate(groups, start=1):
        body.extend(_group(group, number, separators))
    segments = [_isa(separators), *body, ["IEA", str(len(groups)), "000000001"]]
    terminator = separators.segment + line_break
    return "".join(separators.element.join(s) + terminator for s in segments)


def _isa(separators: Separators) -> Elements:
    return [
        "ISA",
        "00",
        " " * 10,
        "00",
        " " * 10,
        "ZZ",
        "SYNTHPAYER".ljust(15),
        "ZZ",
        "SYNTHCLINIC".ljust(15),
        "260101",
        "1200",
        separators.repetition or "U",
        "00501",
        "000000001",
        "0",
        "T",
        separators.component,
    ]


def _group(transactions: tuple[Transaction, ...], number: int, seps: Separators) -> list[Elements]:
    gs = ["GS", "HP", "SYNTHPAYER", "SYNTHCLINIC", "20260101", "1200", str(number), "X"]
    segments: list[Elements] = [[*gs, "005010X221A1"]]
    for transaction in transactions:
        segments.extend(_transaction(transaction, seps))
    segments.append(["GE", str(len(transactions)), str(number)])
    return segments


def _transaction(transaction: Transaction, seps: Separators) -> list[Elements]:
    control = transaction.control_number
    inner = list(_header(transaction)) + list(_claims(transaction.claims, seps))
    inner.extend(_plb(transaction, seps))
    return [["ST", "835", control], *inner, ["SE", str(len(inner) + 2), control]]


def _header(transaction: Transaction) -> Iterator[Elements]:
    payment, payer, payee = transaction.payment, transaction.payer, transaction.payee
    paid_on = _date(payment.date) if payment.date else ""
    yield ["BPR", "I", str(payment.amount), "C", payment.method, *[""] * 11, paid_on]
    if payment.trace_number:
        yield [
            "TRN",
            "1",
            payment.trace_number,
            *([payment.originator] if payment.originator else []),
        ]
    yield ["N1", "PR", payer.name or ""]
    if payer.id:
        yield ["REF", "2U", payer.id]
    yield ["PER", "BL", "SUPPORT", "TE", "8005551212"]
    yield ["N1", "PE", payee.name or "", *(["XX", payee.npi] if payee.npi else [])]
    if payee.tax_id:
        yield ["REF", "TJ", payee.tax_id]


def _claims(claims: tuple[ClaimPayment, ...], seps: Separators) -> Iterator[Elements]:
    if claims:
        yield ["LX", "1"]
    for claim in claims:
        yield [
            "CLP",
            claim.patient_control_number,
            claim.status_code,
            str(claim.charge),
            str(claim.paid),
            str(claim.patient_responsibility),
            "12",
            claim.payer_claim_number or "",
        ]
        yield from _cas(claim.adjustments)
        for service in claim.services:
            yield from _service(service, seps)


def _service(service: ServicePayment, seps: Separators) -> Iterator[Elements]:
    composite = seps.component.join(["HC", service.procedure, *service.modifiers])
    yield ["SVC", composite, str(service.charge), str(service.paid), "", str(service.units)]
    if service.date:
        yield ["DTM", "472", _date(service.date)]
    yield from _cas(service.adjustments)
    for remark in service.remarks:
        yield ["LQ", "HE", remark]


def _cas(adjustments: tuple[Adjustment, ...]) -> Iterator[Elements]:
    """Consecutive adjustments of one group share a CAS segment, six triples at most."""
    run: list[Adjustment] = []
    for adjustment in adjustments:
        if run and (run[0].group != adjustment.group or len(run) == 6):
            yield _cas_segment(run)
            run = []
        run.append(adjustment)
    if run:
        yield _cas_segment(run)


def _cas_segment(run: list[Adjustment]) -> Elements:
    elements = ["CAS", run[0].group]
    for adjustment in run:
        elements.extend([adjustment.reason, str(adjustment.amount), ""])
    return elements[:-1]


def _plb(transaction: Transaction, seps: Separators) -> Iterator[Elements]:
    items = transaction.provider_adjustments
    for start in range(0, len(items), 6):
        elements = ["PLB", "1234567893", "20261231"]
        for item in items[start : start + 6]:
            elements.extend([seps.component.join([item.reason, "REF1"]), str(item.amount)])
        yield elements


def _date(value: date) -> str:
    return value.strftime("%Y%m%d")


def money(text: str) -> Decimal:
    """A money amount as the reader returns it."""
    return Decimal(text).quantize(Decimal("0.01"))
