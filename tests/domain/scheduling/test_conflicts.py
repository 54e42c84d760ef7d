from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from otclinic.domain.scheduling.conflicts import Resource, Slot, conflicts, overlaps

NINE = datetime(2026, 6, 1, 13, 0, tzinfo=UTC)


def _slot(start_min: int, length: int, *, clinician="c1", patient="p1", room=None) -> Slot:
    start = NINE + timedelta(minutes=start_min)
    return Slot(start, start + timedelta(minutes=length), clinician, patient, room)


@pytest.mark.parametrize(
    ("other", "resource"),
    [
        (_slot(30, 45, patient="p2"), Resource.CLINICIAN),
        (_slot(30, 45, clinician="c2"), Resource.PATIENT),
        (_slot(30, 45, clinician="c2", patient="p2", room="gym"), Resource.ROOM),
    ],
)
def test_each_kind_of_double_booking_is_named(other: Slot, resource: Resource) -> None:
    candidate = _slot(0, 45, room="gym")
    found = conflicts(candidate, [other])
    assert [c.resource for c in found] == [resource]
    assert found[0].message == f"the {resource} is already booked 2026-06-01 13:30-14:15"


def test_a_different_clinician_patient_and_room_is_no_conflict() -> None:
    candidate = _slot(0, 45, room="gym")
    assert conflicts(candidate, [_slot(10, 45, clinician="c2", patient="p2", room="kitchen")]) == []


def test_no_room_on_either_side_is_not_a_shared_room() -> None:
    assert conflicts(_slot(0, 45), [_slot(0, 45, clinician="c2", patient="p2")]) == []


def test_back_to_back_visits_do_not_conflict() -> None:
    assert conflicts(_slot(0, 45), [_slot(45, 45), _slot(-30, 30)]) == []


def test_a_slot_must_end_after_it_starts() -> None:
    with pytest.raises(ValueError, match="must end after"):
        _slot(0, 0)


starts = st.integers(min_value=0, max_value=600)
lengths = st.integers(min_value=1, max_value=240)


@given(starts, lengths, starts, lengths)
def test_overlap_is_symmetric(s1: int, l1: int, s2: int, l2: int) -> None:
    a, b = _slot(s1, l1), _slot(s2, l2, clinician="c2")
    assert overlaps(a, b) == overlaps(b, a)
    assert bool(conflicts(a, [b])) == bool(conflicts(b, [a]))


@given(starts, lengths, lengths)
def test_adjacent_intervals_never_conflict(start: int, first: int, second: int) -> None:
    a = _slot(start, first)
    b = _slot(start + first, second)
    assert not overlaps(a, b)
    assert conflicts(a, [b]) == [] and conflicts(b, [a]) == []


@given(starts, lengths, starts, lengths)
def test_overlap_means_a_shared_minute(s1: int, l1: int, s2: int, l2: int) -> None:
    shared = set(range(s1, s1 + l1)) & set(range(s2, s2 + l2))
    assert overlaps(_slot(s1, l1), _slot(s2, l2)) == bool(shared)
