"""One 835 transaction set (ST..SE) read into a `Transaction`.

The 835's loops are recognised by the segment that opens them (N1 for 1000A/1000B, LX for 2000,
CLP for 2100, SVC for 2110, PLB for the summary); segments the reader does not need (N3, N4,
TS3, NM1, MIA, MOA, AMT, QTY...) are skipped, so payers' extra segments do not stop it.

Speed: a segment the reader does not need is never split into elements. The segments of every
claim (CLP, SVC, CAS, DTM) are read from their elements with the checks written inline for the
usual case (amounts to the cent, composites as ISA16 declares them); anything else, and every
error or warning, goes through the general code on a `Segment`, so messages are the same.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from otclinic.domain.claims.x12 import era_values as v
from otclinic.domain.claims.x12.era_envelope import Segments
from otclinic.domain.claims.x12.era_model import (
    Adjustment,
    ClaimPayment,
    Payee,
    Payer,
    Payment,
    ProviderAdjustment,
    Transaction,
    make_adjustment,
    make_claim_payment,
    make_service_payment,
)
from otclinic.domain.claims.x12.tokens import Segment, Separators, make_segment

_ONE = Decimal(1)
_ZERO = Decimal("0.00")
_CENT = Decimal("0.01")
_cents = v.CENTS.fullmatch
_CAS_TRIPLES = 6
_PLB_PAIRS = 6


class _Service:
    """A service line being read (SVC, then its DTM, CAS and LQ)."""

    __slots__ = ("adjustments", "amounts", "modifiers", "procedure", "remarks", "service_date")

    def __init__(
        self, procedure: str, modifiers: tuple[str, ...], amounts: tuple[Decimal, Decimal, Decimal]
    ) -> None:
        self.procedure = procedure
        self.modifiers = modifiers
        self.amounts = amounts  # charge, paid, units
        self.service_date: date | None = None
        # Tuples grown by concatenation: most services have no CAS or LQ, and the empty tuple
        # costs nothing to make.
        self.adjustments: tuple[Adjustment, ...] = ()
        self.remarks: tuple[str, ...] = ()


class _Claim:
    """A claim being read (CLP, then its CAS, DTM and services)."""

    __slots__ = (
        "adjustments",
        "amounts",
        "claim_date",
        "patient_control_number",
        "payer_claim_number",
        "services",
        "status_code",
    )

    def __init__(self, clp: list[str], amounts: tuple[Decimal, Decimal, Decimal]) -> None:
        self.patient_control_number = clp[1]
        self.status_code = clp[2]
        self.payer_claim_number = (clp[7] if len(clp) > 7 else "") or None
        self.amounts = amounts  # charge, paid, patient responsibility
        self.claim_date: date | None = None
        self.adjustments: tuple[Adjustment, ...] = ()
        self.services: list[_Service] = []


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
    # The last claim read, still open to its CAS and DTM segments; the claims before it are
    # finished (made frozen) when the next CLP opens, so their builders never grow old.
    claim: _Claim | None = None
    claims: list[ClaimPayment] = field(default_factory=list)
    service: _Service | None = None
    provider_adjustments: list[ProviderAdjustment] = field(default_factory=list)


def read_transaction(
    segments: Segments, where: tuple[int, int], separators: Separators, warnings: list[str]
) -> Transaction:
    """The transaction set from index `where[0]` (ST) to `where[1]` (SE); problems worth knowing
    go to `warnings`."""
    start, end = where
    st = segments.segment(start)
    if end - start + 1 < 3 or segments.tags[start + 1] != "BPR":
        raise v.EraError(
            f"{segments.segment(start + 1).where()}: expected BPR right after ST at {st.where()}"
        )
    reading = _Reading(separators, warnings)
    texts, tags, element = segments.texts, segments.tags, separators.element
    handlers = _HANDLERS
    for index in range(start + 1, end):
        handler = handlers.get(tags[index])
        if handler is not None:  # the others are never split into elements
            handler(reading, texts[index].split(element), index + 1)
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


def _clp(reading: _Reading, elements: list[str], position: int) -> None:
    if len(elements) > 5 and elements[1] and elements[2]:
        charge, paid, owed = elements[3], elements[4], elements[5]
        if _cents(charge) and _cents(paid) and (not owed or _cents(owed)):
            # CLP05 is situational and goes through v.to_amount, which quantizes even cents.
            owed_amount = Decimal(owed).quantize(_CENT) if owed else _ZERO
            amounts = (Decimal(charge), Decimal(paid), owed_amount)
        else:
            amounts = _clp_amounts(make_segment(position, tuple(elements)))
    else:
        amounts = _clp_amounts(make_segment(position, tuple(elements)))
    reading.entity = ""
    reading.service = None
    if reading.claim is not None:
        reading.claims.append(_claim(reading.claim))
    reading.claim = _Claim(elements, amounts)


def _clp_amounts(clp: Segment) -> tuple[Decimal, Decimal, Decimal]:
    """CLP03-05 with every check, and CLP01-02 required."""
    v.required(clp, 1)
    v.required(clp, 2)
    return v.amount(clp, 3), v.amount(clp, 4), v.amount_or_zero(clp, 5)


def _cas(reading: _Reading, elements: list[str], position: int) -> None:
    triples = _usual_triples(elements)
    if triples is None:
        triples = _cas_triples(make_segment(position, tuple(elements)))
    if reading.service is not None:
        reading.service.adjustments += triples
    else:
        claim = _open_claim(reading, elements, position)
        claim.adjustments += triples


def _usual_triples(elements: list[str]) -> tuple[Adjustment, ...] | None:
    """The CAS triples when every one is complete with an amount to the cent, else None."""
    count = len(elements)
    if count == 4 and elements[1] and elements[2] and _cents(elements[3]):  # one triple
        return (make_adjustment(elements[1], elements[2], Decimal(elements[3])),)
    group = elements[1] if count > 1 else ""
    if not group:
        return None
    triples = []
    for reason_index in range(2, min(count, 2 + 3 * _CAS_TRIPLES), 3):
        reason = elements[reason_index]
        raw = elements[reason_index + 1] if reason_index + 1 < count else ""
        if reason and _cents(raw):
            triples.append(make_adjustment(group, reason, Decimal(raw)))
        elif reason or raw:
            return None
    return tuple(triples) if triples else None


def _cas_triples(cas: Segment) -> tuple[Adjustment, ...]:
    group = v.required(cas, 1)
    triples = []
    elements = cas.elements
    for reason_index in range(2, min(len(elements), 2 + 3 * _CAS_TRIPLES), 3):
        if elements[reason_index]:
            adjustment = make_adjustment(
                group, elements[reason_index], v.amount(cas, reason_index + 1)
            )
            triples.append(adjustment)
        elif cas.get(reason_index + 1):
            v.required(cas, reason_index)  # an amount without its reason code
    if not triples:
        raise v.EraError(f"{cas.where()}: CAS02 (adjustment reason code) is missing")
    return tuple(triples)


def _svc(reading: _Reading, elements: list[str], position: int) -> None:
    claim = _open_claim(reading, elements, position)
    service = None
    if len(elements) > 3 and elements[1] and _cents(elements[2]) and _cents(elements[3]):
        parts = elements[1].split(reading.separators.component)
        raw_units = elements[5] if len(elements) > 5 else ""
        if len(parts) > 1 and parts[1] and (not raw_units or raw_units.isdigit()):
            modifiers = tuple(filter(None, parts[2:6])) if len(parts) > 2 else ()
            units = Decimal(raw_units) if raw_units else _ONE
            amounts = (Decimal(elements[2]), Decimal(elements[3]), units)
            service = _Service(parts[1], modifiers, amounts)
    if service is None:
        svc = make_segment(position, tuple(elements))
        procedure, modifiers = _procedure(reading, svc)
        amounts = (v.amount(svc, 2), v.amount(svc, 3), v.quantity(svc, 5, _ONE))
        service = _Service(procedure, modifiers, amounts)
    reading.service = service
    claim.services.append(service)


def _dtm(reading: _Reading, elements: list[str], position: int) -> None:
    qualifier = elements[1] if len(elements) > 1 else ""
    service = reading.service
    if service is not None and qualifier in ("472", "150"):
        if qualifier == "472" or service.service_date is None:
            service.service_date = _date(elements, position)
    elif service is None and reading.claim and qualifier == "232" and not reading.entity:
        reading.claim.claim_date = _date(elements, position)


def _date(elements: list[str], position: int) -> date:
    """DTM02, a required CCYYMMDD date."""
    raw = elements[2] if len(elements) > 2 else ""
    if len(raw) == 8 and raw.isascii() and raw.isdigit():
        try:
            return date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
        except ValueError:
            pass
    return v.required_date(make_segment(position, tuple(elements)), 2)


def _lq(reading: _Reading, elements: list[str], position: int) -> None:
    if reading.service is not None and len(elements) > 1 and elements[1] == "HE":
        remark = elements[2] if len(elements) > 2 else ""
        if not remark:
            remark = v.required(make_segment(position, tuple(elements)), 2)
        reading.service.remarks += (remark,)


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


def _segment_handler(
    handler: Callable[[_Reading, Segment], None],
) -> Callable[[_Reading, list[str], int], None]:
    """A handler of the segments met once per transaction set, which reads a `Segment`."""

    def read(reading: _Reading, elements: list[str], position: int) -> None:
        handler(reading, make_segment(position, tuple(elements)))

    return read


_HANDLERS: dict[str, Callable[[_Reading, list[str], int], None]] = {
    "BPR": _segment_handler(_bpr),
    "TRN": _segment_handler(_trn),
    "N1": _segment_handler(_n1),
    "REF": _segment_handler(_ref),
    "PER": _segment_handler(_per),
    "LX": _segment_handler(_lx),
    "CLP": _clp,
    "CAS": _cas,
    "SVC": _svc,
    "DTM": _dtm,
    "LQ": _lq,
    "PLB": _segment_handler(_plb),
}


def _open_claim(reading: _Reading, elements: list[str], position: int) -> _Claim:
    if reading.claim is None or reading.entity:
        segment = make_segment(position, tuple(elements))
        raise v.EraError(f"{segment.where()}: {segment.tag} outside a claim (no CLP before it)")
    return reading.claim


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
    if reading.claim is not None:
        reading.claims.append(_claim(reading.claim))
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
        claims=tuple(reading.claims),
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
    claim_date = claim.claim_date
    return make_claim_payment(
        (claim.patient_control_number, claim.status_code, claim.payer_claim_number),
        claim.amounts,
        claim.adjustments,
        tuple(
            [
                make_service_payment(
                    service.procedure,
                    service.modifiers,
                    service.amounts,
                    service.service_date or claim_date,
                    service.adjustments,
                    service.remarks,
                )
                for service in claim.services
            ]
        ),
    )
