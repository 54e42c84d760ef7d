"""Segments as text: elements joined by the interchange's separators, counted as they go.

The writer uses the separators of `tokens.Separators()` (`*`, `:`, `^`, `~`). Input text never
contains them: `validate` refuses such values before anything is written.
"""

from decimal import Decimal

from otclinic.domain.claims.x12.interchange import SEPARATORS, SegmentWriter, d8, hhmm

__all__ = ["COMPONENT", "SEPARATORS", "SegmentWriter", "amount", "composite", "d8", "hhmm"]

COMPONENT = SEPARATORS.component


def composite(*components: str) -> str:
    """A composite element; trailing empty components are left off."""
    last = len(components)
    while last and not components[last - 1]:
        last -= 1
    return COMPONENT.join(components[:last])


def amount(value: Decimal) -> str:
    """An X12 decimal (type R): no trailing zeros or needless point, "150", "35.1", "-5"."""
    text = f"{value.normalize():f}"
    return "0" if text in {"-0", "0"} else text
