"""Loop 2400 (service line) and 2430 (line adjudication by another payer)."""

from functools import lru_cache

from otclinic.domain.claims.x12.p837.claim import Adjustment, LineAdjudication, ServiceLine
from otclinic.domain.claims.x12.p837.segments import COMPONENT, SegmentWriter, amount, composite, d8

PROCEDURE_QUALIFIER = "HC"  # HCPCS/CPT
UNITS = "UN"
MAX_ADJUSTMENTS_PER_CAS = 6  # CAS02-CAS19: six reason/amount/quantity triplets


def write_2400(out: SegmentWriter, *, number: int, line: ServiceLine) -> None:
    """LX, SV1, DTP*472, REF*6R, then one 2430 loop per other payer's adjudication."""
    out.add("LX", str(number))
    out.add(
        "SV1",
        procedure(line.procedure_code, line.modifiers),
        _charge(line.charge),
        UNITS,
        str(line.units),
        "",  # SV105 place of service: only when it differs from CLM05-1
        "",
        _pointers(line.diagnosis_pointers),
    )
    out.add("DTP", "472", "D8", _day(line.service_date))
    if line.line_item_control_number:
        out.add("REF", "6R", line.line_item_control_number)
    for adjudication in line.adjudications:
        write_2430(out, line=line, adjudication=adjudication)


# A file repeats a few codes, charges, pointer lists and dates thousands of times: each is
# written once. (Charges are finite by then, so hashable: the writer's checks refuse the rest.)
_charge = lru_cache(maxsize=4096)(amount)
_day = lru_cache(maxsize=4096)(d8)


@lru_cache(maxsize=1024)
def _pointers(pointers: tuple[int, ...]) -> str:
    """SV107: the diagnosis pointers, a component separator apart."""
    return COMPONENT.join(str(pointer) for pointer in pointers)


@lru_cache(maxsize=4096)
def procedure(code: str, modifiers: tuple[str, ...]) -> str:
    """SV101 / SVD03: HC:code:mod1:mod2:mod3:mod4."""
    return composite(PROCEDURE_QUALIFIER, code, *modifiers)


def write_2430(out: SegmentWriter, *, line: ServiceLine, adjudication: LineAdjudication) -> None:
    """SVD (paid amount and units), CAS per adjustment group, DTP*573 adjudication date."""
    out.add(
        "SVD",
        adjudication.payer_id,
        amount(adjudication.paid_amount),
        procedure(line.procedure_code, line.modifiers),
        "",
        str(adjudication.units),
    )
    write_cas(out, adjustments=adjudication.adjustments)
    out.add("DTP", "573", "D8", d8(adjudication.adjudication_date))


def write_cas(out: SegmentWriter, *, adjustments: tuple[Adjustment, ...]) -> None:
    """One CAS per group code (in order of first appearance), six adjustments at most each."""
    groups: dict[str, list[Adjustment]] = {}
    for adjustment in adjustments:
        groups.setdefault(adjustment.group, []).append(adjustment)
    for group, members in groups.items():
        for start in range(0, len(members), MAX_ADJUSTMENTS_PER_CAS):
            chunk = members[start : start + MAX_ADJUSTMENTS_PER_CAS]
            out.add("CAS", group, *_triplets(chunk))


def _triplets(adjustments: list[Adjustment]) -> list[str]:
    elements: list[str] = []
    for adjustment in adjustments:
        quantity = "" if adjustment.quantity is None else str(adjustment.quantity)
        elements += [adjustment.reason, amount(adjustment.amount), quantity]
    return elements
