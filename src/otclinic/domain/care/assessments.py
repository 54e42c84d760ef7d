"""Standardized assessments recorded as scored observations: each instrument's scale, scoring,
direction and cut-offs, and the set of them offered by age group and condition.

All of it is data, in `rules/measures.yaml`, each instrument with its published source and
licence (no copyrighted item text is kept). Grip strength and the Nine-Hole Peg Test have no
scale limits; their bounds only catch typing errors, and both are recorded per side.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

import yaml

RULES_FILE = Path(__file__).resolve().parent.parent / "rules" / "measures.yaml"


class Instrument(StrEnum):
    """An instrument of `rules/measures.yaml`; its value is the key scores are stored under."""

    COPM_PERFORMANCE = "copm_performance"
    COPM_SATISFACTION = "copm_satisfaction"
    GAS = "gas"
    BARTHEL = "barthel"
    QUICKDASH = "quickdash"
    GRIP_KG = "grip_kg"
    NINE_HOLE_PEG = "nine_hole_peg_s"


class Direction(StrEnum):
    """Which way a measure improves: a higher grip is better, a faster peg test (lower) is."""

    HIGHER = "higher"
    LOWER = "lower"


@dataclass(frozen=True, slots=True)
class Norm:
    """The published norm table for an age band (inclusive), cited rather than copied."""

    first_age: int
    last_age: int
    source: str


@dataclass(frozen=True, slots=True)
class Scale:
    label: str
    low: Decimal
    high: Decimal
    unit: str
    sided: bool = False
    step: Decimal | None = None
    direction: Direction = Direction.HIGHER
    scoring: str = ""
    source: str = ""
    licence: str = ""
    cutoffs: tuple[str, ...] = ()
    norms: tuple[Norm, ...] = ()

    def norm_for(self, age: int) -> Norm | None:
        """The norm table that covers an age, if the instrument has one."""
        return next((n for n in self.norms if n.first_age <= age <= n.last_age), None)


@dataclass(frozen=True, slots=True)
class MeasureSet:
    """The instruments offered to a patient of an age group and condition, in order."""

    name: str
    first_age: int
    last_age: int
    conditions: tuple[str, ...]
    instruments: tuple[Instrument, ...]


def _scale(raw: dict[str, Any]) -> Scale:
    return Scale(
        label=raw["label"],
        low=Decimal(str(raw["low"])),
        high=Decimal(str(raw["high"])),
        unit=raw["unit"],
        sided=bool(raw.get("sided", False)),
        step=Decimal(str(raw["step"])) if "step" in raw else None,
        direction=Direction(raw["direction"]),
        scoring=raw["scoring"],
        source=raw["source"],
        licence=raw["licence"],
        cutoffs=tuple(raw.get("cutoffs", ())),
        norms=tuple(Norm(n["ages"][0], n["ages"][1], n["source"]) for n in raw.get("norms", ())),
    )


@cache
def _rules() -> dict[str, Any]:
    with RULES_FILE.open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    return data


SCALES: dict[Instrument, Scale] = {
    Instrument(key): _scale(raw) for key, raw in _rules()["instruments"].items()
}
CONDITIONS: dict[str, tuple[str, ...]] = {
    name: tuple(prefixes) for name, prefixes in _rules()["conditions"].items()
}
MEASURE_SETS: tuple[MeasureSet, ...] = tuple(
    MeasureSet(
        name=s["name"],
        first_age=s["ages"][0],
        last_age=s["ages"][1],
        conditions=tuple(s["conditions"]),
        instruments=tuple(Instrument(i) for i in s["instruments"]),
    )
    for s in _rules()["sets"]
)


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Whole years of age on a day."""
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - before_birthday


def condition_of(diagnosis_codes: Sequence[str]) -> str:
    """The condition group of a patient's diagnoses (the first group any code falls in)."""
    codes = [c.strip().upper() for c in diagnosis_codes]
    for name, prefixes in CONDITIONS.items():
        if any(code.startswith(prefix) for code in codes for prefix in prefixes):
            return name
    return "general"


def measure_set_for(*, age: int, diagnosis_codes: Sequence[str]) -> MeasureSet:
    """The measure set offered to a patient: the first whose ages and conditions match."""
    condition = condition_of(diagnosis_codes)
    for measure_set in MEASURE_SETS:
        in_ages = measure_set.first_age <= age <= measure_set.last_age
        if in_ages and ({"any", condition} & set(measure_set.conditions)):
            return measure_set
    return MEASURE_SETS[-1]


def label_of(key: str) -> str:
    """A stored instrument key in words (an unknown key is shown as it is)."""
    try:
        return SCALES[Instrument(key)].label
    except ValueError:
        return key


def score_problem(instrument: Instrument, value: Decimal, side: str) -> str | None:
    """Why a score cannot be recorded, in words that say what to do; None when it can."""
    scale = SCALES[instrument]
    if not scale.low <= value <= scale.high:
        return (
            f"{scale.label} must be between {scale.low} and {scale.high} {scale.unit}, not {value}."
        )
    if scale.step is not None and value % scale.step != 0:
        return f"{scale.label} is scored in steps of {scale.step}; {value} is not one."
    if scale.sided and side not in {"left", "right"}:
        return f"{scale.label} is measured per hand: choose left or right."
    if not scale.sided and side:
        return f"{scale.label} is not measured per side: leave the side empty."
    return None


# Words of a stored assessment key that are abbreviations or units, as users write them.
_KEY_WORDS = {
    "adl": "ADL",
    "arom": "AROM",
    "bot": "BOT",
    "copm": "COPM",
    "cts": "CTS",
    "dash": "DASH",
    "fim": "FIM",
    "iadl": "IADL",
    "kg": "(kg)",
    "mmt": "MMT",
    "prom": "PROM",
    "quickdash": "QuickDASH",
    "rom": "ROM",
    "s": "(seconds)",
}


def instrument_label(key: str) -> str:
    """A stored assessment key in words: the scale's own name ("nine_hole_peg_s": "Nine-Hole
    Peg Test"), else the key's words with their abbreviations and units ("tub_transfer_fim":
    "Tub transfer FIM")."""
    try:
        return SCALES[Instrument(key)].label
    except ValueError:
        pass
    words = [_KEY_WORDS.get(word, word) for word in key.split("_") if word]
    text = " ".join(words)
    return text[:1].upper() + text[1:]
