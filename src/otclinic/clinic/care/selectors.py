"""Reads of the clinical record, scoped to the user's organization."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import user_may
from otclinic.clinic.audit.reads import saw
from otclinic.clinic.care import due_list, episode_checks
from otclinic.clinic.care.access import visible_episodes, visible_notes
from otclinic.clinic.care.models import Episode, EpisodeStatus, NoteStatus, TreatmentNote
from otclinic.clinic.common.links import link_maker
from otclinic.clinic.fieldwork.selectors import is_fieldwork_educator
from otclinic.clinic.fieldwork.student_notes import educated_by
from otclinic.clinic.staff.models import staff_label
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


def cosign_queue_for_user(*, user: User, educator: bool | None = None) -> QuerySet[TreatmentNote]:
    """Notes that wait for the user's co-signature: by the staff they supervise, and by their
    own fieldwork students during the placement (for an OTA educator, only those).

    `educator`: whether the user is a fieldwork educator (`is_fieldwork_educator`), when the
    caller has just asked; only a role that may not co-sign needs it, and it is asked here
    when not given."""
    return (
        visible_notes(user)
        .filter(_waiting_for(user, educator), status=NoteStatus.COSIGN_PENDING)
        .select_related("episode__patient", "author__user")
        .order_by("date_of_service")
    )


def _waiting_for(user: User, educator: bool | None) -> Q:
    """Whose notes wait for the user's co-signature (`cosign_queue_for_user`)."""
    mine = educated_by(user)
    if user_may(user, Capability.COSIGN):
        mine |= Q(author__supervising_ot__user=user)
    elif not (is_fieldwork_educator(user=user) if educator is None else educator):
        raise PermissionDenied("your role may not cosign")
    return mine


@dataclass(frozen=True, slots=True)
class NoteLine:
    """A note as the home page lists it: its link, patient and date (and, waiting for a
    co-signature, its author); not its text."""

    pk: Any
    url: str
    patient_id: Any
    patient_name: str  # "Last, First"
    patient_last_name: str
    date_of_service: dt.date
    author: str  # as `StaffProfile.__str__` names them


@dataclass(frozen=True)
class HomeNotes:
    """The home page's two lists of notes: the user's own drafts, and the notes waiting for
    their co-signature (None for a user who co-signs nothing)."""

    drafts: list[NoteLine]
    waiting: list[NoteLine] | None


# The columns of a `NoteLine`, in the order `home_notes_for_user` reads them.
NOTE_LINE_COLUMNS = (
    "pk",
    "status",
    "date_of_service",
    "episode__patient_id",
    "episode__patient__first_name",
    "episode__patient__last_name",
    "author__credentials",
    "author__user__first_name",
    "author__user__last_name",
    "author__user__username",
)


def home_notes_for_user(
    *, user: User, drafts: bool, cosign: bool, educator: bool | None = None, limit: int = 20
) -> HomeNotes:
    """With `drafts`, `unsigned_notes_for_user`; with `cosign`, `cosign_queue_for_user`: the
    first `limit` of each by date of service, in one query of the columns the home page shows
    (a statement built and compiled costs about a millisecond of CPU, most of a short list's
    time). The patients named are recorded as read: no patient row is loaded to say so."""
    if not (drafts or cosign):
        return HomeNotes([], None)
    wanted = Q()
    if drafts:
        wanted |= Q(author__user=user, status=NoteStatus.DRAFT)
    if cosign:
        wanted |= Q(_waiting_for(user, educator), status=NoteStatus.COSIGN_PENDING)
    # Each note numbered within its list, in the list's order: the first 2 x `limit` by that
    # number hold the first `limit` of each list (filtering on the number instead wraps the
    # statement in another, which costs more CPU to compile than it saves).
    place = Window(
        RowNumber(),
        partition_by=F("status"),
        order_by=(F("date_of_service").asc(), F("pk").asc()),
    )
    rows = (
        visible_notes(user)
        .filter(wanted)
        .alias(place=place)
        .order_by("place")
        .values_list(*NOTE_LINE_COLUMNS)[: 2 * limit]
    )
    note_url = link_maker("note-detail")
    lines: dict[str, list[NoteLine]] = {NoteStatus.DRAFT: [], NoteStatus.COSIGN_PENDING: []}
    for pk, status, day, patient_id, first, last, *author in rows:
        credentials, a_first, a_last, a_username = author
        lines[status].append(
            NoteLine(
                pk=pk,
                url=note_url(pk),
                patient_id=patient_id,
                patient_name=f"{last}, {first}",
                patient_last_name=last,
                date_of_service=day,
                author=staff_label(
                    first_name=a_first,
                    last_name=a_last,
                    username=a_username,
                    credentials=credentials,
                ),
            )
        )
    for kind, found in lines.items():
        lines[kind] = sorted(found, key=lambda line: (line.date_of_service, line.pk))[:limit]
    shown = [*lines[NoteStatus.DRAFT], *lines[NoteStatus.COSIGN_PENDING]]
    if shown:
        saw([line.patient_id for line in shown], "notes")
    return HomeNotes(lines[NoteStatus.DRAFT], lines[NoteStatus.COSIGN_PENDING] if cosign else None)


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
    return visible_episodes(user).filter(mine, status=EpisodeStatus.OPEN)


@dataclass(frozen=True, slots=True)
class DueEpisode:
    """An episode as the due list reads it: what the list names, read as columns with the
    episode check's stored row (`DUE_LIST_COLUMNS`) rather than as three model rows."""

    pk: Any
    organization_id: Any
    discipline: str
    patient_id: Any
    patient_name: str  # "Last, First"
    therapist_user_id: Any  # whose episode it is: its certification items are its therapist's


# What the due list reads of an episode, and the episode check's stored row, in one query
# (`episode_checks.answers_for_stored` uses that row).
DUE_LIST_COLUMNS = (
    "pk",
    "organization_id",
    "discipline",
    "patient_id",
    "patient__first_name",
    "patient__last_name",
    "therapist__user_id",
    *episode_checks.STORED_COLUMNS,
)


def due_items_for_user(*, user: User, as_of: dt.date, limit: int = 30) -> list[DueItem]:
    """What is due or overdue on the user's episodes, from the episode check itself and the
    goals and certification requests (their stored answer, `episode_checks.answers_for_stored`,
    which is the answer on `as_of`; `care.due_list`): no query but the episodes' own when the
    answers are current. The patients named are recorded as read."""
    items: list[DueItem] = []
    episodes, stored = [], []
    rows = episodes_for_due_list(user=user, as_of=as_of).values_list(*DUE_LIST_COLUMNS)
    for pk, organization_id, discipline, patient_id, first, last, therapist, *check in rows:
        name = f"{last}, {first}"
        episodes.append(DueEpisode(pk, organization_id, discipline, patient_id, name, therapist))
        stored.append((pk, organization_id, episode_checks.stored_row(check)))
    answers = episode_checks.answers_for_stored(stored, as_of=as_of)
    by_id = {e.pk: e for e in episodes}
    for episode in episodes:
        result = answers[episode.pk].result
        if result is not None:
            items.extend(_due_items(episode, result, as_of=as_of))
    own = {e.pk for e in episodes if e.therapist_user_id == user.pk}
    goals, remind, refused = due_list.reminders_from_json(
        {pk: answer.reminders for pk, answer in answers.items()}, own=own
    )
    for line, label, css in (
        *((g, "Overdue", "err") for g in goals),
        *((r, "Remind", "warn") for r in remind),
        *((r, "Refused", "err") for r in refused),
    ):
        episode = by_id[line.episode_id]
        items.append(DueItem(episode.patient_id, episode.patient_name, label, line.text, css))
    items.sort(key=lambda i: (i.css != "err", i.patient_name))
    shown = items[:limit]
    if shown:
        saw([item.patient_id for item in shown], "due list")
    return shown


def _due_items(episode: DueEpisode, result: EpisodeResult, *, as_of: dt.date) -> list[DueItem]:
    name = episode.patient_name
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
