"""The day's visits as the home page lists them: a clinician's own day and the clinic's day.

Each visit is read as the columns its row shows (`VISIT_ROW_COLUMNS`), not as five model rows,
and becomes a `VisitRow` whose text and links are made here, once: `day_rows` only places
them. The patients named are recorded as read (`audit.reads.saw`), since no patient row is
loaded to say so.
"""

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from otclinic.clinic.audit.reads import saw
from otclinic.clinic.common.links import link_maker
from otclinic.clinic.scheduling.models import Appointment, AppointmentKind, AppointmentStatus
from otclinic.clinic.staff.models import staff_label
from otclinic.domain.codes import Role

# The columns of one row, in the order `VisitRow.of` reads them.
VISIT_ROW_COLUMNS = (
    "pk",
    "status",
    "kind",
    "starts_at",
    "ends_at",
    "progress_report_due",
    "episode_id",
    "patient_id",
    "patient__first_name",
    "patient__last_name",
    "clinician__credentials",
    "clinician__user__first_name",
    "clinician__user__last_name",
    "clinician__user__username",
    "clinician__user__role",
    "room__name",
)
CLOSED = frozenset({AppointmentStatus.CANCELLED, AppointmentStatus.NO_SHOW})
STATUS_BADGE = {
    AppointmentStatus.CANCELLED: "err",
    AppointmentStatus.NO_SHOW: "err",
    AppointmentStatus.COMPLETED: "ok",
    AppointmentStatus.CHECKED_IN: "warn",
}
# An assistant may not write a progress report: the row says the therapist writes it.
ASSISTANTS = frozenset({Role.OTA, Role.PTA})
KIND_LABELS = dict(AppointmentKind.choices)
EVALUATION_KINDS = frozenset({AppointmentKind.EVALUATION, AppointmentKind.REEVALUATION})
STATUS_LABELS = dict(AppointmentStatus.choices)


@dataclass(frozen=True, slots=True)
class VisitRow:
    """One appointment on the home page: what its row says, and where its links go."""

    pk: uuid.UUID
    time: str  # start and end in clinic time, "09:00" to "09:45" joined by an en dash
    starts: str  # "09:00", for the buttons' names
    patient_id: uuid.UUID
    patient_name: str  # "Last, First", as the list shows it
    patient_spoken: str  # "First Last", as a button's name says it
    clinician: str
    room: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    status_css: str
    closed: bool  # cancelled or a no-show: struck through
    progress_report_due: bool
    by_assistant: bool
    episode_id: uuid.UUID | None
    note_id: uuid.UUID | None
    detail_url: str
    check_in_url: str
    chart_url: str
    note_url: str  # the clinician's note of the visit, when started
    note_start_url: str  # where a note of the visit's episode is started, when it has one
    # An evaluation visit: where its evaluation starts (the episode's new evaluation, or the
    # chart's referrals when the visit has no episode yet); "" for any other visit.
    evaluation_url: str


@dataclass(frozen=True)
class _Links:
    """Each link of a row, reversed once for the list (`common.links.link_maker`)."""

    detail: Callable[[Any], str]
    check_in: Callable[[Any], str]
    chart: Callable[[Any], str]
    note: Callable[[Any], str]
    note_start: Callable[[Any], str]
    evaluation: Callable[[Any], str]

    @classmethod
    def make(cls) -> "_Links":
        return cls(
            *map(
                link_maker,
                (
                    "scheduling:appointment",
                    "scheduling:check-in",
                    "patient-chart",
                    "note-detail",
                    "note-start",
                    "care-evaluation-new",
                ),
            )
        )


def _hhmm(instant: dt.datetime) -> str:
    return timezone.localtime(instant).strftime("%H:%M")


def _row(values: tuple[Any, ...], note_id: Any, links: _Links) -> VisitRow:
    (pk, status, kind, starts_at, ends_at, report_due, episode_id, patient_id) = values[:8]
    (first, last, credentials, c_first, c_last, c_username, c_role, room) = values[8:16]
    starts = _hhmm(starts_at)
    return VisitRow(
        pk=pk,
        time=f"{starts}\N{EN DASH}{_hhmm(ends_at)}",
        starts=starts,
        patient_id=patient_id,
        patient_name=f"{last}, {first}",
        patient_spoken=f"{first} {last}",
        clinician=staff_label(
            first_name=c_first, last_name=c_last, username=c_username, credentials=credentials
        ),
        room=room or "",
        kind=kind,
        kind_label=KIND_LABELS.get(kind, kind),
        status=status,
        status_label=STATUS_LABELS.get(status, status),
        status_css=STATUS_BADGE.get(status, ""),
        closed=status in CLOSED,
        progress_report_due=report_due,
        by_assistant=c_role in ASSISTANTS,
        episode_id=episode_id,
        note_id=note_id,
        detail_url=links.detail(pk),
        check_in_url=links.check_in(pk),
        chart_url=links.chart(patient_id),
        note_url=links.note(note_id) if note_id else "",
        note_start_url=links.note_start(episode_id) if episode_id else "",
        evaluation_url=_evaluation_url(kind, episode_id, patient_id, links),
    )


def _evaluation_url(kind: str, episode_id: Any, patient_id: Any, links: _Links) -> str:
    if kind not in EVALUATION_KINDS:
        return ""
    if episode_id is None:
        return f"{links.chart(patient_id)}#ep-h"
    return links.evaluation(episode_id) + ("?kind=reevaluation" if kind == "reevaluation" else "")


def visit_rows(appointments: QuerySet[Appointment]) -> list[VisitRow]:
    """`appointments` (in their order) as rows; a queryset annotated with `note_id`
    (`caseload_for_user`) gives each row its note."""
    with_note = "note_id" in appointments.query.annotations
    columns = (*VISIT_ROW_COLUMNS, "note_id") if with_note else VISIT_ROW_COLUMNS
    links = _Links.make()
    rows = [
        _row(values, values[16] if with_note else None, links)
        for values in appointments.values_list(*columns)
    ]
    saw([row.patient_id for row in rows], "schedule")
    return rows


def day_counts(appointments: QuerySet[Appointment], *, before: dt.datetime) -> tuple[int, int]:
    """How many of `appointments` there are, and how many start before `before`: one query."""
    counts = appointments.order_by().aggregate(
        total=Count("pk"), earlier=Count("pk", filter=Q(starts_at__lt=before))
    )
    return int(counts["total"]), int(counts["earlier"])
