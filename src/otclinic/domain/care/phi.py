"""Minimum necessary: a text's identifiers replaced by placeholders before it leaves, and put back.

HIPAA's minimum-necessary standard (45 CFR 164.502(b), 164.514(d)) asks that a disclosure carry
only what its purpose needs. A language model drafting a note's sentences needs the clinical
facts, not who the patient is: the names (patient, caregivers, staff), dates, record numbers
and other identifiers, telephone numbers, e-mail and street addresses of the Safe Harbor list
(45 CFR 164.514(b)(2)(i)) are replaced by placeholders such as `[NAME_1]` and restored in the
answer. What is known (the patient's own name, MRN, birth date) is masked wherever it occurs,
even inside a longer word; what is only recognised by its shape (a date, a phone number, a run
of six or more digits, an e-mail address) is masked by pattern. A placeholder-like token that
was already in the text is masked too, so that restoring gives back exactly the text given.
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    """What a placeholder stands for (its name tells the model how the sentence reads)."""

    NAME = "NAME"
    DATE = "DATE"
    ID = "ID"
    PHONE = "PHONE"
    EMAIL = "EMAIL"
    ADDRESS = "ADDRESS"
    TEXT = "TEXT"


@dataclass(frozen=True, slots=True)
class Identifiers:
    """What is known to identify the people of one note."""

    names: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    dates: tuple[dt.date, ...] = ()


@dataclass(frozen=True, slots=True)
class Masked:
    """A text with its identifiers replaced, and what each placeholder stands for."""

    text: str
    originals: dict[str, str] = field(default_factory=dict)


PLACEHOLDER = re.compile(r"\[[A-Z]+_[0-9]+\]")
_MONTHS = (
    "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    "|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
PATTERNS: tuple[tuple[Kind, re.Pattern[str]], ...] = (
    (Kind.TEXT, PLACEHOLDER),
    (Kind.EMAIL, re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    (Kind.DATE, re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b")),
    (Kind.DATE, re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b")),
    (Kind.DATE, re.compile(rf"\b(?:{_MONTHS})\.? \d{{1,2}}(?:st|nd|rd|th)?,? \d{{4}}\b", re.I)),
    (Kind.DATE, re.compile(rf"\b\d{{1,2}} (?:{_MONTHS})\.?,? \d{{4}}\b", re.I)),
    (Kind.PHONE, re.compile(r"(?:\+?1[ .-]?)?\(?\b\d{3}\)?[ .-]?\d{3}[ .-]\d{4}\b")),
    (Kind.ID, re.compile(r"\b\d{3}-\d{2}-\d{4}\b")),
    (Kind.ID, re.compile(r"\d{6,}")),
)
MIN_NAME_PART = 2


def date_spellings(day: dt.date) -> tuple[str, ...]:
    """The ways a date is commonly written in a note: 2026-03-12, 03/12/2026, 3/12/26, March 12, 2026."""
    return (
        day.isoformat(),
        f"{day.month:02d}/{day.day:02d}/{day.year}",
        f"{day.month}/{day.day}/{day.year}",
        f"{day.month}/{day.day}/{day.year % 100:02d}",
        f"{day:%B} {day.day}, {day.year}",
        f"{day:%b} {day.day}, {day.year}",
        f"{day.day} {day:%B} {day.year}",
    )


def _known(who: Identifiers) -> list[tuple[Kind, str]]:
    """Each known value, and each part of a name, that is masked wherever it occurs."""
    known: list[tuple[Kind, str]] = []
    for name in who.names:
        parts = [p for p in re.split(r"[\s,]+", name) if len(p.strip(".")) >= MIN_NAME_PART]
        known += [(Kind.NAME, v) for v in [name.strip(), *parts] if v]
    known += [(Kind.ID, v.strip()) for v in who.ids if v.strip()]
    known += [(Kind.PHONE, v.strip()) for v in who.phones if v.strip()]
    known += [(Kind.ADDRESS, v.strip()) for v in who.addresses if v.strip()]
    known += [(Kind.DATE, v) for day in who.dates for v in date_spellings(day)]
    return known


def _spans(text: str, who: Identifiers) -> list[tuple[int, int, Kind]]:
    found: list[tuple[int, int, Kind]] = []
    for kind, value in _known(who):
        # A lookahead finds overlapping occurrences too ("ana" twice in "anana").
        for m in re.finditer(f"(?=({re.escape(value)}))", text, re.IGNORECASE):
            found.append((m.start(1), m.end(1), kind))
    for kind, pattern in PATTERNS:
        found += [(m.start(), m.end(), kind) for m in pattern.finditer(text) if m.end() > m.start()]
    # Leftmost first, the longest of those starting together; an overlapping one is left out,
    # since what it would cover is already masked.
    chosen: list[tuple[int, int, Kind]] = []
    for start, end, kind in sorted(found, key=lambda s: (s[0], -(s[1] - s[0]))):
        if not chosen or start >= chosen[-1][1]:
            chosen.append((start, end, kind))
    return chosen


def minimise(text: str, who: Identifiers) -> Masked:
    """`text` with every identifier replaced; the same original gets the same placeholder."""
    out: list[str] = []
    placeholders: dict[str, str] = {}
    counts: dict[Kind, int] = {}
    at = 0
    for start, end, kind in _spans(text, who):
        original = text[start:end]
        if original not in placeholders:
            counts[kind] = counts.get(kind, 0) + 1
            placeholders[original] = f"[{kind.value}_{counts[kind]}]"
        out += [text[at:start], placeholders[original]]
        at = end
    out.append(text[at:])
    return Masked("".join(out), {p: o for o, p in placeholders.items()})


def restore(text: str, originals: dict[str, str]) -> str:
    """The model's answer with each placeholder it kept turned back into what it stands for."""
    return PLACEHOLDER.sub(lambda m: originals.get(m.group(0), m.group(0)), text)


def leaks(text: str, who: Identifiers) -> list[str]:
    """The known identifiers still in `text` outside its placeholders (none, after `minimise`)."""
    pieces = PLACEHOLDER.split(text)
    return sorted(
        {
            value
            for _, value in _known(who)
            for piece in pieces
            if re.search(re.escape(value), piece, re.IGNORECASE)
        }
    )
