"""Reading a measure written with its value (`grip 21.5 kg`, `9HPT 24 s`, `COPM perf 6`).

The measures, their units and the words that name them are the `measures` table of
care/data/shorthand.yaml; the value must lie on the instrument's scale (rules/measures.yaml).
A measure word followed by no value, or by a minute or dose word (`grip 10 min`), is not a
measure and is read as before. A wrong unit (`grip 48 lb`) or a value off the scale leaves the
measure's words unread, for the clinician to see.
"""

import re
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Protocol

from otclinic.domain.care.assessments import SCALES
from otclinic.domain.care.shorthand.lexicon import Lexicon, MeasureName
from otclinic.domain.care.shorthand.model import Measured, Piece, ShorthandLine
from otclinic.domain.care.shorthand.tokens import Token

_VALUE = re.compile(r"^([0-9]{1,4}(?:\.[0-9]{1,2})?)([a-z/]*)$")
_OTHER_UNITS = frozenset({"lb", "lbs", "#", "ms", "cm", "mm", "in", "kg", "s", "sec"})


class Reading(Protocol):
    """What the parser's state offers the measure reader."""

    tokens: list[Token]
    measures: list[Measured]

    def norm(self, i: int) -> str: ...

    def mark(self, start: int, count: int, kind: str) -> int: ...


def read_measure(r: Reading, i: int, lexicon: Lexicon) -> int | None:
    """The index after a measure and its value at token i; None when none starts there."""
    for size in range(min(lexicon.measure_longest, len(r.tokens) - i), 0, -1):
        name = lexicon.measures.get(tuple(t.norm for t in r.tokens[i : i + size]))
        if name is not None:
            return _value_of(r, i, size, name, lexicon)
    return None


def _value_of(r: Reading, i: int, size: int, name: MeasureName, lexicon: Lexicon) -> int | None:
    value = _VALUE.match(r.norm(i + size))
    if value is None:
        return None
    used = size + 1
    unit, after = value.group(2), r.norm(i + used)
    if not unit and after in name.units | _OTHER_UNITS | lexicon.units_of_measures:
        unit, used = after, used + 1
    elif not unit and (after in lexicon.minute_words or after in lexicon.dose_words):
        return None  # `grip 10 min`: minutes of grip exercise
    if unit and unit not in name.units:
        return i + used  # a unit the measure is not recorded in: left unread
    if not unit and name.unit_required:
        return None
    number = Decimal(value.group(1))
    scale = SCALES[name.instrument]
    if not scale.low <= number <= scale.high:
        return i + used
    first, last = r.tokens[i], r.tokens[i + used - 1]
    text = " ".join(t.text for t in r.tokens[i : i + used])
    r.measures.append(Measured(str(name.instrument), number, unit, text, first.start, last.end))
    return r.mark(i, used, "measure")


def left_unread(line: ShorthandLine, gone: Sequence[Measured]) -> ShorthandLine:
    """The line with these measures read as unread words (no goal of the plan takes them)."""
    if not gone:
        return line
    spans = [(m.start, m.end) for m in gone]
    pieces = tuple(
        Piece(p.start, p.end, "unread") if any(s <= p.start and p.end <= e for s, e in spans) else p
        for p in line.pieces
    )
    runs: list[tuple[int, int]] = []
    previous = ""
    for piece in pieces:
        if piece.kind == "unread" and previous == "unread":
            runs[-1] = (runs[-1][0], piece.end)
        elif piece.kind == "unread":
            runs.append((piece.start, piece.end))
        previous = piece.kind
    return replace(
        line,
        measures=tuple(m for m in line.measures if m not in gone),
        pieces=pieces,
        unread=tuple(line.text[s:e] for s, e in runs),
    )
