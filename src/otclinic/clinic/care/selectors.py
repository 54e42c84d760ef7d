"""Reads of the clinical record, scoped to the user's organization."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import user_may
from otclinic.clinic.care import due_list, episode_checks
from otclinic.clinic.care.access import visible_episodes, visible_notes
from otclinic.clinic.care.models import Episode, EpisodeStatus, NoteStatus, TreatmentNote
from otclinic.clinic.fieldwork.selectors import is_fieldwork_educator
from otclinic.clinic.fieldwork.student_notes import educated_by
from otclinic.clinic.staff.models import staff_label_fields
from otclinic.domain.access import Capability
from otclinic.domain.compliance.episode_model import EpisodeResult
from otclinic.domain.compliance.findings import Finding, Severity


def unsigned_notes_for_user(*, user: User) -> QuerySet[TreatmentNote]:
    """The user's own draft notes: documentation still owed."""
    return (
        visible_notes(user)
        .filter(author__user=user, status=NoteStatus.DRAFT)
        .select_related("episode__patient")
        .only(*DRAFT_LIST_FIELDS)
        .order_by("date_of_service")
    )


# What the home page's list of drafts shows of each: the date and the patient, not the text.
DRAFT_LIST_FIELDS = (
    "id",
    "organization_id",
    "date_of_service",
    "episode__id",
    "episode__patient__id",
    "episode__patient__first_name",
    "episode__patient__last_name",
)

# What a list of notes waiting for a co-signature shows of each (the home page, the supervision
# dashboard): not the note's text.
NOTE_LIST_FIELDS = (
    "id",
    "organization_id",
    "date_of_service",
    "cosign_reason",
    "episode__id",
    "episode__patient__id",
    "episode__patient__last_name",
    *staff_label_fields("author"),
)


def cosign_queue_for_user(*, user: User, educator: bool | None = None) -> QuerySet[TreatmentNote]:
    """Notes that wait for the user's co-signature: by the staff they supervise, and by their
    own fieldwork students during the placement (for an OTA educator, only those).

    `educator`: whether the user is a fieldwork educator (`is_fieldwork_educator`), when the
    caller has just asked; only a role that may not co-sign needs it, and it is asked here
    when not given."""
    mine = educated_by(user)
    if user_may(user, Capability.COSIGN):
        mine |= Q(author__supervising_ot__user=user)
    elif not (is_fieldwork_educator(user=user) if educator is None else educator):
        raise PermissionDenied("your role may not cosign")
    return (
        visible_notes(user)
        .filter(mine, status=NoteStatus.COSIGN_PENDING)
        .select_related("episode__patient", "author__user")
        .order_by("date_of_service")
    )


@dataclass(frozen=True)
class DueItem:
    """One thing owed on an episode, as the home page and the chart list it."""

    patient_id: Any
    patient_name: str
    label: str
    text: str
    css: str
    finding: Finding | None = None  # shown in plain words, the rule behind "Why?"


def episodes_for_due_list(*, user: User, as_of: dt.date) -> QuerySet[Episode]:
    """Open episodes the user works on: their own as therapist, or their recent and coming visits."""
    first, last = as_of - dt.timedelta(days=30), as_of + dt.timedelta(days=7)
    # Three narrow id lists, each read through an index, rather than one join of episodes with
    # all their notes and appointments (which walked every note and appointment of the clinic).
    noted = TreatmentNote.objects.for_org(user.organization_id).filter(
        author__user=user, date_of_service__range=(first, last)
    )
    tz = timezone.get_current_timezone()
    booked = Episode.objects.for_org(user.organization_id).filter(
        appointments__clinician__user=user,
        appointments__starts_at__gte=dt.datetime.combine(first, dt.time.min, tzinfo=tz),
        appointments__starts_at__lt=dt.datetime.combine(
            last + dt.timedelta(days=1), dt.time.min, tzinfo=tz
        ),
    )
    mine = (
        Q(therapist__user=user)
        | Q(pk__in=noted.values("episode_id"))
        | Q(pk__in=booked.values("pk"))
    )
    return (
        visible_episodes(user)
        .filter(mine, status=EpisodeStatus.OPEN)
        .select_related("patient", "stored_check")
        .only(*DUE_LIST_COLUMNS)
        # Whose episode it is: the certification items are those of the user's own.
        .annotate(therapist_user_id=F("therapist__user_id"))
    )


# What the due list shows of an episode, and the episode check's stored answer, read with it
# (episode_checks.results_for uses a row that came with its episode).
DUE_LIST_COLUMNS = (
    "organization",
    "discipline",
    "patient",
    "patient__first_name",
    "patient__last_name",
    *(f"stored_check__{field}" for field in episode_checks.STORED_FIELDS),
)


def due_items_for_user(*, user: User, as_of: dt.date, limit: int = 30) -> list[DueItem]:
    """What is due or overdue on the user's episodes, from the episode check itself and the
    goals and certification requests (their stored answer, `episode_checks.answers_for`, which
    is the answer on `as_of`; `care.due_list`): no query but the episodes' own when the answers
    are current."""
    items: list[DueItem] = []
    episodes = list(episodes_for_due_list(user=user, as_of=as_of))
    answers = episode_checks.answers_for(episodes, as_of=as_of)
    by_id = {e.pk: e for e in episodes}
    for episode in episodes:
        result = answers[episode.pk].result
        if result is not None:
            items.extend(_due_items(episode, result, as_of=as_of))
    # Whose episode it is: the certification items are those of the user's own.
    own = {e.pk for e in episodes if e.therapist_user_id == user.pk}  # type: ignore[attr-defined]
    goals, remind, refused = due_list.reminders_from_json(
        {pk: answer.reminders for pk, answer in answers.items()}, own=own
    )
    for line, label, css in (
        *((g, "Overdue", "err") for g in goals),
        *((r, "Remind", "warn") for r in remind),
        *((r, "Refused", "err") for r in refused),
    ):
        episode = by_id[line.episode_id]
        items.append(DueItem(episode.patient_id, _name_of(episode), label, line.text, css))
    items.sort(key=lambda i: (i.css != "err", i.patient_name))
    return items[:limit]


def _name_of(episode: Episode) -> str:
    return f"{episode.patient.last_name}, {episode.patient.first_name}"


def _due_items(episode: Episode, result: EpisodeResult, *, as_of: dt.date) -> list[DueItem]:
    name = _name_of(episode)
    progress = result.progress_report
    items = [
        DueItem(episode.patient_id, name, "Overdue", f.message, "err", f)
        for f in result.findings
        if f.severity is Severity.ERROR
    ]
    if progress.due_by and not progress.overdue:
        text = f"{episode.discipline} progress report due by {progress.due_by:%b %d}"
        items.append(DueItem(episode.patient_id, name, "Due", text, "warn"))
    recert = result.certification.recertification_due_by
    if recert and not items and (recert - as_of).days <= 14:
        text = f"{episode.discipline} recertification due by {recert:%b %d}"
        items.append(DueItem(episode.patient_id, name, "Due", text, "warn"))
    return items
