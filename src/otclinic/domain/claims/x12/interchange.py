"""The interchange and functional group every file we write sits in: ISA/GS before the
transaction sets, GE/IEA after, with their counts. Shared by the 837P writer and the 270 and 276
inquiry writers (`inquiries.py`).

Control numbers are supplied by the caller, who persists the next ones in the same database
transaction that records the file, so that numbers are never reused.
"""

from dataclasses import dataclass
from datetime import date, datetime

from otclinic.domain.claims.x12.tokens import Separators

MAX_CONTROL_NUMBER = 999_999_999  # ISA13, GS06 and ST02 hold at most nine digits
SEPARATORS = Separators()
_NO_AUTHORIZATION = " " * 10


class ControlNumberError(ValueError):
    """A control number outside 1..999,999,999, or a run of them that would pass the maximum."""


@dataclass(frozen=True, slots=True)
class ControlNumbers:
    """The next interchange (ISA13), group (GS06) and transaction set (ST02) numbers to use."""

    interchange: int
    group: int
    transaction: int

    def after(self, transactions: int) -> "ControlNumbers":
        """The numbers to persist once a file with `transactions` transaction sets is written."""
        return ControlNumbers(
            interchange=self.interchange + 1,
            group=self.group + 1,
            transaction=self.transaction + transactions,
        )

    def check(self, *, transactions: int) -> None:
        """Raise `ControlNumberError` when a file of `transactions` sets would not fit."""
        last_transaction = self.transaction + transactions - 1
        for name, first, last in (
            ("interchange", self.interchange, self.interchange),
            ("group", self.group, self.group),
            ("transaction", self.transaction, last_transaction),
        ):
            if first < 1 or last > MAX_CONTROL_NUMBER:
                raise ControlNumberError(
                    f"{name} control numbers {first}..{last} do not fit 1..{MAX_CONTROL_NUMBER}"
                )


@dataclass(frozen=True, slots=True)
class InterchangeParty:
    """ISA05/ISA06 or ISA07/ISA08: an id qualifier (ZZ mutually defined, 30 tax id...) and id."""

    qualifier: str
    identifier: str


class SegmentWriter:
    """Collects segments in order and counts them for SE01.

    `segment_end` follows each segment terminator; a line break keeps files readable and every
    validator we use ignores it. Input text never contains the separators: the writers refuse
    such values before anything is written.
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
        self._parts.append(SEPARATORS.element.join((tag, *elements[:last])) + self._terminator)
        self.count += 1

    def extend(self, other: "SegmentWriter") -> None:
        """Append another writer's segments (a finished transaction set)."""
        self._parts.extend(other._parts)
        self.count += other.count

    def text(self) -> str:
        return "".join(self._parts)


def d8(day: date) -> str:
    """A date in CCYYMMDD form (date format qualifier D8)."""
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def hhmm(moment: datetime) -> str:
    return f"{moment.hour:02d}{moment.minute:02d}"


@dataclass(frozen=True, slots=True)
class GroupHeader:
    """What ISA and GS say besides the control numbers and counts.

    `functional_id` is GS01 (HC claims, HS eligibility inquiry, HR claim status inquiry) and
    `version` GS08 (the implementation guide, e.g. 005010X279A1); `usage` is ISA15 (P or T).
    """

    sender: InterchangeParty
    receiver: InterchangeParty
    application_sender: str
    application_receiver: str
    usage: str
    functional_id: str
    version: str
    acknowledgment_requested: bool = False


def wrap_interchange(
    body: SegmentWriter,
    *,
    header: GroupHeader,
    numbers: ControlNumbers,
    created_at: datetime,
    sets: int,
    segment_end: str,
) -> str:
    """ISA and GS before the transaction sets in `body`, GE and IEA after, with their counts."""
    head = SegmentWriter(segment_end=segment_end)
    _isa(head, header=header, interchange=numbers.interchange, created_at=created_at)
    head.add(
        "GS",
        header.functional_id,
        header.application_sender,
        header.application_receiver,
        d8(created_at),
        hhmm(created_at),
        str(numbers.group),
        "X",
        header.version,
    )
    tail = SegmentWriter(segment_end=segment_end)
    tail.add("GE", str(sets), str(numbers.group))
    tail.add("IEA", "1", f"{numbers.interchange:09d}")
    return head.text() + body.text() + tail.text()


def _isa(
    out: SegmentWriter, *, header: GroupHeader, interchange: int, created_at: datetime
) -> None:
    """The fixed-width ISA: ids padded to 15 characters, control number to nine digits."""
    out.add(
        "ISA",
        "00",
        _NO_AUTHORIZATION,
        "00",
        _NO_AUTHORIZATION,
        header.sender.qualifier,
        header.sender.identifier.ljust(15),
        header.receiver.qualifier,
        header.receiver.identifier.ljust(15),
        created_at.strftime("%y%m%d"),
        hhmm(created_at),
        SEPARATORS.repetition or "^",
        "00501",
        f"{interchange:09d}",
        "1" if header.acknowledgment_requested else "0",
        header.usage,
        SEPARATORS.component,
    )
