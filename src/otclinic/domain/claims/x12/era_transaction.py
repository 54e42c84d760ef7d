"""One 835 transaction set (ST..SE) read into a `Transaction`.

The 835's loops are recognised by the segment that opens them (N1 for 1000A/1000B, LX for 2000,
CLP for 2100, SVC for 2110, PLB for the summary); segments the reader does not need (N3, N4,
TS3, NM1, MIA, MOA, AMT, QTY...) are skipped, so payers' extra segments do not stop it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from otclinic.domain.claims.x12 import era_values as v
from otclinic.domain.claims.x12.era_model import (
    Adjustment,
    ClaimPayment,
    Payee,
    Payer,
    Payment,
    ProviderAdjustment,
    ServicePayment,
    Transaction,
)
from otclinic.domain.claims.x12.tokens import Segment, Separators

_ONE = Decimal(1)
_CAS_TRIPLES = 6
_PLB_PAIRS = 6


@dataclass(slots=True)
class _Service:
    procedure: str
    modifiers: tuple[str, ...]
    charge: Decimal
    paid: Decimal
    units: Decimal
    service_date: date | None = None
    adjustments: list[Adjustment] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Claim:
    clp: Segment
    charge: Decimal
    paid: Decimal
    patient_responsibility: Decimal
    claim_date: date | None = None
    adjustments: list[Adjustment] = field(default_factory=list)
    services: list[_Service] = field(default_factory=list)


@dataclass(slots=True)
class _Reading:
    """What has been read so far in one transaction set."""

    separators: Separators
    warnings: list[str]
    entity: str = ""  # the open N1 loop: PR (payer), PE (payee) or "" once claims start
    payer: dict[str, str | None] = field(default_factory=dict)
    payee: dict[str, str | None] = field(default_factory=dict)
    payer_contact: bool = False
    payment: Payment | None = None
    trace_number: str | None = None
    claims: list[_Claim] = field(default_factory=list)
    service: _Service | None = None
    provider_adjustments: list[ProviderAdjustment] = field(default_factory=list)


def read_transaction(
    segments: list[Segment], separators: Separators, warnings: list[str]
) -> Transaction:
    """The transaction in `segments` (ST first, SE last); problems worth knowing go to `warnings`."""
    st = segments[0]
    if len(segments) < 3 or segments[1].tag != "BPR":
        raise v.EraError(f"{segments[1].where()}: expected BPR right after ST at {st.where()}")
    reading = _Reading(separators, warnings)
    for segment in segments[1:-1]:
        handler = _HANDLERS.get(segment.elements[0])
        if handler is not None:
            handler(reading, segment)
    return _finish(reading, st)


def _bpr(reading: _Reading, bpr: Segment) -> None:
    raw_date = bpr.get(16)
    paid_on = v.to_date(raw_date) if raw_date else None
    if not raw_date:
        reading.warnings.append(f"{bpr.where()}: BPR16 (payment date) is missing")
    elif paid_on is None:
        reading.warnings.append(
            f'{bpr.where()}: BPR16 "{raw_date}" is not a date (CCYYMMDD); payment date left empty'
        )
    reading.payment = Payment(v.amount(bpr, 2), v.required(bpr, 4), paid_on, None)


def _trn(reading: _Reading, trn: Segment) -> None:
    if reading.trace_number is None:
        reading.trace_number = v.required(trn, 2)


def _n1(reading: _Reading, n1: Segment) -> None:
    reading.entity = n1.get(1)
    qualifier, code = n1.get(3), v.optional(n1, 4)
    if reading.entity == "PR":
        reading.payer = {"name": v.optional(n1, 2), "id": code}
    elif reading.entity == "PE":
        reading.payee = {
            "name": v.optional(n1, 2),
            "npi": code if qualifier == "XX" else None,
            "tax_id": code if qualifier == "FI" else None,
        }


def _ref(reading: _Reading, ref: Segment) -> None:
    qualifier = ref.get(1)
    if reading.entity == "PR" and qualifier == "2U":
        reading.payer["id"] = v.required(ref, 2)
    elif reading.entity == "PE" and qualifier == "TJ":
        reading.payee["tax_id"] = v.required(ref, 2)


def _per(reading: _Reading, per: Segment) -> None:
    if reading.entity == "PR" and per.get(1) == "BL":
        reading.payer_contact = True


def _lx(reading: _Reading, lx: Segment) -> None:
    reading.entity = ""
    reading.service = None


def _clp(reading: _Reading, clp: Segment) -> None:
    v.required(clp, 1)
    v.required(clp, 2)
    claim = _Claim(clp, v.amount(clp, 3), v.amount(clp, 4), v.amount_or_zero(clp, 5))
    reading.entity = ""
    reading.service = None
    reading.claims.append(claim)


def _cas(reading: _Reading, cas: Segment) -> None:
    group = v.required(cas, 1)
    triples = []
    elements = cas.elements
    for reason_index in range(2, min(len(elements), 2 + 3 * _CAS_TRIPLES), 3):
        if elements[reason_index]:
            adjustment = Adjustment(group, elements[reason_index], v.amount(cas, reason_index + 1))
            triples.append(adjustment)
        elif cas.get(reason_index + 1):
            v.required(cas, reason_index)  # an amount without its reason code
    if not triples:
        raise v.EraError(f"{cas.where()}: CAS02 (adjustment reason code) is missing")
    if reading.service is not None:
        reading.service.adjustments.extend(triples)
    else:
        _open_claim(reading, cas).adjustments.extend(triples)


def _svc(reading: _Reading, svc: Segment) -> None:
    claim = _open_claim(reading, svc)
    procedure, modifiers = _procedure(reading, svc)
    reading.service = _Service(
        procedure, modifiers, v.amount(svc, 2), v.amount(svc, 3), v.quantity(svc, 5, _ONE)
    )
    claim.services.append(reading.service)


def _dtm(reading: _Reading, dtm: Segment) -> None:
    qualifier = dtm.get(1)
    service = reading.service
    if service is not None and qualifier in ("472", "150"):
        if qualifier == "472" or service.service_date is None:
            service.service_date = v.required_date(dtm, 2)
    elif service is None and reading.claims and qualifier == "232" and not reading.entity:
        reading.claims[-1].claim_date = v.required_date(dtm, 2)


def _lq(reading: _Reading, lq: Segment) -> None:
    if reading.service is not None and lq.get(1) == "HE":
        reading.service.remarks.append(v.required(lq, 2))


def _plb(reading: _Reading, plb: Segment) -> None:
    reading.entity = ""
    reading.service = None
    for number in range(_PLB_PAIRS):
        reason_index = 3 + 2 * number
        composite = plb.get(reason_index)
        if not composite:
            continue
        reason = composite.split(reading.separators.component)[0]
        amount = v.amount(plb, reason_index + 1)
        reading.provider_adjustments.append(ProviderAdjustment(reason, amount))
    if not reading.provider_adjustments:
        v.required(plb, 3)


_HANDLERS: dict[str, Callable[[_Reading, Segment], None]] = {
    "BPR": _bpr,
    "TRN": _trn,
    "N1": _n1,
    "REF": _ref,
    "PER": _per,
    "LX": _lx,
    "CLP": _clp,
    "CAS": _cas,
    "SVC": _svc,
    "DTM": _dtm,
    "LQ": _lq,
    "PLB": _plb,
}


def _open_claim(reading: _Reading, segment: Segment) -> _Claim:
    if not reading.claims or reading.entity:
        raise v.EraError(f"{segment.where()}: {segment.tag} outside a claim (no CLP before it)")
    return reading.claims[-1]


def _procedure(reading: _Reading, svc: Segment) -> tuple[str, tuple[str, ...]]:
    """SVC01: qualifier, procedure and up to four modifiers (HC:97530:GO)."""
    raw = v.required(svc, 1)
    parts = raw.split(reading.separators.component)
    if len(parts) == 1 and len(raw) > 3 and raw[:2].isalpha() and not raw[2].isalnum():
        # Seen in the wild: a composite written with another separator than ISA16 declares.
        parts = raw.split(raw[2])
        reading.warnings.append(
            f'{svc.where()}: SVC01 "{raw}" separates components with "{raw[2]}" but ISA16 is'
            f' "{reading.separators.component}"; read as procedure {parts[1]}'
        )
    if len(parts) < 2 or not parts[1]:
        raise v.EraError(f'{svc.where()}: SVC01 "{raw}" has no procedure code')
    return parts[1], tuple(filter(None, parts[2:6])) if len(parts) > 2 else ()


def _finish(reading: _Reading, st: Segment) -> Transaction:
    assert reading.payment is not None  # read_transaction checked BPR comes first
    payment = Payment(
        reading.payment.amount, reading.payment.method, reading.payment.date, reading.trace_number
    )
    _warn_missing(reading, st)
    return Transaction(
        control_number=st.get(2),
        position=st.position,
        payer=Payer(reading.payer.get("name"), reading.payer.get("id")),
        payee=Payee(
            reading.payee.get("name"), reading.payee.get("npi"), reading.payee.get("tax_id")
        ),
        payment=payment,
        claims=tuple(_claim(claim) for claim in reading.claims),
        provider_adjustments=tuple(reading.provider_adjustments),
    )


def _warn_missing(reading: _Reading, st: Segment) -> None:
    where = f"transaction {st.get(2)} ({st.where()})"
    if not reading.payer:
        reading.warnings.append(f"{where}: no payer (N1*PR, loop 1000A)")
    elif not reading.payer_contact:
        reading.warnings.append(f"{where}: no PER*BL (payer technical contact, loop 1000A)")
    if not reading.payee:
        reading.warnings.append(f"{where}: no payee (N1*PE, loop 1000B)")
    if reading.trace_number is None:
        reading.warnings.append(f"{where}: no TRN (reassociation trace number)")


def _claim(claim: _Claim) -> ClaimPayment:
    clp = claim.clp
    return ClaimPayment(
        patient_control_number=clp.elements[1],
        status_code=clp.elements[2],
        charge=claim.charge,
        paid=claim.paid,
        patient_responsibility=claim.patient_responsibility,
        payer_claim_number=v.optional(clp, 7),
        adjustments=tuple(claim.adjustments),
        services=tuple(_service(service, claim.claim_date) for service in claim.services),
    )


def _service(service: _Service, claim_date: date | None) -> ServicePayment:
    return ServicePayment(
        procedure=service.procedure,
        modifiers=service.modifiers,
        charge=service.charge,
        paid=service.paid,
        units=service.units,
        date=service.service_date or claim_date,
        adjustments=tuple(service.adjustments),
        remarks=tuple(service.remarks),
    )
