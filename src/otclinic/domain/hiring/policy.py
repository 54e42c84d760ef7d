"""The defaults a practice's hiring settings start from, read from `rules/hiring.yaml`."""

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

RULES_FILE = Path(__file__).resolve().parent.parent / "rules" / "hiring.yaml"


@dataclass(frozen=True, slots=True)
class OnboardingDefault:
    """One default onboarding item, whether it is needed before the hire, and its source."""

    label: str
    before_hire: bool
    reference: str
    confidence: str


@lru_cache(maxsize=1)
def _rules() -> dict[str, Any]:
    with RULES_FILE.open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    return data


def _on(values: dict[date, Any], day: date) -> Any:
    """The value in force on `day`: the latest dated on or before it (the first before any)."""
    dated = sorted(values.items())
    current = dated[0][1]
    for since, value in dated:
        if since <= day:
            current = value
    return current


def default_references_required(on: date) -> int:
    return int(_on(_rules()["references_required"]["values"], on))


def default_onboarding(on: date) -> tuple[OnboardingDefault, ...]:
    return tuple(
        OnboardingDefault(
            label=str(item["label"]),
            before_hire=bool(item["before_hire"]),
            reference=str(item["reference"]),
            confidence=str(item.get("confidence", "firm")),
        )
        for item in _on(_rules()["onboarding_items"]["values"], on)
    )
