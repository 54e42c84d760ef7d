"""A clinic's own shorthand entries (phrase -> code, device or assistance level) as a table of
the shipped table's shape, to be read after it (`lexicon_from(shipped, clinic)`: the clinic's
phrases win where they are spelt the same)."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from otclinic.domain.care.shorthand.lexicon import shipped_table

MAX_PHRASE = 60


@dataclass(frozen=True, slots=True)
class ClinicPhrase:
    """One entry of a clinic's table: `kind` is "code", "device" or "assist"; `value` the code,
    the equipment choice or the assistance level; `category` the note line's, for a code."""

    phrase: str
    kind: str
    value: str
    category: str = ""


def normal_phrase(text: str) -> str:
    """A phrase as the parser looks it up: lower case, words one space apart."""
    return " ".join(text.lower().split())


def phrase_problems(entry: ClinicPhrase, *, codes: Iterable[str]) -> dict[str, str]:
    """What is wrong with an entry, by field; empty when it can be added."""
    problems: dict[str, str] = {}
    phrase = normal_phrase(entry.phrase)
    if not phrase:
        problems["phrase"] = "Type the abbreviation as clinicians write it."
    elif len(phrase) > MAX_PHRASE:
        problems["phrase"] = f"An abbreviation is at most {MAX_PHRASE} characters."
    elif any(word.replace(".", "").isdigit() for word in phrase.split()):
        problems["phrase"] = "A number in a phrase would be read as minutes; use words only."
    table = shipped_table()
    allowed = {
        "code": set(codes),
        "device": set(table.get("devices") or {}),
        "assist": set(table.get("assist") or {}),
    }
    if entry.kind not in allowed:
        problems["kind"] = "Choose what the abbreviation stands for."
    elif entry.value not in allowed[entry.kind]:
        problems["value"] = {
            "code": f"{entry.value or 'That'} is not a code of the clinic's code table.",
            "device": "Choose one of the note's equipment choices.",
            "assist": "Choose one of the note's assistance levels.",
        }[entry.kind]
    if entry.kind == "code" and not entry.category:
        problems["category"] = "Choose the category the note's line takes."
    return problems


def clinic_table(entries: Iterable[ClinicPhrase]) -> dict[str, Any]:
    """The entries as a shorthand table (interventions, devices, assist)."""
    table: dict[str, Any] = {"interventions": [], "devices": {}, "assist": {}}
    for e in entries:
        phrase = normal_phrase(e.phrase)
        if e.kind == "code":
            table["interventions"].append(
                {"codes": [e.value], "category": e.category, "phrases": [phrase]}
            )
        elif e.kind == "device":
            table["devices"].setdefault(e.value, []).append(phrase)
        elif e.kind == "assist":
            table["assist"].setdefault(e.value, []).append(phrase)
    return table
