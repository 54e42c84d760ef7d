"""Reads of home programs: through the episodes the user may see (care.access), or 404."""

import uuid
from dataclasses import dataclass
from typing import Any

from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.care.access import visible_episodes
from otclinic.clinic.care.models import HomeProgram, HomeProgramItem
from otclinic.clinic.common.access import get_visible
from otclinic.domain.access import Capability
from otclinic.domain.care.exercise_library import (
    AgeGroup,
    Exercise,
    Wording,
    exercises_for,
    library,
)


@dataclass(frozen=True)
class ItemView:
    item: HomeProgramItem
    exercise: Exercise
    words: Wording


@dataclass(frozen=True)
class LibraryEntry:
    exercise: Exercise
    words: Wording


def home_program_get_for_user(*, user: Any, program_id: uuid.UUID | str) -> HomeProgram:
    require(user, Capability.VIEW_CHART)
    programs = HomeProgram.objects.for_org(getattr(user, "organization_id", None)).filter(
        episode__in=visible_episodes(user)
    )
    return get_visible(
        programs.select_related("episode__patient", "episode__clinic", "printed"),
        program_id,
        what="home program",
    )


def home_program_item_get(*, program: HomeProgram, item_id: uuid.UUID | str) -> HomeProgramItem:
    """One exercise of a program the caller read for the user (another's item: 404)."""
    return get_visible(program.items.select_related("program"), item_id, what="exercise")


def home_program_overview(program: HomeProgram) -> dict[str, Any]:
    """The program's exercises with their wording, and the library offered for its age group."""
    group = AgeGroup(program.age_group)
    exercises = library()
    items = [
        ItemView(item, exercises[item.exercise], exercises[item.exercise].words_for(group))
        for item in program.items.all()
        if item.exercise in exercises
    ]
    offered = [LibraryEntry(e, e.words_for(group)) for e in exercises_for(group)]
    return {
        "program": program,
        "items": items,
        "library": offered,
        "child": group is AgeGroup.CHILD,
    }
