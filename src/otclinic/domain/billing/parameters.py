"""Dated parameters: yearly figures with the date each takes effect and the source that sets it.

Files follow the OpenFisca shape shown in STYLE.md: `reference`, `unit` and `values` keyed by the
date each value takes effect. Two optional keys bound a value's reach: `per_calendar_year: true`
(each value holds for its own calendar year only) and `valid_through` (no value after that date).
`confidence` names, per date, how sure the reference is (firm, likely, check).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from otclinic.domain.billing.yamlfile import read_yaml


@dataclass(frozen=True, slots=True)
class DatedValue:
    """One value of a parameter and the date it takes effect."""

    effective: date
    value: Any
    confidence: str


@dataclass(frozen=True, slots=True)
class DatedParameter:
    """A parameter's values in date order, with the source that sets them."""

    name: str
    reference: str
    values: tuple[DatedValue, ...]
    per_calendar_year: bool = False
    valid_through: date | None = None

    def entry_on(self, day: date) -> DatedValue | None:
        """The value in force on `day`, or None when the file has no value for that day."""
        if self.valid_through and day > self.valid_through:
            return None
        found = None
        for entry in self.values:
            if entry.effective <= day:
                found = entry
        if found and self.per_calendar_year and found.effective.year != day.year:
            return None
        return found


def load_parameter(path: Path) -> DatedParameter:
    """Read one dated parameter file."""
    data = read_yaml(path)
    confidence = data.get("confidence")
    entries = sorted(
        (
            DatedValue(
                effective=_as_date(key), value=_value(raw), confidence=_confidence(confidence, key)
            )
            for key, raw in data["values"].items()
        ),
        key=lambda entry: entry.effective,
    )
    through = data.get("valid_through")
    return DatedParameter(
        name=path.stem,
        reference=str(data["reference"]),
        values=tuple(entries),
        per_calendar_year=bool(data.get("per_calendar_year", False)),
        valid_through=_as_date(through) if through else None,
    )


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _value(raw: Any) -> Any:
    """Money is written as a quoted string and becomes a Decimal; mappings stay as they are."""
    return Decimal(raw) if isinstance(raw, str) else raw


def _confidence(confidence: Any, key: Any) -> str:
    if isinstance(confidence, dict):
        return str(confidence.get(key, "firm"))
    return str(confidence or "firm")
