"""Reads behind the calendar's grid: its columns (clinicians, rooms or days), the location's
hours that cut the day into slots, and each free slot's link to the booking form.

The grid reads the same appointments as the calendar (`selectors_calendar.calendar_for_user`)
and lays them out with `domain.scheduling.grid`. Its size is bounded by its columns (one
person's or one room's week, or a page of GRID_COLUMNS clinicians or rooms for a day) and the
location's slots, never by the number of patients. The cells' HTML is written here, one
f-string each (escaped), the visits' blocks in `scheduling.blocks`: a week has a few hundred
free cells, a side-by-side day a few hundred visits, and a template per cell or per visit was
most of the page's time.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from otclinic.clinic.accounts.models import User
from otclinic.clinic.scheduling.blocks import appointment_link, booked_cell_html
from otclinic.clinic.scheduling.calendar_rows import CalendarVisit, calendar_visits
from otclinic.clinic.scheduling.models import AppointmentStatus
from otclinic.clinic.scheduling.selectors_calendar import CalendarDay, appointments_between
from otclinic.domain.scheduling.grid import (
    DEFAULT_HOURS,
    MINUTES_PER_DAY,
    Booked,
    Cell,
    CellKind,
    Row,
    lay_out,
    widest,
)
from otclinic.domain.scheduling.grid import (
    ClinicHours as Hours,
)

GRID_COLUMNS = 6  # clinicians or rooms side by side on the day grid, a page at a time
SIDE_BY_SIDE_VISITS = 2  # visits a cell of the side-by-side grid lists (it counts the rest)
_LEAVES_FREE = (AppointmentStatus.CANCELLED, AppointmentStatus.NO_SHOW)


@dataclass
class GridColumn:
    """One column: its heading, the day it shows, and what booking one of its slots pre-fills.
    `who` ends a free slot's name ("with Jordan Lee, OTR/L", "in Main: Gym"); `when` starts
    it on a week grid ("Tue 8 Dec ")."""

    key: Any
    label: str
    day: dt.date
    who: str
    params: dict[str, str]
    when: str = ""
    is_today: bool = False
    holidays: list[str] = field(default_factory=list)
    closed: bool = False


@dataclass
class DrawnRow:
    """A row as the template draws it: the time, and the HTML of its cells."""

    label: str
    cells: SafeString


@dataclass
class Grid:
    columns: list[GridColumn]
    rows: list[DrawnRow]
    hours: Hours


def widest_hours(rows: Any) -> Hours:
    """The widest of these (opens, closes, slot minutes); DEFAULT_HOURS for (None, None, None),
    a location that has set none."""
    return widest(
        Hours(opens=o, closes=c, slot_minutes=m) if o is not None else DEFAULT_HOURS
        for o, c, m in rows
    )


def _minutes(local: dt.datetime, day: dt.date) -> int:
    if local.date() > day:
        return MINUTES_PER_DAY
    return local.hour * 60 + local.minute


def _span(starts_at: dt.datetime, ends_at: dt.datetime, tz: dt.tzinfo) -> tuple[int, int]:
    """A visit's start and end in minutes of its day in the clinic's time zone `tz` (one that
    ends after midnight ends at the end of its day). The zone is looked up once per grid:
    `timezone.localtime` looks it up for each time, three times a visit."""
    start = starts_at.astimezone(tz)
    starts = start.hour * 60 + start.minute
    return starts, max(starts + 1, _minutes(ends_at.astimezone(tz), start.date()))


def _booked(appointment: CalendarVisit, column: Any, tz: dt.tzinfo) -> Booked:
    starts, ends = _span(appointment.starts_at, appointment.ends_at, tz)
    return Booked(
        column=column,
        starts=starts,
        ends=ends,
        item=appointment,
        holds=appointment.status not in _LEAVES_FREE,
    )


def _booked_row(row: tuple[Any, Any, dt.datetime, dt.datetime, str], tz: dt.tzinfo) -> Booked:
    pk, column, starts_at, ends_at, status = row
    starts, ends = _span(starts_at, ends_at, tz)
    return Booked(
        column=column, starts=starts, ends=ends, item=pk, holds=status not in _LEAVES_FREE
    )


def _bookable(columns: list[GridColumn]) -> Any:
    now = timezone.localtime()
    today, minutes_now = now.date(), now.hour * 60 + now.minute + now.second / 60

    def bookable(column: int, minutes: int) -> bool:
        col = columns[column]
        if col.closed or col.day < today:
            return False
        return col.day > today or minutes > minutes_now

    return bookable


def lay_out_grid(
    *,
    columns: list[GridColumn],
    appointments: Sequence[tuple[Any, CalendarVisit]],
    hours: Hours,
) -> Grid:
    """The grid of `columns`, each (column key, appointment) placed in its column."""
    tz = timezone.get_current_timezone()
    booked = [_booked(appointment, key, tz) for key, appointment in appointments]
    rows = lay_out(
        columns=[c.key for c in columns],
        hours=hours,
        booked=booked,
        bookable=_bookable(columns),
    )
    return Grid(columns=columns, rows=_drawn(columns, rows), hours=hours)


def _drawn(columns: list[GridColumn], rows: list[Row]) -> list[DrawnRow]:
    """The rows with each cell's HTML written: a free slot's link or an empty cell, and a cell
    of visits with their blocks (`blocks.booked_cell_html`) and, when none of them holds its
    time (cancelled), the link to book its slot again; each row's cells joined into one
    string, so the template loops over the rows only."""
    book = reverse("scheduling:book")
    links = [
        f"{book}?{conditional_escape(urlencode(col.params | {'day': col.day.isoformat()}))}&amp;time="
        for col in columns
    ]
    names = [(col.when, f" {conditional_escape(col.who)}") for col in columns]
    visit_link = appointment_link()
    tz = timezone.get_current_timezone()
    drawn = []
    for row in rows:
        at = row.label
        cells: list[str] = []
        for cell in row.cells:
            html: str = _cell_html(cell, at, links[cell.column], names[cell.column])
            if cell.kind is CellKind.BOOKED:
                html = booked_cell_html(cell, visit_link, html, tz)
            cells.append(html)
        drawn.append(DrawnRow(label=at, cells=mark_safe("".join(cells))))  # noqa: S308 - escaped
    return drawn


def _cell_html(cell: Cell, at: str, link: str, name: tuple[str, str]) -> SafeString:
    column = f"c{cell.column}"
    if not cell.bookable:
        if cell.kind is CellKind.BOOKED:
            return mark_safe("")
        return mark_safe(f'<td class="slot-none {column}"></td>')  # noqa: S308 - a constant
    when, who = name
    anchor = (
        f'<a class="slot" href="{link}{at}" aria-label="Book {when}{at}{who}">'
        f'<span class="slot-time">{at} </span>Book</a>'
    )
    if cell.kind is CellKind.BOOKED:
        return mark_safe(anchor)  # noqa: S308 - its names escaped in _write_cells
    return mark_safe(f'<td class="slot-free {column}">{anchor}</td>')  # noqa: S308 - likewise


def day_columns(
    *,
    day: CalendarDay,
    people: Sequence[tuple[Any, str, dict[str, str]]],
    prefix: str,
) -> list[GridColumn]:
    """One column per clinician or room of a day: (id, name, booking pre-fill)."""
    return [
        GridColumn(
            key=key,
            label=label,
            day=day.day,
            who=f"{prefix} {label}",
            params=params,
            is_today=day.is_today,
            holidays=day.holidays,
            closed=day.closed,
        )
        for key, label, params in people
    ]


def week_columns(*, days: list[CalendarDay], who: str, params: dict[str, str]) -> list[GridColumn]:
    """One column per day of one clinician's or one room's week."""
    return [
        GridColumn(
            key=d.day,
            label=f"{d.day:%a} {d.day.day} {d.day:%b}",
            day=d.day,
            who=who,
            params=params,
            when=f"{d.day:%a} {d.day.day} {d.day:%b} ",
            is_today=d.is_today,
            holidays=d.holidays,
            closed=d.closed,
        )
        for d in days
    ]


def week_grid(*, days: list[CalendarDay], who: str, params: dict[str, str], hours: Hours) -> Grid:
    columns = week_columns(days=days, who=who, params=params)
    placed = [(d.day, a) for d in days for a in d.appointments]
    return lay_out_grid(columns=columns, appointments=placed, hours=hours)


def side_by_side_grid(
    *,
    user: User,
    columns: list[GridColumn],
    day: CalendarDay,
    by: str,
    filters: dict[str, Any],
    hours: Hours,
) -> Grid:
    """The day of several clinicians or rooms. Their visits' times are read as columns and laid
    out first; only the visits the cells show (at most a few a cell) are read as rows, so a room
    that the records say held dozens of visits at once still draws a bounded page."""
    attribute = "clinician_id" if by == "clinician" else "room_id"
    rows = appointments_between(user=user, first=day.day, last=day.day, filters=filters)
    times = rows.values_list("id", attribute, "starts_at", "ends_at", "status")
    tz = timezone.get_current_timezone()
    booked = [_booked_row(row, tz) for row in times]
    laid = lay_out(
        columns=[c.key for c in columns],
        hours=hours,
        booked=booked,
        bookable=_bookable(columns),
        most_per_cell=SIDE_BY_SIDE_VISITS,
    )
    shown = [pk for row in laid for cell in row.cells for pk in cell.items]
    found = {a.pk: a for a in calendar_visits(rows.filter(pk__in=shown))} if shown else {}
    for row in laid:
        for cell in row.cells:
            cell.items = [found[pk] for pk in cell.items if pk in found]
    day.appointments = [found[pk] for pk in shown if pk in found]
    return Grid(columns=columns, rows=_drawn(columns, laid), hours=hours)


def day_grid(*, columns: list[GridColumn], day: CalendarDay, by: str, hours: Hours) -> Grid:
    """The day's grid; `by` is "clinician" or "room": which of an appointment's ids is its
    column."""
    attribute = "clinician_id" if by == "clinician" else "room_id"
    placed = [(getattr(a, attribute), a) for a in day.appointments]
    return lay_out_grid(columns=columns, appointments=placed, hours=hours)
