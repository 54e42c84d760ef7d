"""Reading the episode check's JSON input (contracts/episode-check.md, "Input").

Every problem is collected, not just the first, and each names its field the way the JSON
spells it (`documents[2].type`, counting list items from 0), so a person can fix all of them
in one go. Unknown fields are problems too: a misspelt `certifed_on` must not silently leave
a plan uncertified.
"""

import re
from datetime import date
from enum import StrEnum
from typing import Any, TypeVar

from otclinic.domain.codes import Discipline, DocumentType, PayerPlan
from otclinic.domain.compliance.episode_model import (
    AuthorRole,
    Episode,
    EpisodeDocument,
    PlanOfCare,
    Recertification,
    Referral,
)
from otclinic.domain.compliance.findings import InputProblems
from otclinic.domain.compliance.jsonio import load_document

E = TypeVar("E", bound=StrEnum)

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_TOP = frozenset(
    {
        "discipline",
        "payer_plan",
        "as_of",
        "referral",
        "plan_of_care",
        "recertifications",
        "documents",
        "authorized_visits",
    }
)
_PLAN = frozenset(
    {
        "established_on",
        "duration_days",
        "sent_to_physician_on",
        "verbal_certification_on",
        "certified_on",
        "delay_reason",
    }
)
# A plan of care longer than a year is a typing slip, not a plan (certification caps at 90 days).
_MAX_DURATION_DAYS = 366


class _Reader:
    """Reads typed fields out of parsed JSON, noting one problem per bad field."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def note(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}")

    def mapping(self, value: Any, path: str, allowed: frozenset[str]) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.note(path or "input", "must be an object")
            return None
        for key in sorted(set(value) - allowed):
            self.note(_join(path, key), "is not a field of the episode check")
        return value

    def day(self, obj: dict[str, Any], key: str, path: str, *, required: bool) -> date | None:
        value = obj.get(key)
        if value is None:
            if required:
                self.note(_join(path, key), "is required (a date, YYYY-MM-DD)")
            return None
        if isinstance(value, str) and _ISO_DAY.fullmatch(value):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        self.note(_join(path, key), f"must be a date, YYYY-MM-DD (got {value!r})")
        return None

    def choice(self, obj: dict[str, Any], key: str, path: str, kind: type[E]) -> E | None:
        value = obj.get(key)
        if isinstance(value, str) and value in {m.value for m in kind}:
            return kind(value)
        self.note(_join(path, key), "must be one of " + ", ".join(m.value for m in kind))
        return None

    def whole(self, obj: dict[str, Any], key: str, path: str, *, low: int, high: int) -> int | None:
        value = obj.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
            return value
        self.note(_join(path, key), f"must be a whole number from {low} to {high}")
        return None

    def flag(self, obj: dict[str, Any], key: str, path: str) -> bool | None:
        value = obj.get(key)
        if isinstance(value, bool):
            return value
        self.note(_join(path, key), "must be true or false")
        return None

    def text(self, obj: dict[str, Any], key: str, path: str) -> str | None:
        value = obj.get(key)
        if isinstance(value, str):
            return value.strip() or None
        if value is not None:
            self.note(_join(path, key), "must be text or null")
        return None

    def items(self, obj: dict[str, Any], key: str) -> list[Any]:
        value = obj.get(key)
        if value is None:
            return []
        if isinstance(value, list):
            return value
        self.note(key, "must be a list")
        return []


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def parse_episode_json(raw: bytes | str) -> Episode:
    """The episode in a JSON document, or InputProblems naming every bad field."""
    document, problems = load_document(raw)
    if problems:
        raise InputProblems(problems)
    return parse_episode(document)


def parse_episode(document: Any) -> Episode:
    """The episode in parsed JSON, or InputProblems naming every bad field."""
    reader = _Reader()
    top = reader.mapping(document, "", _TOP)
    if top is None:
        raise InputProblems(reader.problems)
    plan, start = _plan_of_care(reader, top.get("plan_of_care"))
    discipline = reader.choice(top, "discipline", "", Discipline)
    payer_plan = reader.choice(top, "payer_plan", "", PayerPlan)
    as_of = reader.day(top, "as_of", "", required=True)
    _not_before(reader, as_of, "as_of", start=start)
    episode_parts: dict[str, Any] = {
        "referral": _referral(reader, top.get("referral")),
        "recertifications": _recertifications(reader, top, start=start),
        "documents": _documents(reader, top, start=start),
        "authorized_visits": _authorized_visits(reader, top),
    }
    if reader.problems or not (plan and discipline and payer_plan and as_of):
        raise InputProblems(reader.problems)
    return Episode(discipline, payer_plan, as_of, plan, **episode_parts)


def _plan_of_care(reader: _Reader, value: Any) -> tuple[PlanOfCare | None, date | None]:
    """The plan, and its `established_on` on its own so other dates are checked against it."""
    path = "plan_of_care"
    if value is None:
        reader.note(path, "is required")
        return None, None
    obj = reader.mapping(value, path, _PLAN)
    if obj is None:
        return None, None
    established = reader.day(obj, "established_on", path, required=True)
    duration = reader.whole(obj, "duration_days", path, low=1, high=_MAX_DURATION_DAYS)
    optional = {
        key: reader.day(obj, key, path, required=False)
        for key in ("sent_to_physician_on", "verbal_certification_on", "certified_on")
    }
    reason = reader.text(obj, "delay_reason", path)
    for key, day in optional.items():
        _not_before(reader, day, f"{path}.{key}", start=established)
    if established is None or duration is None:
        return None, established
    return PlanOfCare(established, duration, **optional, delay_reason=reason), established


def _referral(reader: _Reader, value: Any) -> Referral | None:
    if value is None:
        return None
    obj = reader.mapping(value, "referral", frozenset({"signed_on", "names_discipline"}))
    if obj is None:
        return None
    signed_on = reader.day(obj, "signed_on", "referral", required=True)
    names = reader.flag(obj, "names_discipline", "referral")
    if signed_on is None or names is None:
        return None
    return Referral(signed_on=signed_on, names_discipline=names)


def _recertifications(
    reader: _Reader, top: dict[str, Any], *, start: date | None
) -> tuple[Recertification, ...]:
    found = []
    for index, value in enumerate(reader.items(top, "recertifications")):
        path = f"recertifications[{index}]"
        obj = reader.mapping(value, path, frozenset({"certified_on", "through"}))
        if obj is None:
            continue
        certified_on = reader.day(obj, "certified_on", path, required=True)
        through = reader.day(obj, "through", path, required=True)
        _not_before(reader, certified_on, f"{path}.certified_on", start=start)
        _not_before(reader, through, f"{path}.through", start=start)
        if certified_on and through:
            found.append(Recertification(certified_on=certified_on, through=through))
    return tuple(found)


def _documents(
    reader: _Reader, top: dict[str, Any], *, start: date | None
) -> tuple[EpisodeDocument, ...]:
    found = []
    for index, value in enumerate(reader.items(top, "documents")):
        path = f"documents[{index}]"
        obj = reader.mapping(value, path, frozenset({"date", "type", "author_role"}))
        if obj is None:
            continue
        day = reader.day(obj, "date", path, required=True)
        kind = reader.choice(obj, "type", path, DocumentType)
        role = reader.choice(obj, "author_role", path, AuthorRole)
        _not_before(reader, day, f"{path}.date", start=start)
        if day and kind and role:
            found.append(EpisodeDocument(date=day, type=kind, author_role=role))
    return tuple(found)


def _authorized_visits(reader: _Reader, top: dict[str, Any]) -> int | None:
    if top.get("authorized_visits") is None:
        return None
    return reader.whole(top, "authorized_visits", "", low=0, high=10_000)


def _not_before(reader: _Reader, day: date | None, path: str, *, start: date | None) -> None:
    """Nothing of the episode comes before its evaluation, which is day 1."""
    if day is not None and start is not None and day < start:
        reader.note(path, f"is before plan_of_care.established_on ({start.isoformat()})")
