"""Segments as text: elements joined by the interchange's separators, counted as they go.

The writer uses the separators of `tokens.Separators()` (`*`, `:`, `^`, `~`). Input text never
contains them: `validate` refuses such values before anything is written.
"""

from datetime import date, datetime
from decimal import Decimal

from otclinic.domain.claims.x12.tokens import Separators

SEPARATORS = Separators()
COMPONENT = SEPARATORS.component
_ELEMENT = SEPARATORS.element


class SegmentWriter:
    """Collects segments in order and counts them for SE01.

    `segment_end` follows each segment terminator; a line break keeps files readable and every
    validator we use ignores it.
    """

    def __init__(self, *, segment_end: str = "\n") -> None:
        self._parts: list[str] = []
        self._terminator = SEPARATORS.segment + segment_end
        self.count = 0

    def add(self, tag: str, *elements: str) -> None:
        """Append one segment; trailing empty elements are left off, as X12 requires."""
        last = len(elements)
        while last and not elements[last - 1]:
            last -= 1
        self._parts.append(_ELEMENT.join((tag, *elements[:last])) + self._terminator)
        self.count += 1

    def extend(self, other: "SegmentWriter") -> None:
        """Append another writer's segments (a finished transaction set)."""
        self._parts.extend(other._parts)
        self.count += other.count

    def text(self) -> str:
        return "".join(self._parts)


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


def d8(day: date) -> str:
    """A date in CCYYMMDD form (date format qualifier D8)."""
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def hhmm(moment: datetime) -> str:
    return f"{moment.hour:02d}{moment.minute:02d}"
