"""Money in the billing check: Decimal dollars, rounded in one place."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def to_cents(amount: Decimal) -> Decimal:
    """Round an amount to whole cents, half up, as payers print allowed amounts."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def dollars(amount: Decimal) -> str:
    """An amount as a person reads it: $2,330.00."""
    return f"${to_cents(amount):,.2f}"
