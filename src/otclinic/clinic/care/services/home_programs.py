"""Building a home program from the exercise library: add, reorder, adjust, print, share.

An OT or OTA of the patient's organization builds it (the capability to write treatment notes).
Printing keeps the PDF (with the pictures) as an episode document; sharing it sets that
document's portal flag, which is what the patient's portal lists (`portal.selectors`).
"""

import datetime as dt

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.care import pdf_home_program
from otclinic.clinic.care.models import (
    DocumentKind,
    Episode,
    EpisodeDocument,
    EpisodeStatus,
    HomeProgram,
    HomeProgramItem,
)
from otclinic.clinic.care.services.clinical_reports import save_document
from otclinic.clinic.common.access import require_same_organization
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.domain.access import Capability
from otclinic.domain.care.exercise_library import AgeGroup, age_group_on, library

MAX_SETS, MAX_REPS = 20, 100


def _may_edit(user: User, program_or_episode: HomeProgram | Episode) -> None:
    require(user, Capability.WRITE_TREATMENT_NOTE)
    require_same_organization(user, program_or_episode)


@transaction.atomic
def home_program_start(
    *, user: User, episode: Episode, today: dt.date | None = None
) -> HomeProgram:
    """A new, empty home program for the episode's patient, worded for their age group."""
    _may_edit(user, episode)
    if episode.status != EpisodeStatus.OPEN:
        raise ValidationFailed({"__all__": ["This episode is closed."]})
    group = age_group_on(episode.patient.birth_date, today or timezone.localdate())
    return HomeProgram.objects.create(
        organization_id=episode.organization_id,
        episode=episode,
        age_group=group,
        created_by=user,
    )


@transaction.atomic
def home_program_add(*, user: User, program: HomeProgram, exercise: str) -> HomeProgramItem:
    """The exercise at the end of the program, with the library's starting sets and reps."""
    _may_edit(user, program)
    chosen = library().get(exercise)
    if chosen is None or AgeGroup(program.age_group) not in chosen.ages:
        raise ValidationFailed({"exercise": ["Choose an exercise from the library for this age."]})
    HomeProgram.objects.select_for_update().get(pk=program.pk)  # one position each
    last = program.items.aggregate(last=Max("position"))["last"] or 0
    return HomeProgramItem.objects.create(
        organization_id=program.organization_id,
        program=program,
        exercise=exercise,
        position=last + 1,
        sets=chosen.sets,
        reps=chosen.reps,
    )


@transaction.atomic
def home_program_item_update(
    *, user: User, item: HomeProgramItem, sets: int, reps: int, notes: str
) -> HomeProgramItem:
    """The sets, repetitions and note the therapist chose for this patient."""
    _may_edit(user, item.program)
    errors = {}
    if not 1 <= sets <= MAX_SETS:
        errors["sets"] = [f"Sets: between 1 and {MAX_SETS}."]
    if not 1 <= reps <= MAX_REPS:
        errors["reps"] = [f"Repetitions: between 1 and {MAX_REPS}."]
    if len(notes.strip()) > 300:
        errors["notes"] = ["Notes: at most 300 characters."]
    if errors:
        raise ValidationFailed(errors)
    item.sets, item.reps, item.notes = sets, reps, notes.strip()
    item.save(update_fields=["sets", "reps", "notes", "updated_at"])
    return item


@transaction.atomic
def home_program_move(*, user: User, item: HomeProgramItem, up: bool) -> None:
    """Swap the exercise with the one before it (`up`) or after it; at an end, nothing moves."""
    _may_edit(user, item.program)
    items = list(item.program.items.select_for_update().order_by("position", "created_at"))
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(items):
        return
    items[index], items[other] = items[other], items[index]
    for position, row in enumerate(items, start=1):
        if row.position != position:
            row.position = position
            row.save(update_fields=["position", "updated_at"])


@transaction.atomic
def home_program_remove(*, user: User, item: HomeProgramItem) -> None:
    _may_edit(user, item.program)
    item.delete()


@transaction.atomic
def home_program_print(
    *, user: User, program: HomeProgram, share: bool = False, written_on: dt.date | None = None
) -> EpisodeDocument:
    """The program as a PDF with the pictures, kept with the episode (and shared, if asked)."""
    _may_edit(user, program)
    items = list(program.items.all())
    if not items:
        raise ValidationFailed({"exercise": ["Add at least one exercise before printing."]})
    episode = program.episode
    written_on = written_on or timezone.localdate()
    content = pdf_home_program.exercise_program_pdf(
        program, items, written_on=written_on, therapist=str(episode.therapist)
    )
    document = save_document(
        user=user,
        episode=episode,
        kind=DocumentKind.HOME_PROGRAM,
        title=f"{program.title} ({written_on})",
        content=content,
        shared=share,
    )
    program.printed = document
    program.save(update_fields=["printed", "updated_at"])
    return document
