"""The home-exercise library and the wording each age group reads.

Read from `care/data/exercises.yaml` (content, not a rule: the compliance catalog lists only `rules/`). A child's program uses each exercise's child wording when it
has one (short sentences, a game to play); the library offered for a patient holds only the
exercises suited to their age group.
"""

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from otclinic.domain.billing.yamlfile import read_yaml

LIBRARY_FILE = Path(__file__).resolve().parent / "data" / "exercises.yaml"


class AgeGroup(StrEnum):
    """Age groups the library's wording and choice of exercises follow."""

    CHILD = "child"  # under 13
    TEEN = "teen"  # 13-17
    ADULT = "adult"  # 18-64
    OLDER_ADULT = "older_adult"  # 65 and over


def age_group_on(birth_date: dt.date, day: dt.date) -> AgeGroup:
    """The age group of someone born on `birth_date`, on `day`."""
    years = day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))
    if years < 13:
        return AgeGroup.CHILD
    if years < 18:
        return AgeGroup.TEEN
    return AgeGroup.ADULT if years < 65 else AgeGroup.OLDER_ADULT


@dataclass(frozen=True, slots=True)
class Wording:
    name: str
    description: str
    steps: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Exercise:
    key: str
    body_area: str
    ages: frozenset[AgeGroup]
    picture: str
    sets: int
    reps: int
    wording: Wording
    child_wording: Wording | None = None

    def words_for(self, group: AgeGroup) -> Wording:
        """The child wording for a child when there is one; the plain wording otherwise."""
        if group is AgeGroup.CHILD and self.child_wording is not None:
            return self.child_wording
        return self.wording


def _wording(data: dict[str, Any]) -> Wording:
    return Wording(str(data["name"]), str(data["description"]), tuple(map(str, data["steps"])))


def _exercise(key: str, data: dict[str, Any]) -> Exercise:
    return Exercise(
        key=key,
        body_area=str(data["body_area"]),
        ages=frozenset(AgeGroup(a) for a in data["ages"]),
        picture=str(data["picture"]),
        sets=int(data["sets"]),
        reps=int(data["reps"]),
        wording=_wording(data),
        child_wording=_wording(data["child"]) if "child" in data else None,
    )


def load_library(path: Path = LIBRARY_FILE) -> dict[str, Exercise]:
    """Every exercise by its key, in the file's order."""
    return {key: _exercise(key, data) for key, data in read_yaml(path)["exercises"].items()}


@cache
def library() -> dict[str, Exercise]:
    """The library file, read once."""
    return load_library()


def exercises_for(group: AgeGroup) -> list[Exercise]:
    """The exercises suited to an age group, by body area then name."""
    suited = [e for e in library().values() if group in e.ages]
    return sorted(suited, key=lambda e: (e.body_area, e.words_for(group).name))
