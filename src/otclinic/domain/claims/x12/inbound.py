"""What the clearinghouse readers (999, 277CA, 277, 271) share: opening an interchange, the
lenient reading of single elements, and the file's composites and repetitions.

The readers are lenient as the 835 reader is: they read what payers and clearinghouses really
send and say what is off as warnings (a wrong segment count or control number, a GS01 that does
not match the transaction, a date that is not a date). A damaged file (not X12, an ST without
its SE, a truncated file, a NUL character) raises `X12ReadError` naming the segment and its
position, never anything else.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from otclinic.domain.claims.x12 import era_values
from otclinic.domain.claims.x12.era_envelope import (
    EnvelopeRules,
    Segments,
    SetLocation,
    walk_envelopes,
)
from otclinic.domain.claims.x12.tokens import (
    Segment,
    Separators,
    X12ReadError,
    X12SyntaxError,
    segment_texts,
)

__all__ = ["Interchange", "Reading", "X12ReadError", "decode", "open_interchange", "refuse_nul"]


def decode(raw: bytes) -> str:
    """A file's bytes as text: UTF-8, or ISO 8859-1 (X12's extended character set)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def refuse_nul(text: str, error: Callable[[str], X12ReadError]) -> None:
    """A NUL character is no X12 text (nor can a database keep it): the file is damaged."""
    at = text.find("\x00")
    if at < 0:
        return
    try:
        terminator = Separators.from_isa(text).segment
    except X12SyntaxError:
        terminator = "~"
    position = text.count(terminator, 0, at) + 1
    raise error(f"segment {position}: holds a NUL character, which is not X12 text")


@dataclass(slots=True)
class Interchange:
    """A file opened for reading: its separators, segments, transaction sets and warnings."""

    separators: Separators
    segments: Segments
    sets: list[SetLocation]
    warnings: list[str] = field(default_factory=list)

    def segment(self, index: int) -> Segment:
        return self.segments.segment(index)

    def body(self, location: SetLocation) -> list[Segment]:
        """The segments of one transaction set, from ST to SE."""
        return [self.segment(index) for index in range(location.start, location.end + 1)]


def open_interchange(text: str, rules: EnvelopeRules) -> Interchange:
    """`text` split into segments with its envelopes checked (leniently) under `rules`."""
    refuse_nul(text, X12ReadError)
    try:
        separators = Separators.from_isa(text)
        segments = Segments(segment_texts(text, separators), separators.element)
    except X12SyntaxError as exc:
        raise X12ReadError(str(exc)) from None
    warnings: list[str] = []
    sets = walk_envelopes(segments, rules, warnings.append)
    if not sets:
        raise X12ReadError(
            f"{segments.segment(0).where()}: the interchange holds no {rules.what} transaction set"
        )
    return Interchange(separators, segments, sets, warnings)


@dataclass(slots=True)
class Reading:
    """The separators and warnings of one file being read, and lenient element readers."""

    separators: Separators
    warnings: list[str]

    def warn(self, segment: Segment, message: str) -> None:
        self.warnings.append(f"{segment.where()}: {message}")

    def components(self, segment: Segment, index: int) -> list[str]:
        """Element `index` split into its components (a composite), [""] when absent."""
        return segment.get(index).split(self.separators.component)

    def repeats(self, segment: Segment, index: int) -> list[str]:
        """Element `index` split at the repetition separator, without empty repeats."""
        raw = segment.get(index)
        separator = self.separators.repetition
        values = raw.split(separator) if separator else [raw]
        return [value for value in values if value]

    def day(self, segment: Segment, index: int) -> date | None:
        """A CCYYMMDD date, or None (with a warning when present but not a date)."""
        raw = segment.get(index)
        value = era_values.to_date(raw) if raw else None
        if raw and value is None:
            self.warn(segment, f'{segment.tag}{index:02d} "{raw}" is not a CCYYMMDD date')
        return value

    def period(self, segment: Segment, qualifier: int) -> tuple[date | None, date | None]:
        """A DTP-style date or range (D8 CCYYMMDD or RD8 CCYYMMDD-CCYYMMDD): first and last day."""
        if segment.get(qualifier) == "RD8":
            first, _, last = segment.get(qualifier + 1).partition("-")
            start, end = era_values.to_date(first), era_values.to_date(last)
            if start is None or end is None:
                raw = segment.get(qualifier + 1)
                self.warn(segment, f'"{raw}" is not a CCYYMMDD-CCYYMMDD date range')
            return start, end
        day = self.day(segment, qualifier + 1)
        return day, day

    def amount(self, segment: Segment, index: int) -> Decimal | None:
        """A money amount, or None when absent (with a warning when present but not money)."""
        raw = segment.get(index)
        if not raw:
            return None
        try:
            return era_values.to_amount(segment, index, raw)
        except era_values.EraError as exc:
            self.warnings.append(str(exc))
            return None

    def number(self, segment: Segment, index: int) -> Decimal | None:
        """A quantity or percentage (X12 type R), or None (with a warning when not a number)."""
        raw = segment.get(index)
        if not raw:
            return None
        try:
            value = era_values.quantity(segment, index, Decimal(0))
        except era_values.EraError as exc:
            self.warnings.append(str(exc))
            return None
        if value is None:
            self.warn(segment, f'{segment.tag}{index:02d} "{raw}" is not a number')
        return value
