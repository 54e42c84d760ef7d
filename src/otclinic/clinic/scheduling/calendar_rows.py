"""The calendar's visits read as columns, not as model rows.

A week of one clinician is some thirty visits, each of which `select_related` made into seven
model objects (appointment, patient, clinician and their user, room, episode, coverage): about
2.9 ms of a 24 ms page at ten times the demo clinic, more than laying out and drawing the whole
grid. `CalendarVisit` carries the same attributes under the same names as the `Appointment`
that `blocks.block_html` reads (`a.patient.last_name`, `a.room.name`, `a.episode.coverage...`),
so a block draws either alike. The patients named are recorded as read (`audit.reads.saw`).
"""

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from otclinic.clinic.audit.reads import saw
from otclinic.clinic.scheduling.models import Appointment
from otclinic.clinic.staff.models import staff_label


@dataclass(frozen=True, slots=True)
class PatientName:
    first_name: str
    last_name: str


@dataclass(frozen=True, slots=True)
class RoomName:
    name: str


@dataclass(frozen=True, slots=True)
class CoverageAnswer:
    """The payer's latest eligibility answer on the coverage a visit is billed to."""

    eligibility_checked_at: dt.datetime | None
    eligibility_active: bool | None
    eligibility_summary: str


@dataclass(frozen=True, slots=True)
class EpisodeCoverage:
    coverage: CoverageAnswer | None


@dataclass(frozen=True, slots=True)
class CalendarVisit:
    """An appointment as the calendar shows it; `clinician` is the clinician's label."""

    pk: uuid.UUID
    status: str
    kind: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    progress_report_due: bool
    patient_id: uuid.UUID
    clinician_id: uuid.UUID
    room_id: uuid.UUID | None
    patient: PatientName
    clinician: str
    room: RoomName | None
    episode: EpisodeCoverage | None


COLUMNS = (
    "pk",
    "status",
    "kind",
    "starts_at",
    "ends_at",
    "progress_report_due",
    "patient_id",
    "clinician_id",
    "room_id",
    "patient__first_name",
    "patient__last_name",
    "clinician__user__first_name",
    "clinician__user__last_name",
    "clinician__user__username",
    "clinician__credentials",
    "room__name",
    "episode_id",
    "episode__coverage_id",
    "episode__coverage__eligibility_checked_at",
    "episode__coverage__eligibility_active",
    "episode__coverage__eligibility_summary",
)


def _visit(row: tuple[Any, ...], labels: dict[tuple[str, ...], str]) -> CalendarVisit:
    (pk, status, kind, starts_at, ends_at, due, patient_id, clinician_id, room_id) = row[:9]
    first, last, staff_first, staff_last, login, credentials, room = row[9:16]
    episode_id, coverage_id, checked_at, active, summary = row[16:]
    who = (staff_first, staff_last, login, credentials)
    if who not in labels:
        labels[who] = staff_label(
            first_name=staff_first, last_name=staff_last, username=login, credentials=credentials
        )
    coverage = CoverageAnswer(checked_at, active, summary) if coverage_id is not None else None
    return CalendarVisit(
        pk=pk,
        status=status,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        progress_report_due=due,
        patient_id=patient_id,
        clinician_id=clinician_id,
        room_id=room_id,
        patient=PatientName(first, last),
        clinician=labels[who],
        room=RoomName(room) if room_id is not None else None,
        episode=EpisodeCoverage(coverage) if episode_id is not None else None,
    )


def calendar_visits(rows: QuerySet[Appointment]) -> list[CalendarVisit]:
    """`rows` (in their order) as `CalendarVisit`s, in one query of their columns.

    No patient row is loaded, so the patients named are recorded as read here (`saw`)."""
    labels: dict[tuple[str, ...], str] = {}
    visits = [_visit(row, labels) for row in rows.values_list(*COLUMNS)]
    saw([visit.patient_id for visit in visits], "calendar")
    return visits
