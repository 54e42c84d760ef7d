"""Reading single 835 elements: amounts, dates, numbers and required values, with clear errors.

Every error names the segment, its position in the file and the element, as the contract asks:
`segment 57 (CLP): CLP04 "12x.00" is not an amount`.

Money and quantities are bounded: an amount has at most ten digits before the point (under ten
billion, which is what the clinic's ledger columns hold: decimal(12, 2)) and a quantity at most
four (units of service per line). A larger number is a damaged file, never a payment: it is
refused naming the element (`AmountTooLarge`), before any arithmetic, so that Decimal never
rounds it and no database column overflows.
"""

import re
from datetime import date
from decimal import Decimal

from otclinic.domain.claims.x12.tokens import Segment, X12ReadError

_CENT = Decimal("0.01")
# X12 type R: optional minus, digits with an optional decimal point. No exponent, no spaces.
# ASCII digits only: `\d` would take other scripts' digits, which are not X12.
_AMOUNT = re.compile(r"-?(?:\d+\.?\d*|\.\d+)", re.ASCII)
# Money: the same with at most two decimal places.
_MONEY = re.compile(r"-?(?:\d+(?:\.\d{0,2})?|\.\d{1,2})", re.ASCII)
# The fast path, nearly every amount in practice: already written to the cent, and small
# enough to need no bound check (at most ten digits before the point).
CENTS = re.compile(r"-?\d{1,10}\.\d\d", re.ASCII)
_DATE = re.compile(r"\d{8}", re.ASCII)

# The largest amount read: what revenue.models.money.MONEY (decimal(12, 2)) holds.
MAX_AMOUNT = Decimal("9999999999.99")
# The largest number of units on one service line (SVC05; the ledger keeps a small integer).
MAX_UNITS = Decimal(9999)
_SHOWN = 20  # characters of a too-large value that a message quotes


class EraError(X12ReadError):
    """The file cannot be read as an 835; the message names the segment and its position."""


class AmountTooLarge(EraError):
    """An amount or quantity larger than the ledger can hold; `in_claim` adds the claim."""

    def __init__(self, segment: Segment, index: int, raw: str, limit: Decimal) -> None:
        self.where = segment.where()
        self.element = element_name(segment, index)
        self.shown = raw if len(raw) <= _SHOWN else f"{raw[:_SHOWN]}... ({len(raw)} characters)"
        self.what = "amount" if limit == MAX_AMOUNT else "quantity"
        self.limit = limit
        # A CLP names its own claim (CLP01); other segments are named by the reader's context.
        self.claim = segment.get(1) if segment.tag == "CLP" else ""
        super().__init__(self._message())

    def in_claim(self, claim: str) -> "AmountTooLarge":
        """The same refusal, naming the claim (CLP01) the segment belongs to."""
        if not self.claim and claim:
            self.claim = claim
            self.args = (self._message(),)
        return self

    def _message(self) -> str:
        claim = f" (claim {self.claim})" if self.claim else ""
        return (
            f"{self.where}: {self.element}{claim}: {self.what} {self.shown} is too large"
            f" (at most {self.limit})"
        )


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


def is_money(raw: str) -> bool:
    """Whether `raw` is written as money (digits, at most two decimal places)."""
    return _MONEY.fullmatch(raw) is not None


def to_amount(segment: Segment, index: int, raw: str) -> Decimal:
    """`raw` as money; more than two decimal places is not money, nor more than MAX_AMOUNT."""
    money = _MONEY.fullmatch(raw)
    if not money and not _AMOUNT.fullmatch(raw):
        raise EraError(
            f'{segment.where()}: {element_name(segment, index)} "{raw}" is not an amount'
        )
    value = Decimal(raw)
    # Compared before any rounding: quantize() on a 29-digit number raises, and sums round.
    if abs(value) > MAX_AMOUNT:
        raise AmountTooLarge(segment, index, raw, MAX_AMOUNT)
    if not money and value != value.quantize(_CENT):
        raise EraError(
            f'{segment.where()}: {element_name(segment, index)} "{raw}" has more than two decimals'
        )
    return value.quantize(_CENT)


def quantity(segment: Segment, index: int, default: Decimal) -> Decimal | None:
    """A quantity such as units of service (SVC05): `default` when absent, None when it is not
    a number (the caller decides what that means); refused beyond MAX_UNITS."""
    raw = segment.get(index)
    if not raw:
        return default
    if not _AMOUNT.fullmatch(raw):
        return None
    value = Decimal(raw)
    if abs(value) > MAX_UNITS:
        raise AmountTooLarge(segment, index, raw, MAX_UNITS)
    return value


def to_date(raw: str) -> date | None:
    """CCYYMMDD as a date, or None when it is not a real calendar date."""
    if not _DATE.fullmatch(raw):
        return None
    try:
        return date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
    except ValueError:
        return None
