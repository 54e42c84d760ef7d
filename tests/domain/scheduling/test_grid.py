"""The schedule's grid: rows of slots, visits placed in the slots they touch, free slots."""

import datetime as dt

import pytest

from otclinic.domain.scheduling.grid import (
    DEFAULT_HOURS,
    Booked,
    CellKind,
    ClinicHours,
    lay_out,
    slot_starts,
    widest,
)

MORNING = ClinicHours(opens=dt.time(8), closes=dt.time(10), slot_minutes=30)


def _always(column: int, minutes: int) -> bool:
    return True


def _cells(rows: list, column: int = 0) -> list[tuple[str, str, int]]:
    return [
        (row.label, cell.kind.value, cell.rows)
        for row in rows
        for cell in row.cells
        if cell.column == column
    ]


def test_the_rows_are_the_opening_hours_in_slots() -> None:
    assert slot_starts(MORNING, []) == [480, 510, 540, 570]


def test_a_visit_outside_the_hours_widens_the_rows_on_the_same_slot_grid() -> None:
    early = Booked(column="a", starts=7 * 60 + 15, ends=8 * 60, item="early")
    late = Booked(column="a", starts=10 * 60, ends=10 * 60 + 45, item="late")
    assert slot_starts(MORNING, [early, late]) == [420, 450, 480, 510, 540, 570, 600, 630]


def test_a_visit_fills_every_slot_it_touches_and_the_rest_are_free() -> None:
    visit = Booked(column="a", starts=8 * 60 + 30, ends=9 * 60 + 15, item="visit")
    rows = lay_out(columns=["a"], hours=MORNING, booked=[visit], bookable=_always)
    assert _cells(rows) == [
        ("08:00", "free", 1),
        ("08:30", "booked", 2),  # 08:30-09:15 touches 08:30 and 09:00
        ("09:30", "free", 1),
    ]
    assert rows[1].cells[0].items == ["visit"]


def test_visits_that_share_a_slot_share_a_cell() -> None:
    cancelled = Booked(column="a", starts=8 * 60, ends=8 * 60 + 45, item="x", holds=False)
    rebooked = Booked(column="a", starts=8 * 60, ends=8 * 60 + 30, item="y")
    rows = lay_out(columns=["a"], hours=MORNING, booked=[cancelled, rebooked], bookable=_always)
    first = rows[0].cells[0]
    assert (first.kind, first.rows, first.items) == (CellKind.BOOKED, 2, ["y", "x"])
    assert not first.bookable  # the rebooked visit holds the time


def test_a_cell_of_cancelled_visits_only_can_be_booked_again() -> None:
    cancelled = Booked(column="a", starts=9 * 60, ends=9 * 60 + 30, item="x", holds=False)
    rows = lay_out(columns=["a"], hours=MORNING, booked=[cancelled], bookable=_always)
    assert rows[2].cells[0].kind is CellKind.BOOKED
    assert rows[2].cells[0].bookable


def test_each_column_is_laid_out_alone_and_the_caller_says_what_can_be_booked() -> None:
    visit = Booked(column="b", starts=8 * 60, ends=9 * 60, item="b's")
    stranger = Booked(column="z", starts=8 * 60, ends=9 * 60, item="not shown")

    def after_nine_in_a(column: int, minutes: int) -> bool:
        return column == 0 and minutes >= 9 * 60

    rows = lay_out(
        columns=["a", "b"], hours=MORNING, booked=[visit, stranger], bookable=after_nine_in_a
    )
    assert [c.kind.value for c in rows[0].cells] == ["unavailable", "booked"]
    assert [c.column for c in rows[1].cells] == [0]  # b's 08:30 is inside its visit's cell
    assert [c.kind.value for c in rows[2].cells] == ["free", "unavailable"]


@pytest.mark.parametrize(
    ("opens", "closes", "minutes"),
    [(dt.time(9), dt.time(9), 30), (dt.time(9), dt.time(8), 30), (dt.time(8), dt.time(9), 4)],
)
def test_hours_that_cannot_be_are_refused(opens: dt.time, closes: dt.time, minutes: int) -> None:
    with pytest.raises(ValueError, match=r"closes after it opens|a slot lasts"):
        ClinicHours(opens=opens, closes=closes, slot_minutes=minutes)


def test_several_locations_share_the_widest_hours_and_the_shortest_slot() -> None:
    late = ClinicHours(opens=dt.time(10), closes=dt.time(20), slot_minutes=15)
    assert widest([MORNING, late]) == ClinicHours(
        opens=dt.time(8), closes=dt.time(20), slot_minutes=15
    )
    assert widest([]) == DEFAULT_HOURS


def test_a_cell_lists_a_few_visits_and_counts_the_rest() -> None:
    crowd = [Booked(column="gym", starts=8 * 60, ends=8 * 60 + 30, item=n) for n in range(9)]
    rows = lay_out(columns=["gym"], hours=MORNING, booked=crowd, bookable=_always)
    cell = rows[0].cells[0]
    assert (cell.items, cell.more) == ([0, 1, 2, 3], 5)
