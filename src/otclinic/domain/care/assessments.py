"""Standardized assessments recorded as scored observations, and the ranges each allows.

The ranges are each instrument's published scale: COPM performance and satisfaction are rated
1-10 (Law et al., Canadian Occupational Performance Measure); the Barthel Index scores 0-100
(Mahoney and Barthel, 1965, in steps of 5); QuickDASH scores 0-100 (Beaton et al., 2005). Grip
strength (dynamometer, kg) and the Nine-Hole Peg Test (seconds) have no scale limits; the bounds
here only catch typing errors, and both are recorded per side.
"""

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class Instrument(StrEnum):
    COPM_PERFORMANCE = "copm_performance"
    COPM_SATISFACTION = "copm_satisfaction"
    BARTHEL = "barthel"
    QUICKDASH = "quickdash"
    GRIP_KG = "grip_kg"
    NINE_HOLE_PEG = "nine_hole_peg_s"


@dataclass(frozen=True, slots=True)
class Scale:
    label: str
    low: Decimal
    high: Decimal
    unit: str
    sided: bool = False
    step: Decimal | None = None


SCALES: dict[Instrument, Scale] = {
    Instrument.COPM_PERFORMANCE: Scale("COPM performance", Decimal(1), Decimal(10), "score"),
    Instrument.COPM_SATISFACTION: Scale("COPM satisfaction", Decimal(1), Decimal(10), "score"),
    Instrument.BARTHEL: Scale("Barthel Index", Decimal(0), Decimal(100), "points", step=Decimal(5)),
    Instrument.QUICKDASH: Scale("QuickDASH", Decimal(0), Decimal(100), "points"),
    Instrument.GRIP_KG: Scale("Grip strength", Decimal(0), Decimal(100), "kg", sided=True),
    Instrument.NINE_HOLE_PEG: Scale(
        "Nine-Hole Peg Test", Decimal(5), Decimal(600), "seconds", sided=True
    ),
}


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
