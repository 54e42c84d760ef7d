"""The schedule as a grid: one row per slot of the clinic's slot length, one column per
clinician, room or day.

A booked visit fills the slots its time touches (a 45-minute visit at 10:00 on a 30-minute grid
fills 10:00 and 10:30); visits that share a slot of one column fill one cell together, so a
cancelled visit and the one booked into its time are shown side by side. Every other slot is
free, and the caller says whether a free slot can be booked (a closed day or a past time
cannot). Times are minutes from the local midnight, so the grid is the clinic's wall clock.
"""

import datetime as dt
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

MINUTES_PER_DAY = 24 * 60


@dataclass(frozen=True, slots=True)
class ClinicHours:
    """When a location opens and closes, and the length of the slots its days are cut into."""

    opens: dt.time
    closes: dt.time
    slot_minutes: int

    def __post_init__(self) -> None:
        if self.closes <= self.opens:
            raise ValueError(f"a clinic closes after it opens: {self.opens} to {self.closes}")
        if not 5 <= self.slot_minutes <= 240:
            raise ValueError(f"a slot lasts 5 to 240 minutes, not {self.slot_minutes}")


# Where a location has set no hours of its own.
DEFAULT_HOURS = ClinicHours(opens=dt.time(8), closes=dt.time(18), slot_minutes=30)


def widest(hours: Iterable[ClinicHours]) -> ClinicHours:
    """The hours of several locations on one grid: the earliest opening, the latest closing
    and the shortest slot; DEFAULT_HOURS when there are none."""
    found = list(hours)
    if not found:
        return DEFAULT_HOURS
    return ClinicHours(
        opens=min(h.opens for h in found),
        closes=max(h.closes for h in found),
        slot_minutes=min(h.slot_minutes for h in found),
    )


def minutes_of(time: dt.time) -> int:
    return time.hour * 60 + time.minute


def clock(minutes: int) -> str:
    """Minutes from midnight as the grid shows them: "09:30"."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass(frozen=True, slots=True)
class Booked:
    """A visit on the grid: its column, its local start and end in minutes from midnight (an
    end past midnight is cut at midnight), and whether it holds its time (a cancelled or
    no-show visit shows but leaves the slot free)."""

    column: Hashable
    starts: int
    ends: int
    item: Any
    holds: bool = True


class CellKind(StrEnum):
    BOOKED = "booked"
    FREE = "free"  # free and bookable
    UNAVAILABLE = "unavailable"  # free, but not bookable (closed, or past)


@dataclass(slots=True)
class Cell:
    """What one column shows from one slot on: `rows` slots long (a cell of visits spans
    them); `bookable` when a free slot, or a cell of visits none of which holds its time,
    can be booked at `starts`."""

    column: int
    starts: int
    kind: CellKind
    rows: int = 1
    items: list[Any] = field(default_factory=list)
    bookable: bool = False
    more: int = 0  # visits of the cell left out (beyond `most_per_cell`)
    rendered: Any = None  # what the caller draws for the cell, when it draws it ahead


@dataclass(slots=True)
class Row:
    starts: int
    cells: list[Cell]

    @property
    def label(self) -> str:
        return clock(self.starts)


def slot_starts(hours: ClinicHours, booked: Sequence[Booked]) -> list[int]:
    """The rows: the opening hours in slots, widened to any visit booked outside them, the
    slots kept on the grid that starts at the opening time."""
    step, opens = hours.slot_minutes, minutes_of(hours.opens)
    first, last = opens, minutes_of(hours.closes)
    for visit in booked:
        first = min(first, opens + (visit.starts - opens) // step * step)
        last = max(last, visit.ends)
    first = max(first, opens - (opens // step) * step)
    return list(range(first, min(last, MINUTES_PER_DAY), step))


def _clusters(visits: list[Booked], rows: list[int], step: int) -> list[tuple[int, int, list[Any]]]:
    """(first row, rows spanned, visits) for each run of visits whose slots touch."""
    found: list[tuple[int, int, list[Booked]]] = []
    for visit in sorted(visits, key=lambda v: (v.starts, v.ends)):
        top = max(0, (visit.starts - rows[0]) // step)
        bottom = max(top + 1, min(len(rows), -(-(visit.ends - rows[0]) // step)))
        if found and top < found[-1][0] + found[-1][1]:
            first, span, group = found[-1]
            found[-1] = (first, max(span, bottom - first), [*group, visit])
        else:
            found.append((top, bottom - top, [visit]))
    return [(first, span, group) for first, span, group in found]


def lay_out(
    *,
    columns: Sequence[Hashable],
    hours: ClinicHours,
    booked: Sequence[Booked],
    bookable: Callable[[int, int], bool],
    most_per_cell: int = 4,
) -> list[Row]:
    """The grid's rows, each with the cells that start in it (a cell spanning several rows
    appears in its first). `bookable(column index, minutes)` says whether a free slot can be
    booked. A cell lists at most `most_per_cell` visits, in start order, and counts the rest:
    a room that several visits hold at once (booked outside the service's checks) still draws
    a cell of bounded size."""
    rows = slot_starts(hours, booked)
    if not rows:
        return []
    step = hours.slot_minutes
    index = {key: n for n, key in enumerate(columns)}
    per_column: list[list[Booked]] = [[] for _ in columns]
    for visit in booked:
        if visit.column in index:
            per_column[index[visit.column]].append(visit)
    grid = [Row(starts=minutes, cells=[]) for minutes in rows]
    covered: set[tuple[int, int]] = set()
    for column, visits in enumerate(per_column):
        for first, span, group in _clusters(visits, rows, step):
            held = any(v.holds for v in group)
            grid[first].cells.append(
                Cell(
                    column=column,
                    starts=rows[first],
                    kind=CellKind.BOOKED,
                    rows=span,
                    items=[v.item for v in group[:most_per_cell]],
                    bookable=not held and bookable(column, rows[first]),
                    more=max(0, len(group) - most_per_cell),
                )
            )
            covered.update((r, column) for r in range(first, first + span))
    for r, row in enumerate(grid):
        for column in range(len(columns)):
            if (r, column) in covered:
                continue
            free = bookable(column, row.starts)
            kind = CellKind.FREE if free else CellKind.UNAVAILABLE
            row.cells.append(Cell(column=column, starts=row.starts, kind=kind, bookable=free))
        row.cells.sort(key=lambda cell: cell.column)
    return grid
