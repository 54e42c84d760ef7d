"""Loop 2110 of an 835: one service line (SVC) and its dates (DTM) and remarks (LQ).

A service line without a procedure code, with a date that is not a date or with units that are
not a number is read with a warning naming the segment: its money is still there. Its charge and
payment must be amounts (refused otherwise, naming the element).

Seen in the wild (LinuxForHealth x12's tertiary-payment sample): `SVC*HC*24599.00*1766.50*
187.50**1`, the procedure code written after an element separator, so that every element after
SVC01 is one place late. When SVC01 holds only a qualifier and SVC04 (an institutional revenue
code) holds an amount, the line is read shifted: charge SVC03, paid SVC04, units SVC06; and
without a procedure, since what SVC02 holds is a guess.
"""

from datetime import date
from decimal import Decimal

from otclinic.domain.claims.x12 import era_values as v
from otclinic.domain.claims.x12.era_reading import Reading, ServiceBuilder, open_claim
from otclinic.domain.claims.x12.tokens import Segment, make_segment

_ONE = Decimal(1)
_cents = v.CENTS.fullmatch


def read_svc(reading: Reading, elements: list[str], position: int) -> None:
    claim = open_claim(reading, elements, position)
    service = None
    if len(elements) > 3 and elements[1] and _cents(elements[2]) and _cents(elements[3]):
        parts = elements[1].split(reading.separators.component)
        raw_units = elements[5] if len(elements) > 5 else ""
        plain_units = raw_units.isascii() and raw_units.isdigit() and len(raw_units) < 5
        if len(parts) > 1 and parts[1] and (not raw_units or plain_units):
            modifiers = tuple(filter(None, parts[2:6])) if len(parts) > 2 else ()
            units = Decimal(raw_units) if raw_units else _ONE
            amounts = (Decimal(elements[2]), Decimal(elements[3]), units)
            service = ServiceBuilder(parts[1], modifiers, amounts)
    if service is None:
        service = _service(reading, make_segment(position, tuple(elements)))
    reading.service = service
    claim.services.append(service)


def _service(reading: Reading, svc: Segment) -> ServiceBuilder:
    """SVC with every check; the defects real payers send are read with a warning."""
    procedure, modifiers, shifted = _procedure(reading, svc)
    first = 3 if shifted else 2
    charge, paid = v.amount(svc, first), v.amount(svc, first + 1)
    units_index = first + 3
    units = v.quantity(svc, units_index, _ONE)
    if units is None:
        reading.warn(
            f'{svc.where()}: {v.element_name(svc, units_index)} "{svc.get(units_index)}"'
            " is not a number of units; read as 1"
        )
        units = _ONE
    return ServiceBuilder(procedure, modifiers, (charge, paid, units))


def _procedure(reading: Reading, svc: Segment) -> tuple[str, tuple[str, ...], bool]:
    """SVC01: qualifier, procedure and up to four modifiers (HC:97530:GO), and whether the
    elements after it are one place late. A missing procedure is read as "" with a warning."""
    raw = svc.get(1)
    if not raw:
        reading.warn(f"{svc.where()}: SVC01 (procedure) is missing; the line is read without one")
        return "", (), False
    component = reading.separators.component
    parts = raw.split(component)
    if len(parts) == 1 and len(raw) > 3 and raw[:2].isalpha() and not raw[2].isalnum():
        # Seen in the wild: a composite written with another separator than ISA16 declares.
        parts = raw.split(raw[2])
        reading.warn(
            f'{svc.where()}: SVC01 "{raw}" separates components with "{raw[2]}" but ISA16 is'
            f' "{component}"; read as procedure {parts[1]}'
        )
    if len(parts) > 1 and parts[1]:
        return parts[1], tuple(filter(None, parts[2:6])) if len(parts) > 2 else (), False
    shifted = len(parts) == 1 and _shifted(svc)
    if shifted:
        reading.warn(
            f'{svc.where()}: SVC01 "{raw}" has no procedure code and the elements after it are'
            f' one place late (SVC04 "{svc.get(4)}" is an amount, not a revenue code): read as'
            f" charged {svc.get(3)} (SVC03), paid {svc.get(4)} (SVC04), units from SVC06,"
            f' without a procedure (SVC02 "{svc.get(2)}" is not used)'
        )
    else:
        reading.warn(
            f'{svc.where()}: SVC01 "{raw}" has no procedure code; the line is read without one'
        )
    return "", (), shifted


def _shifted(svc: Segment) -> bool:
    """SVC03 and SVC04 both amounts, SVC04 with a decimal point: a revenue code never has one."""
    return "." in svc.get(4) and v.is_money(svc.get(4)) and v.is_money(svc.get(3))


def read_dtm(reading: Reading, elements: list[str], position: int) -> None:
    qualifier = elements[1] if len(elements) > 1 else ""
    service = reading.service
    if service is not None and qualifier in ("472", "150"):
        if qualifier == "472" or service.service_date is None:
            service.service_date = _date(reading, elements, position)
    elif service is None and reading.claim and qualifier == "232" and not reading.entity:
        reading.claim.claim_date = _date(reading, elements, position)


def _date(reading: Reading, elements: list[str], position: int) -> date | None:
    """DTM02, a CCYYMMDD date; one that is not a date is left empty, with a warning."""
    raw = elements[2] if len(elements) > 2 else ""
    if len(raw) == 8 and raw.isascii() and raw.isdigit():
        try:
            return date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
        except ValueError:
            pass
    dtm = make_segment(position, tuple(elements))
    problem = f'DTM02 "{raw}" is not a date (CCYYMMDD)' if raw else "DTM02 (date) is missing"
    reading.warn(f"{dtm.where()}: {problem}; the date is left empty")
    return None


def read_lq(reading: Reading, elements: list[str], position: int) -> None:
    if reading.service is not None and len(elements) > 1 and elements[1] == "HE":
        remark = elements[2] if len(elements) > 2 else ""
        if remark:
            reading.service.remarks += (remark,)
        else:
            lq = make_segment(position, tuple(elements))
            reading.warn(f"{lq.where()}: LQ02 (remark code) is missing")
