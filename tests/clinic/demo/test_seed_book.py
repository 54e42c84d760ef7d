"""The demo's book passes the booking rules: no clinician, patient or room is booked twice at
once, at a scale above 1 and on a later day's top-up, as `appointment_book` would refuse."""

import datetime as dt
from collections import defaultdict
from collections.abc import Hashable
from zoneinfo import ZoneInfo

import pytest
import time_machine

from otclinic.clinic.demo.seed import seed_demo
from otclinic.clinic.scheduling import selectors
from otclinic.clinic.scheduling.models import Appointment, Room
from otclinic.domain.scheduling.conflicts import Resource, Slot, conflicts

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")
SEEDED = dt.datetime(2026, 3, 4, 16, 0, tzinfo=NEW_YORK)  # a Wednesday afternoon
LATER = dt.datetime(2026, 3, 5, 9, 50, tzinfo=NEW_YORK)  # the next morning


def held_slots() -> list[Slot]:
    """Every appointment that holds its slot (cancelled ones and no-shows free theirs)."""
    rows = Appointment.objects.filter(status__in=selectors.HOLDS_SLOT).values_list(
        "pk", "starts_at", "ends_at", "clinician_id", "patient_id", "room_id"
    )
    return [
        Slot(start, end, clinician, patient, room, pk)
        for pk, start, end, clinician, patient, room in rows
    ]


def double_bookings(slots: list[Slot]) -> list[str]:
    """What the booking rule would say against each slot, given every slot booked before it.

    Slots are compared within one day of one clinician, patient or room (the rule's `conflicts`
    decides), so the check stays linear in the size of the book."""
    groups: dict[tuple[Hashable, ...], list[Slot]] = defaultdict(list)
    for slot in slots:
        day = slot.starts_at.astimezone(NEW_YORK).date()
        groups[Resource.CLINICIAN, slot.clinician, day].append(slot)
        groups[Resource.PATIENT, slot.patient, day].append(slot)
        if slot.room is not None:
            groups[Resource.ROOM, slot.room, day].append(slot)
    found = []
    for (resource, *_), group in groups.items():
        group.sort(key=lambda s: (s.starts_at, str(s.ref)))
        for index, slot in enumerate(group):
            found += [
                f"{slot.ref}: {c.message}"
                for c in conflicts(slot, group[:index])
                if c.resource == resource
            ]
    return found


def test_the_seeded_book_at_scale_3_books_no_clinician_patient_or_room_twice_at_once() -> None:
    with time_machine.travel(SEEDED, tick=False):
        seed_demo(scale=3, patients_per_scale=30, months=1)
    slots = held_slots()

    assert double_bookings(slots) == []
    rooms_used = {s.room for s in slots if s.room is not None}
    assert rooms_used == set(Room.objects.values_list("pk", flat=True))


def test_a_later_days_top_up_books_around_the_visits_booked_ahead_for_that_day() -> None:
    with time_machine.travel(SEEDED, tick=False):
        seed_demo(scale=2, patients_per_scale=30, months=1)
    with time_machine.travel(LATER, tick=False):
        result = seed_demo(scale=2)

    assert result.added_today > 0
    assert double_bookings(held_slots()) == []


def test_the_check_finds_a_room_booked_twice_at_once() -> None:
    start = dt.datetime(2026, 3, 4, 9, 0, tzinfo=NEW_YORK)
    end = start + dt.timedelta(minutes=45)
    first = Slot(start, end, "ot-1", "patient-1", "gym", "a")
    second = Slot(start + dt.timedelta(minutes=30), end, "ot-2", "patient-2", "gym", "b")
    apart = Slot(end, end + dt.timedelta(minutes=45), "ot-3", "patient-3", "gym", "c")

    assert len(double_bookings([first, second, apart])) == 1
