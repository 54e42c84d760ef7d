"""Reading one line of clinician shorthand into the facts of a note's intervention.

`ther act 15 standing tol w/ RW CGA 3x2min` reads as code 97530, 15 minutes of the writer,
contact guard, a walker, and "standing tol w/ RW" as the activity; anything the table does not
know stays in `unread`, never dropped. The grammar is in docs/shorthand.md.
"""

import re
from dataclasses import dataclass, field

from otclinic.domain.care.shorthand.assemble import Read, assemble
from otclinic.domain.care.shorthand.lexicon import (
    FUZZY_MIN_LENGTH,
    Lexicon,
    Meaning,
    shipped_lexicon,
)
from otclinic.domain.care.shorthand.measures import read_measure
from otclinic.domain.care.shorthand.model import Measured, ShorthandLine, Writer
from otclinic.domain.care.shorthand.tokens import Token, tokenize

MAX_MINUTES = 180  # a bare number above this is not a session's minutes

_CODE = re.compile(r"^(9[0-9]{4}|[gG][0-9]{4})$")
_NUMBER = re.compile(r"^[0-9]{1,3}$")
_MINUTES = re.compile(r"^([0-9]{1,3})(min|mins|minutes|m|mn|')$", re.IGNORECASE)
_DOSE = re.compile(
    r"^([0-9]+x[0-9]*[a-z']*|x[0-9]+[a-z']*|[0-9]+(reps|rep|sets|lbs|lb|#|sec|secs|ft|trials))$",
    re.IGNORECASE,
)
_TIMES = re.compile(r"^x([0-9]{1,3})$")
_ASSIST_WORD_AFTER_MIN = {"a", "assist", "asst", "(a)"}


@dataclass
class _Reading:
    """The line's tokens and what each has been read as, while the parser walks them."""

    tokens: list[Token]
    writer: Writer
    kinds: list[str] = field(default_factory=list)
    meanings: dict[int, Meaning] = field(default_factory=dict)
    minutes: dict[str, int] = field(default_factory=dict)
    measures: list[Measured] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.kinds = ["unread"] * len(self.tokens)

    def norm(self, i: int) -> str:
        return self.tokens[i].norm if i < len(self.tokens) else ""

    def mark(self, start: int, count: int, kind: str) -> int:
        for j in range(start, start + count):
            self.kinds[j] = kind
        return start + count

    def add_minutes(self, role: str, value: int) -> None:
        self.minutes[role] = self.minutes.get(role, 0) + value


def parse_line(
    text: str,
    *,
    writer: Writer = Writer.OTA,
    planned: tuple[str, ...] = (),
    lexicon: Lexicon | None = None,
) -> ShorthandLine:
    """Read one line of shorthand; never raises on any text."""
    lexicon = lexicon or shipped_lexicon()
    tokens = tokenize(text, vocabulary=lexicon.vocabulary, min_length=FUZZY_MIN_LENGTH)
    reading = _Reading(tokens, writer)
    i = 0
    while i < len(tokens):
        i = _read_at(reading, i, lexicon)
    _bare_numbers(reading)
    return _assemble(text, reading, planned, lexicon)


def _read_at(r: _Reading, i: int, lexicon: Lexicon) -> int:
    """Read what starts at token i; answer the index of the next token to read."""
    measured = read_measure(r, i, lexicon)
    if measured is not None:
        return measured
    norm = r.norm(i)
    if _CODE.match(norm):
        return r.mark(i, 1, "code")
    times = _TIMES.match(norm)
    if times and r.norm(i + 1) in lexicon.minute_words:
        r.add_minutes(r.writer.role, int(times.group(1)))  # `x15 min`
        return r.mark(i, 2, "minutes")
    if _DOSE.match(norm):
        return r.mark(i, 2 if r.norm(i + 1) in lexicon.dose_words else 1, "dose")
    explicit = _MINUTES.match(norm)
    if explicit:
        r.add_minutes(r.writer.role, int(explicit.group(1)))
        return r.mark(i, 1, "minutes")
    if _NUMBER.match(norm):
        return _read_number(r, i, lexicon, role=None)
    if norm == "x" and (_NUMBER.match(r.norm(i + 1)) or _MINUTES.match(r.norm(i + 1))):
        r.mark(i, 1, "minutes")  # `x 15 min`: "for 15 minutes"
        return i + 1
    return _read_phrase(r, i, lexicon)


def _read_number(r: _Reading, i: int, lexicon: Lexicon, *, role: str | None) -> int:
    after = r.norm(i + 1)
    if after in lexicon.minute_words and not (
        after == "min" and r.norm(i + 2) in _ASSIST_WORD_AFTER_MIN
    ):
        r.add_minutes(role or r.writer.role, int(r.norm(i)))
        return r.mark(i, 2, "minutes")
    if role is not None:
        r.add_minutes(role, int(r.norm(i)))
        return r.mark(i, 1, "minutes")
    if after == "x" and _NUMBER.match(r.norm(i + 2)):
        return r.mark(i, 3, "dose")  # `3 x 10`
    if after in lexicon.dose_words and not _describes(lexicon, r.norm(i + 2)):
        return r.mark(i, 2, "dose")
    return r.mark(i, 1, "number")


def _describes(lexicon: Lexicon, word: str) -> bool:
    """Whether a word names an activity: `20 LB dressing` is minutes then lower-body dressing,
    not twenty pounds."""
    meaning = lexicon.phrases.get((word,))
    return meaning is not None and meaning.kind == "activity"


def _read_phrase(r: _Reading, i: int, lexicon: Lexicon) -> int:
    for size in range(min(lexicon.longest, len(r.tokens) - i), 0, -1):
        words = tuple(t.norm for t in r.tokens[i : i + size])
        meaning = lexicon.phrases.get(words)
        if meaning is None:
            continue
        if meaning.kind == "role":
            return _read_role(r, i, size, meaning, lexicon)
        r.meanings[i] = meaning
        return r.mark(i, size, meaning.kind)
    return i + 1  # left unread


def _read_role(r: _Reading, i: int, size: int, meaning: Meaning, lexicon: Lexicon) -> int:
    """`ot 8`, `ota 7 min`, `tog 5`: minutes of that person; a role without a number is unread."""
    following = r.norm(i + size)
    explicit = _MINUTES.match(following)
    if explicit:
        r.add_minutes(meaning.value, int(explicit.group(1)))
        return r.mark(i, size + 1, "minutes")
    if _NUMBER.match(following):
        r.mark(i, size, "minutes")
        return _read_number(r, i + size, lexicon, role=meaning.value)
    return i + size


def _bare_numbers(r: _Reading) -> None:
    """A bare number is the writer's minutes when theirs were not written out; the first only."""
    for i, kind in enumerate(r.kinds):
        if kind != "number":
            continue
        value = int(r.tokens[i].norm)
        if r.writer.role not in r.minutes and 0 < value <= MAX_MINUTES:
            r.add_minutes(r.writer.role, value)
            r.kinds[i] = "minutes"
        else:
            r.kinds[i] = "unread"


def _assemble(text: str, r: _Reading, planned: tuple[str, ...], lexicon: Lexicon) -> ShorthandLine:
    return assemble(
        Read(
            text=text,
            tokens=r.tokens,
            kinds=r.kinds,
            meanings=r.meanings,
            minutes=r.minutes,
            measures=tuple(r.measures),
        ),
        planned=planned,
        lexicon=lexicon,
    )


def parse_lines(
    text: str,
    *,
    writer: Writer = Writer.OTA,
    planned: tuple[str, ...] = (),
    lexicon: Lexicon | None = None,
) -> list[ShorthandLine]:
    """Each non-blank line of `text`, read."""
    return [
        parse_line(line, writer=writer, planned=planned, lexicon=lexicon)
        for line in text.splitlines()
        if line.strip()
    ]
