"""The shorthand table (`care/data/shorthand.yaml`) as phrases the parser looks up.

A phrase is a tuple of lower-case words; each names one kind of thing (an intervention, an
assistance level, a device ...) and its value. A clinic's own table, of the same shape, is read
after the shipped one: its phrases win where they are spelt the same.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from otclinic.domain.billing.yamlfile import read_yaml
from otclinic.domain.care.assessments import Instrument

TABLE_FILE = Path(__file__).resolve().parent.parent / "data" / "shorthand.yaml"

# When one phrase is listed under two kinds, the earlier kind here is the one read.
KINDS = (
    "intervention",
    "role",
    "assist",
    "return_demo",
    "modification",
    "device",
    "caregiver",
    "room",
    "recommend",
    "activity",
    "filler",
)
_GROUPED = {  # table key -> kind, for the tables that map a value to its phrases
    "roles": "role",
    "assist": "assist",
    "modifications": "modification",
    "devices": "device",
    "caregivers": "caregiver",
    "rooms": "room",
}
_LISTED = {  # table key -> kind, for the plain lists of phrases
    "return_demo": "return_demo",
    "recommend": "recommend",
    "activities": "activity",
    "fillers": "filler",
}
FUZZY_MIN_LENGTH = 5  # shorter words are too easily another word with one letter changed


class TableError(ValueError):
    """A shorthand table that cannot be read, with what is wrong in it."""


@dataclass(frozen=True, slots=True)
class Intervention:
    """An intervention the shorthand names: its codes in order of preference and its category."""

    codes: tuple[str, ...]
    category: str
    caregiver: bool = False

    def code_for(self, planned: Iterable[str]) -> str:
        """The first of its codes that the plan of care lists; otherwise its first code."""
        plan = set(planned)
        return next((c for c in self.codes if c in plan), self.codes[0])


@dataclass(frozen=True, slots=True)
class Meaning:
    kind: str
    value: str = ""
    intervention: Intervention | None = None


@dataclass(frozen=True, slots=True)
class MeasureName:
    """A measure the shorthand names before its value: an instrument of rules/measures.yaml,
    the units it may be written in, and the words that name it in a plan goal's measure."""

    instrument: Instrument
    units: frozenset[str]
    goal_words: tuple[str, ...]
    unit_required: bool = False


@dataclass(frozen=True)
class Lexicon:
    """Every phrase of the table with its meaning, and the small tables the parser consults."""

    phrases: Mapping[tuple[str, ...], Meaning]
    code_categories: Mapping[str, str]
    fim_levels: Mapping[str, int]
    device_modifications: Mapping[str, str]
    modification_rooms: Mapping[str, str]
    minute_words: frozenset[str]
    dose_words: frozenset[str]
    longest: int = 1
    vocabulary: frozenset[str] = field(default=frozenset())
    measures: Mapping[tuple[str, ...], MeasureName] = field(default_factory=dict)
    measure_longest: int = 1

    @property
    def units_of_measures(self) -> frozenset[str]:
        """Every unit some measure is written in (a measure followed by another's is wrong)."""
        return frozenset(u for name in self.measures.values() for u in name.units)


def _words(phrase: object) -> tuple[str, ...]:
    if not isinstance(phrase, str) or not phrase.strip():
        raise TableError(f"a phrase must be non-empty text, not {phrase!r}")
    return tuple(phrase.lower().split())


def _interventions(entries: Any) -> Iterable[tuple[tuple[str, ...], Meaning]]:
    for entry in entries or []:
        codes = tuple(str(c) for c in entry.get("codes") or [])
        if not codes or not entry.get("category"):
            raise TableError(f"an intervention needs codes and a category: {entry!r}")
        meaning = Meaning(
            "intervention",
            codes[0],
            Intervention(codes, str(entry["category"]), bool(entry.get("caregiver"))),
        )
        for phrase in entry.get("phrases") or []:
            yield _words(phrase), meaning


def _entries(table: Mapping[str, Any]) -> Iterable[tuple[tuple[str, ...], Meaning]]:
    yield from _interventions(table.get("interventions"))
    for key, kind in _GROUPED.items():
        for value, phrases in (table.get(key) or {}).items():
            for phrase in phrases or []:
                yield _words(phrase), Meaning(kind, str(value))
    for key, kind in _LISTED.items():
        for phrase in table.get(key) or []:
            yield _words(phrase), Meaning(kind)


def _phrases(tables: Iterable[Mapping[str, Any]]) -> dict[tuple[str, ...], Meaning]:
    found: dict[tuple[str, ...], Meaning] = {}
    for table in tables:
        own: dict[tuple[str, ...], Meaning] = {}
        for words, meaning in _entries(table):
            held = own.get(words)
            if held is None or KINDS.index(meaning.kind) < KINDS.index(held.kind):
                own[words] = meaning
        found.update(own)  # a later table (the clinic's) wins over the shipped one
    return found


def _measures(tables: Iterable[Mapping[str, Any]]) -> dict[tuple[str, ...], MeasureName]:
    found: dict[tuple[str, ...], MeasureName] = {}
    for table in tables:
        for key, entry in (table.get("measures") or {}).items():
            try:
                instrument = Instrument(str(key))
            except ValueError:
                raise TableError(
                    f"measures: {key!r} is not an instrument of measures.yaml"
                ) from None
            name = MeasureName(
                instrument,
                frozenset(str(u).lower() for u in entry.get("units") or []),
                tuple(str(w).lower() for w in entry.get("goal_words") or []),
                bool(entry.get("unit_required")),
            )
            for phrase in entry.get("phrases") or []:
                found[_words(phrase)] = name
    return found


def _merged(tables: list[Mapping[str, Any]], key: str) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for table in tables:
        merged.update({str(k): v for k, v in (table.get(key) or {}).items()})
    return merged


def _listed(tables: list[Mapping[str, Any]], key: str) -> frozenset[str]:
    return frozenset(str(w).lower() for t in tables for w in t.get(key) or [])


def lexicon_from(*tables: Mapping[str, Any]) -> Lexicon:
    """The lexicon of the shipped table followed by any clinic tables given (later ones win)."""
    shipped: list[Mapping[str, Any]] = [shipped_table(), *tables]
    try:
        return _lexicon(shipped)
    except (AttributeError, TypeError, ValueError) as exc:
        raise TableError(f"the shorthand table is not of the expected shape: {exc}") from exc


def _lexicon(shipped: list[Mapping[str, Any]]) -> Lexicon:
    phrases = _phrases(shipped)
    measures = _measures(shipped)
    words = {w for p in phrases for w in p if len(w) >= FUZZY_MIN_LENGTH and w.isalpha()}
    return Lexicon(
        phrases=phrases,
        code_categories=_merged(shipped, "code_categories"),
        fim_levels={k: int(v) for k, v in _merged(shipped, "fim_levels").items()},
        device_modifications=_merged(shipped, "device_modifications"),
        modification_rooms=_merged(shipped, "modification_rooms"),
        minute_words=_listed(shipped, "minute_words"),
        dose_words=_listed(shipped, "dose_words"),
        longest=max(len(p) for p in phrases),
        vocabulary=frozenset(words),
        measures=measures,
        measure_longest=max((len(p) for p in measures), default=1),
    )


@cache
def shipped_table() -> Mapping[str, Any]:
    """The shipped table as read from its file (read once; not to be changed)."""
    table: Mapping[str, Any] = read_yaml(TABLE_FILE)
    return table


@cache
def shipped_lexicon() -> Lexicon:
    """The lexicon of the shipped table alone (read once)."""
    return lexicon_from()


def read_table(path: Path) -> dict[str, Any]:
    """A clinic's own shorthand table from a YAML file."""
    try:
        return read_yaml(path)
    except (OSError, ValueError, yaml.YAMLError) as exc:
        raise TableError(f"{path.name}: {exc}") from exc
