"""The clinical reports: visits and units per clinician, notes owed, attendance.

Each is a few grouped aggregate queries (one row per clinician, weekday or patient), never a
query per row; the per-patient list is read a page at a time.
"""

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, ExtractIsoWeekDay

from otclinic.clinic.care.models import NoteStatus, TreatmentNote
from otclinic.clinic.payers.selectors_codes import rulebook_for_organization
from otclinic.clinic.revenue.models import Charge, ChargeStatus
from otclinic.clinic.scheduling.models import AppointmentStatus
from otclinic.clinic.staff.models import StaffProfile
from otclinic.clinic.web.reports.end_of_day import UNSIGNED, appointments
from otclinic.clinic.web.reports.filters import ReportFilter
from otclinic.clinic.web.reports.tables import Cell, Table, average, rate
from otclinic.domain.billing.codebook import CodeKind

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def clinician_names(organization_id: uuid.UUID, ids: Iterable[Any]) -> dict[Any, str]:
    """The on-screen names of the clinicians a report's rows name, in one query."""
    profiles = StaffProfile.objects.for_org(organization_id).filter(pk__in=set(ids))
    return {p.pk: str(p) for p in profiles.select_related("user")}


# --- visits and units per clinician ---------------------------------------------------------


@dataclass(frozen=True)
class Productivity:
    clinician_id: Any
    name: str
    visits: int
    timed_units: int
    untimed_units: int

    @property
    def units(self) -> int:
        return self.timed_units + self.untimed_units


def productivity(wanted: ReportFilter) -> list[Productivity]:
    """Completed visits and charged units (timed and untimed) per clinician, most visits first.

    Units are the charges' (what the billing check decided), by the date of service."""
    timed = [
        code
        for code, info in rulebook_for_organization(wanted.organization_id).codes.items()
        if info.kind is CodeKind.TIMED
    ]
    visits = dict(
        appointments(wanted)
        .filter(status=AppointmentStatus.COMPLETED)
        .values("clinician_id")
        .annotate(n=Count("pk"))
        .values_list("clinician_id", "n")
    )
    units = {
        row["note__author_id"]: row
        for row in Charge.objects.for_org(wanted.organization_id)
        .filter(wanted.staff_q("note__author"), wanted.payer_q("note__episode"))
        .filter(date_of_service__range=(wanted.start, wanted.end))
        .exclude(status=ChargeStatus.VOID)
        .values("note__author_id")
        .annotate(
            timed=Coalesce(Sum("units", filter=Q(code__in=timed)), 0),
            untimed=Coalesce(Sum("units", filter=~Q(code__in=timed)), 0),
        )
    }
    names = clinician_names(wanted.organization_id, [*visits, *units])
    rows = [
        Productivity(
            clinician_id=pk,
            name=names.get(pk, ""),
            visits=visits.get(pk, 0),
            timed_units=units.get(pk, {}).get("timed", 0),
            untimed_units=units.get(pk, {}).get("untimed", 0),
        )
        for pk in names
    ]
    return sorted(rows, key=lambda r: (-r.visits, r.name))


def productivity_table(rows: list[Productivity]) -> Table:
    table = Table(
        "Visits and units per clinician",
        (
            "Clinician",
            "Visits completed",
            "Timed units",
            "Untimed units",
            "Units",
            "Units per visit",
        ),
    )
    for r in rows:
        visits = Cell(r.visits, f"appointments-completed&clinician={r.clinician_id}")
        table.add(
            r.name, visits, r.timed_units, r.untimed_units, r.units, average(r.units, r.visits)
        )
    total_visits = sum(r.visits for r in rows)
    total_units = sum(r.units for r in rows)
    table.add(
        "All clinicians",
        total_visits,
        sum(r.timed_units for r in rows),
        sum(r.untimed_units for r in rows),
        total_units,
        average(total_units, total_visits),
    )
    return table


# --- notes owed: unsigned and missing, by age --------------------------------------------------

# The age buckets, in days since the date of service (otclinic's own; a note is expected on the
# day of the visit, and the older one waits the more it needs someone to act).
AGE_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0-1 days", 0, 1),
    ("2-3 days", 2, 3),
    ("4-7 days", 4, 7),
    ("8-14 days", 8, 14),
    ("over 14 days", 15, None),
)


def _bucket_counts(field: str, today: dt.date) -> dict[str, Any]:
    """One `Count` per age bucket of the date at `field`, as of `today`."""
    counts = {}
    for index, (_, young, old) in enumerate(AGE_BUCKETS):
        newest = today - dt.timedelta(days=young)
        q = Q(**{f"{field}__lte": newest})
        if old is not None:
            q &= Q(**{f"{field}__gte": today - dt.timedelta(days=old)})
        counts[f"b{index}"] = Count("pk", filter=q)
    return counts


@dataclass(frozen=True)
class Owed:
    who_id: Any
    name: str
    what: str  # "unsigned", "missing", "to co-sign"
    buckets: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.buckets)


def notes_owed(wanted: ReportFilter, *, today: dt.date) -> list[Owed]:
    """Per person who must act: their unsigned notes, their completed visits without a note, and
    (for a supervising OT) the notes waiting for their co-signature, each by age."""
    notes = TreatmentNote.objects.for_org(wanted.organization_id).filter(
        wanted.staff_q("author"),
        wanted.payer_q("episode"),
        date_of_service__range=(wanted.start, wanted.end),
    )
    noted = TreatmentNote.objects.filter(visit__appointment=OuterRef("pk"))
    groups: list[tuple[str, QuerySet[Any], str, str]] = [
        ("unsigned", notes.filter(status__in=UNSIGNED), "author_id", "date_of_service"),
        (
            "missing",
            appointments(wanted).filter(status=AppointmentStatus.COMPLETED).filter(~Exists(noted)),
            "clinician_id",
            "starts_at__date",
        ),
        (
            "to co-sign",
            notes.filter(status=NoteStatus.COSIGN_PENDING, author__supervising_ot__isnull=False),
            "author__supervising_ot_id",
            "date_of_service",
        ),
    ]
    found: list[tuple[str, dict[str, Any], str]] = []
    for what, rows, who, day in groups:
        for row in rows.values(who).annotate(**_bucket_counts(day, today)):
            found.append((what, row, who))
    names = clinician_names(wanted.organization_id, [row[who] for _, row, who in found])
    owed = [
        Owed(
            who_id=row[who],
            name=names.get(row[who], ""),
            what=what,
            buckets=tuple(row[f"b{i}"] for i in range(len(AGE_BUCKETS))),
        )
        for what, row, who in found
    ]
    return sorted(owed, key=lambda o: (o.name, o.what))


def notes_owed_table(rows: list[Owed]) -> Table:
    table = Table(
        "Unsigned and missing notes by age",
        ("Who must act", "What", *[label for label, _, _ in AGE_BUCKETS], "Total"),
    )
    for o in rows:
        kind = {"unsigned": "notes-unsigned", "missing": "notes-missing"}.get(o.what)
        link = f"{kind}&clinician={o.who_id}" if kind else None
        table.add(o.name, o.what, *o.buckets, Cell(o.total, link))
    return table


# --- no-shows and cancellations -----------------------------------------------------------

ATTENDANCE = {
    "booked": Count("pk"),
    "no_show": Count("pk", filter=Q(status=AppointmentStatus.NO_SHOW)),
    "cancelled": Count("pk", filter=Q(status=AppointmentStatus.CANCELLED)),
}


def attendance_by_clinician(wanted: ReportFilter) -> list[dict[str, Any]]:
    rows = list(appointments(wanted).values("clinician_id").annotate(**ATTENDANCE))
    names = clinician_names(wanted.organization_id, [r["clinician_id"] for r in rows])
    for r in rows:
        r["label"], r["link"] = names.get(r["clinician_id"], ""), f"clinician={r['clinician_id']}"
    return sorted(rows, key=lambda r: r["label"])


def attendance_by_weekday(wanted: ReportFilter) -> list[dict[str, Any]]:
    """Per weekday of the appointment's start, in the clinic's time zone."""
    rows = (
        appointments(wanted)
        .annotate(weekday=ExtractIsoWeekDay("starts_at"))
        .values("weekday")
        .annotate(**ATTENDANCE)
        .order_by("weekday")
    )
    return [{**r, "label": WEEKDAYS[r["weekday"] - 1], "link": None} for r in rows]


def attendance_by_patient(wanted: ReportFilter) -> QuerySet[Any]:
    """Per patient, those who missed the most first: a query to read a page of."""
    return (
        appointments(wanted)
        .values("patient_id", "patient__mrn", "patient__last_name", "patient__first_name")
        .annotate(**ATTENDANCE)
        .order_by("-no_show", "-cancelled", "patient__last_name", "patient_id")
    )


def attendance_table(caption: str, first: str, rows: Iterable[dict[str, Any]]) -> Table:
    table = Table(
        caption,
        (first, "Booked", "No-shows", "No-show rate (%)", "Cancellations", "Cancellation rate (%)"),
    )
    for r in rows:
        label = (
            r.get("label")
            or f"{r['patient__last_name']}, {r['patient__first_name']} ({r['patient__mrn']})"
        )
        link = r.get("link")
        if link is None and "patient_id" in r:
            link = f"patient={r['patient_id']}"
        table.add(
            label,
            Cell(r["booked"], f"appointments&{link}" if link else None),
            Cell(r["no_show"], f"appointments-no_show&{link}" if link else None),
            rate(r["no_show"], r["booked"]),
            Cell(r["cancelled"], f"appointments-cancelled&{link}" if link else None),
            rate(r["cancelled"], r["booked"]),
        )
    return table
