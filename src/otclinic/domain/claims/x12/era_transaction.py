"""One 835 transaction set (ST..SE) read into a `Transaction`.

The 835's loops are recognised by the segment that opens them (N1 for 1000A/1000B, LX for 2000,
CLP for 2100, SVC for 2110, PLB for the summary); segments the reader does not need (N3, N4,
TS3, MIA, AMT, QTY, NM1 other than TT...) are skipped, so payers' extra segments do not stop it.

Real payers' files have element-level defects: a service line without a procedure code, a date
that is not a date, a missing claim number or reason code, an unknown group code. Those are read
with a warning naming the segment and its position, because refusing the file would keep a whole
payment off the ledger. What is refused is what the money cannot be read without: an amount that
is missing, not an amount or too large (BPR02, CLP03-05, SVC02-03, CAS and PLB amounts), a CAS
without its group code, and structural damage (the envelopes, `era_envelope`; a BPR that is not
first; a CAS or SVC outside a claim).

Speed: a segment the reader does not need is never split into elements. The segments of every
claim (CLP, SVC, CAS, DTM) are read from their elements with the checks written inline for the
usual case (amounts to the cent, composites as ISA16 declares them); anything else, and every
error or warning, goes through the general code on a `Segment`, so messages are the same.
"""

import hashlib
from collections.abc import Callable
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
from otclinic.domain.claims.x12.era_reading import ClaimBuilder, Reading, open_claim
from otclinic.domain.claims.x12.era_service_line import read_dtm, read_lq, read_svc
from otclinic.domain.claims.x12.tokens import Segment, Separators, make_segment

_ZERO = Decimal("0.00")
_CENT = Decimal("0.01")
_cents = v.CENTS.fullmatch
_CAS_TRIPLES = 6
_PLB_PAIRS = 6
# CAS01, the claim adjustment group codes (835 TR3 loops 2100 and 2110).
_GROUPS = frozenset({"CO", "CR", "OA", "PI", "PR"})
# Segments inside a claim: a too-large amount in one is named with the claim's CLP01.
_IN_CLAIM = frozenset({"CAS", "SVC"})


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
    reading = Reading(separators, warnings)
    texts, tags, element = segments.texts, segments.tags, separators.element
    handlers = _HANDLERS
    for index in range(start + 1, end):
        handler = handlers.get(tags[index])
        if handler is None:  # never split into elements
            continue
        try:
            handler(reading, texts[index].split(element), index + 1)
        except v.AmountTooLarge as exc:
            claim = reading.claim if tags[index] in _IN_CLAIM else None
            raise exc.in_claim(claim.patient_control_number if claim else "") from None
    # Only a set without a trace number needs recognising by its content (and hashing every set
    # of a large file costs a twentieth of reading it).
    content = fingerprint(segments, where) if reading.trace_number is None else ""
    return _finish(reading, st, content)


def fingerprint(segments: Segments, where: tuple[int, int]) -> str:
    """A hash of what a transaction set says, from BPR to the segment before SE, the same
    whatever its separators, line breaks and control numbers (ISA13, GS06 and ST02 are outside).

    It recognises a re-sent remittance that has no TRN trace number to be recognised by.
    """
    start, end = where
    element = segments.element
    body = "\x1e".join(text.replace(element, "\x1f") for text in segments.texts[start + 1 : end])
    return hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest()


def _bpr(reading: Reading, bpr: Segment) -> None:
    raw_date = bpr.get(16)
    paid_on = v.to_date(raw_date) if raw_date else None
    if not raw_date:
        reading.warn(f"{bpr.where()}: BPR16 (payment date) is missing")
    elif paid_on is None:
        reading.warn(
            f'{bpr.where()}: BPR16 "{raw_date}" is not a date (CCYYMMDD); payment date left empty'
        )
    method = bpr.get(4)
    if not method:
        reading.warn(f"{bpr.where()}: BPR04 (payment method) is missing")
    reading.payment = Payment(v.amount(bpr, 2), method, paid_on, None)


def _trn(reading: Reading, trn: Segment) -> None:
    if reading.trace_number is not None:
        return
    if not trn.get(2):
        reading.warn(f"{trn.where()}: TRN02 (trace number) is missing")
        return
    reading.trace_number = trn.get(2)
    reading.originator = v.optional(trn, 3)


def _n1(reading: Reading, n1: Segment) -> None:
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


def _ref(reading: Reading, ref: Segment) -> None:
    qualifier = ref.get(1)
    if reading.entity == "PR" and qualifier == "2U":
        target, key = reading.payer, "id"
    elif reading.entity == "PE" and qualifier == "TJ":
        target, key = reading.payee, "tax_id"
    else:
        return
    if ref.get(2):
        target[key] = ref.get(2)
    else:
        reading.warn(f"{ref.where()}: REF02 (the {qualifier} identifier) is missing")


def _per(reading: Reading, per: Segment) -> None:
    if reading.entity == "PR" and per.get(1) == "BL":
        reading.payer_contact = True


def _lx(reading: Reading, lx: Segment) -> None:
    reading.entity = ""
    reading.service = None


def _clp(reading: Reading, elements: list[str], position: int) -> None:
    amounts = None
    if len(elements) > 5 and elements[1] and elements[2]:
        charge, paid, owed = elements[3], elements[4], elements[5]
        if _cents(charge) and _cents(paid) and (not owed or _cents(owed)):
            # CLP05 is situational and goes through v.to_amount, which quantizes even cents.
            owed_amount = Decimal(owed).quantize(_CENT) if owed else _ZERO
            amounts = (Decimal(charge), Decimal(paid), owed_amount)
    if amounts is None:
        clp = make_segment(position, tuple(elements))
        amounts = v.amount(clp, 3), v.amount(clp, 4), v.amount_or_zero(clp, 5)
        _warn_clp_numbers(reading, clp)
    reading.entity = ""
    reading.service = None
    if reading.claim is not None:
        reading.claims.append(_claim(reading.claim))
    reading.claim = ClaimBuilder(elements, amounts)


def _warn_clp_numbers(reading: Reading, clp: Segment) -> None:
    if not clp.get(1):
        reading.warn(
            f"{clp.where()}: CLP01 (patient control number) is missing: the claim matches none"
            " of ours and waits in the unmatched queue"
        )
    if not clp.get(2):
        reading.warn(f"{clp.where()}: CLP02 (claim status) is missing")


def _cas(reading: Reading, elements: list[str], position: int) -> None:
    triples = _usual_triples(elements)
    if triples is None:
        triples = _cas_triples(reading, make_segment(position, tuple(elements)))
    if reading.service is not None:
        reading.service.adjustments += triples
    else:
        claim = open_claim(reading, elements, position)
        claim.adjustments += triples


def _usual_triples(elements: list[str]) -> tuple[Adjustment, ...] | None:
    """The CAS triples when the group is known and every triple is complete with an amount to
    the cent, else None."""
    count = len(elements)
    group = elements[1] if count > 1 else ""
    if group not in _GROUPS:
        return None
    if count == 4 and elements[2] and _cents(elements[3]):  # one triple
        return (make_adjustment(group, elements[2], Decimal(elements[3])),)
    triples = []
    for reason_index in range(2, min(count, 2 + 3 * _CAS_TRIPLES), 3):
        reason = elements[reason_index]
        raw = elements[reason_index + 1] if reason_index + 1 < count else ""
        if reason and _cents(raw):
            triples.append(make_adjustment(group, reason, Decimal(raw)))
        elif reason or raw:
            return None
    return tuple(triples) if triples else None


def _cas_triples(reading: Reading, cas: Segment) -> tuple[Adjustment, ...]:
    # Money without its group cannot be posted: a write-down and the patient's share differ.
    group = v.required(cas, 1)
    if group not in _GROUPS:
        reading.warn(
            f'{cas.where()}: CAS01 "{group}" is not a group code (CO, CR, OA, PI or PR);'
            " read as written"
        )
    triples = []
    elements = cas.elements
    for reason_index in range(2, min(len(elements), 2 + 3 * _CAS_TRIPLES), 3):
        reason = elements[reason_index]
        if not reason and not cas.get(reason_index + 1):
            continue
        amount = v.amount(cas, reason_index + 1)
        if not reason:
            reading.warn(
                f"{cas.where()}: {v.element_name(cas, reason_index)} (adjustment reason code)"
                f" is missing; the {group} adjustment of {amount} is read without a reason"
            )
        triples.append(make_adjustment(group, reason, amount))
    if not triples:
        reading.warn(f"{cas.where()}: the CAS holds no adjustment (no CAS02 and CAS03)")
    return tuple(triples)


def _nm1(reading: Reading, nm1: Segment) -> None:
    """Loop 2100 NM1*TT, the crossover carrier: the payer this claim was forwarded to (NM103
    its name, NM109 its identifier). The other NM1s of a claim (QC patient, IL insured, 82
    rendering provider) are not needed."""
    if nm1.get(1) != "TT" or reading.claim is None or reading.entity:
        return
    _, _, remarks = reading.claim.crossover
    reading.claim.crossover = (v.optional(nm1, 3), v.optional(nm1, 9), remarks)


def _moa(reading: Reading, moa: Segment) -> None:
    """Loop 2100 MOA, Medicare outpatient adjudication: its remarks (MOA03-07, RARCs) say
    whether the claim was forwarded (MA18, N89)."""
    if reading.claim is None or reading.entity:
        return
    name, payer_id, _ = reading.claim.crossover
    remarks = tuple(code for code in (moa.get(i) for i in range(3, 8)) if code)
    reading.claim.crossover = (name, payer_id, remarks)


def _plb(reading: Reading, plb: Segment) -> None:
    reading.entity = ""
    reading.service = None
    read = 0
    for number in range(_PLB_PAIRS):
        reason_index = 3 + 2 * number
        composite = plb.get(reason_index)
        if not composite and not plb.get(reason_index + 1):
            continue
        amount = v.amount(plb, reason_index + 1)  # money: refused when missing or bad
        if not composite:
            reading.warn(
                f"{plb.where()}: {v.element_name(plb, reason_index)} (adjustment reason) is"
                f" missing; the provider adjustment of {amount} is read without a reason"
            )
        reason = composite.split(reading.separators.component)[0]
        reading.provider_adjustments.append(ProviderAdjustment(reason, amount))
        read += 1
    if not read:
        reading.warn(f"{plb.where()}: the PLB holds no adjustment (no PLB03 and PLB04)")


def _segment_handler(
    handler: Callable[[Reading, Segment], None],
) -> Callable[[Reading, list[str], int], None]:
    """A handler of the segments met once per transaction set, which reads a `Segment`."""

    def read(reading: Reading, elements: list[str], position: int) -> None:
        handler(reading, make_segment(position, tuple(elements)))

    return read


_HANDLERS: dict[str, Callable[[Reading, list[str], int], None]] = {
    "BPR": _segment_handler(_bpr),
    "TRN": _segment_handler(_trn),
    "N1": _segment_handler(_n1),
    "REF": _segment_handler(_ref),
    "PER": _segment_handler(_per),
    "LX": _segment_handler(_lx),
    "NM1": _segment_handler(_nm1),
    "MOA": _segment_handler(_moa),
    "CLP": _clp,
    "CAS": _cas,
    "SVC": read_svc,
    "DTM": read_dtm,
    "LQ": read_lq,
    "PLB": _segment_handler(_plb),
}


def _finish(reading: Reading, st: Segment, fingerprint: str) -> Transaction:
    assert reading.payment is not None  # read_transaction checked BPR comes first
    if reading.claim is not None:
        reading.claims.append(_claim(reading.claim))
    paid = reading.payment
    payment = Payment(paid.amount, paid.method, paid.date, reading.trace_number, reading.originator)
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
        fingerprint=fingerprint,
    )


def _warn_missing(reading: Reading, st: Segment) -> None:
    where = f"transaction {st.get(2)} ({st.where()})"
    if not reading.payer:
        reading.warn(f"{where}: no payer (N1*PR, loop 1000A)")
    elif not reading.payer_contact:
        reading.warn(f"{where}: no PER*BL (payer technical contact, loop 1000A)")
    if not reading.payee:
        reading.warn(f"{where}: no payee (N1*PE, loop 1000B)")
    if reading.trace_number is None:
        reading.warn(f"{where}: no TRN (reassociation trace number)")


def _claim(claim: ClaimBuilder) -> ClaimPayment:
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
        claim.crossover,
    )
