"""FHIR search parameter values, parsed (R4 sec. 3.1.1.4: date prefixes, tokens, references).

Each parser raises `BadParameter` naming the parameter and what is wrong, which the server
answers as an OperationOutcome with HTTP 400.
"""

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

DEFAULT_COUNT = 20
MAX_COUNT = 100


class BadParameter(ValueError):
    """A search parameter the server cannot use; `name` is the parameter."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"{name}: {message}")
        self.name = name
        self.message = message


class Prefix(StrEnum):
    """Date comparison prefixes (R4 sec. 3.1.1.4.1); `eq` when none is written."""

    EQ = "eq"
    NE = "ne"
    GT = "gt"
    LT = "lt"
    GE = "ge"
    LE = "le"
    SA = "sa"
    EB = "eb"


@dataclass(frozen=True)
class DateRange:
    """A searched date as the half-open range of days it names, with its prefix."""

    prefix: Prefix
    start: dt.date  # first day the value covers
    end: dt.date  # the day after the last day it covers


_DATE = re.compile(r"^(?P<prefix>[a-z]{2})?(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?$")
_DATETIME = re.compile(
    r"^(?P<prefix>[a-z]{2})?(?P<date>\d{4}-\d{2}-\d{2})T[0-9:.]+(Z|[+-]\d{2}:\d{2})?$"
)


def parse_date(name: str, value: str) -> DateRange:
    """`ge2026-01-01`, `2026-02`, `lt2026`: the prefix and the days the value covers.

    A time of day is accepted and read as its day (otclinic's clinical dates are days).
    """
    match = _DATETIME.match(value)
    if match:
        value = (match.group("prefix") or "") + match.group("date")
    match = _DATE.match(value)
    if not match:
        raise BadParameter(name, f"{value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    try:
        prefix = Prefix(match.group("prefix") or "eq")
    except ValueError as exc:
        raise BadParameter(name, f"unknown prefix {match.group('prefix')!r}") from exc
    year, month, day = match.group("y", "m", "d")
    try:
        if day:
            start = dt.date(int(year), int(month), int(day))
            end = start + dt.timedelta(days=1)
        elif month:
            start = dt.date(int(year), int(month), 1)
            end = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
        else:
            start, end = dt.date(int(year), 1, 1), dt.date(int(year) + 1, 1, 1)
    except ValueError as exc:
        raise BadParameter(name, f"{value!r} is not a calendar date") from exc
    return DateRange(prefix, start, end)


@dataclass(frozen=True)
class Token:
    """`system|code`, `code` or `system|` (R4 sec. 3.1.1.4.5)."""

    system: str | None
    code: str

    def matches(self, system: str, code: str) -> bool:
        return (self.system is None or self.system == system) and (
            not self.code or self.code == code
        )


def parse_token(name: str, value: str) -> Token:
    if not value:
        raise BadParameter(name, "a value is needed")
    if "|" in value:
        system, code = value.split("|", 1)
        return Token(system, code)
    return Token(None, value)


def parse_reference(name: str, value: str, *, resource_type: str) -> str:
    """The id a reference names: `123`, `Patient/123` or a full URL ending so."""
    parts = value.rstrip("/").split("/")
    if len(parts) >= 2 and parts[-2] != resource_type:
        raise BadParameter(name, f"expects a {resource_type} reference, not {parts[-2]}")
    if not parts[-1]:
        raise BadParameter(name, "a value is needed")
    return parts[-1]


def parse_count(value: str | None) -> int:
    """`_count`: a whole number; above `MAX_COUNT` is read as `MAX_COUNT` (R4 allows that)."""
    if value is None or value == "":
        return DEFAULT_COUNT
    if not value.isdigit():
        raise BadParameter("_count", f"{value!r} is not a whole number")
    return min(int(value), MAX_COUNT)


def parse_offset(value: str | None) -> int:
    """The page cursor this server writes into `next` links (`_offset`)."""
    if value is None or value == "":
        return 0
    if not value.isdigit():
        raise BadParameter("_offset", f"{value!r} is not a whole number")
    return int(value)
