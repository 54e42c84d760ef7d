"""Reading single 835 elements: amounts, dates, numbers and required values, with clear errors.

Every error names the segment, its position in the file and the element, as the contract asks:
`segment 57 (CLP): CLP04 "12x.00" is not an amount`.
"""

import re
from datetime import date
from decimal import Decimal

from otclinic.domain.claims.x12.tokens import Segment

_CENT = Decimal("0.01")
# X12 type R: optional minus, digits with an optional decimal point. No exponent, no spaces.
_AMOUNT = re.compile(r"-?(?:\d+\.?\d*|\.\d+)")
# Money: the same with at most two decimal places.
_MONEY = re.compile(r"-?(?:\d+(?:\.\d{0,2})?|\.\d{1,2})")
# The fast path, nearly every amount in practice: already written to the cent.
CENTS = re.compile(r"-?\d+\.\d\d")
_DATE = re.compile(r"\d{8}")


class EraError(ValueError):
    """The file cannot be read as an 835; the message names the segment and its position."""


def element_name(segment: Segment, index: int) -> str:
    """The implementation guide's name of an element: CLP04."""
    return f"{segment.tag}{index:02d}"


def required(segment: Segment, index: int) -> str:
    """Element `index`, which the 835 requires."""
    elements = segment.elements
    value = elements[index] if index < len(elements) else ""
    if not value:
        raise EraError(f"{segment.where()}: {element_name(segment, index)} is missing")
    return value


def optional(segment: Segment, index: int) -> str | None:
    """Element `index`, or None when empty or absent."""
    return segment.get(index) or None


def amount(segment: Segment, index: int) -> Decimal:
    """A required money amount, to the cent, sign kept."""
    elements = segment.elements
    raw = elements[index] if index < len(elements) else ""
    if CENTS.fullmatch(raw):
        return Decimal(raw)
    return to_amount(segment, index, required(segment, index))


def amount_or_zero(segment: Segment, index: int) -> Decimal:
    """A situational money amount: zero when the payer left it out."""
    raw = segment.get(index)
    return to_amount(segment, index, raw) if raw else Decimal("0.00")


def to_amount(segment: Segment, index: int, raw: str) -> Decimal:
    """`raw` as money; more than two decimal places is not money."""
    if _MONEY.fullmatch(raw):
        return Decimal(raw).quantize(_CENT)
    if not _AMOUNT.fullmatch(raw):
        raise EraError(
            f'{segment.where()}: {element_name(segment, index)} "{raw}" is not an amount'
        )
    value = Decimal(raw)
    if value != value.quantize(_CENT):
        raise EraError(
            f'{segment.where()}: {element_name(segment, index)} "{raw}" has more than two decimals'
        )
    return value.quantize(_CENT)


def quantity(segment: Segment, index: int, default: Decimal) -> Decimal:
    """A quantity such as units of service (SVC05), `default` when absent."""
    raw = segment.get(index)
    if not raw:
        return default
    if raw.isdigit():
        return Decimal(raw)
    if not _AMOUNT.fullmatch(raw):
        raise EraError(f'{segment.where()}: {element_name(segment, index)} "{raw}" is not a number')
    return Decimal(raw)


def to_date(raw: str) -> date | None:
    """CCYYMMDD as a date, or None when it is not a real calendar date."""
    if not _DATE.fullmatch(raw):
        return None
    try:
        return date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
    except ValueError:
        return None


def required_date(segment: Segment, index: int) -> date:
    """A required CCYYMMDD date."""
    raw = required(segment, index)
    value = to_date(raw)
    if value is None:
        raise EraError(
            f'{segment.where()}: {element_name(segment, index)} "{raw}" is not a date (CCYYMMDD)'
        )
    return value
