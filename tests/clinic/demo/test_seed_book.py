"""The demo's book passes the booking rules: no clinician, patient or room is booked twice at
once, at a scale above 1 and on a later day's top-up, as `appointment_book` would refuse; and its
locations have rooms enough for their clinicians, at any scale."""

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Hashable
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
import time_machine

from otclinic.clinic.demo import catalog
from otclinic.clinic.demo.seed import seed_demo
from otclinic.clinic.scheduling import selectors
from otclinic.clinic.scheduling.models import Appointment, Room
from otclinic.clinic.staff.models import StaffProfile
from otclinic.domain.scheduling.conflicts import Resource, Slot, conflicts

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")
SEEDED = dt.datetime(2026, 3, 4, 16, 0, tzinfo=NEW_YORK)  # a Wednesday afternoon
LATER = dt.datetime(2026, 3, 5, 9, 50, tzinfo=NEW_YORK)  # the next morning
# The seed's rooms are four for five clinicians at once (catalog.CLINICIANS_PER_ROOM), and its
# clinicians' days all start at 08:00: only visits at the busiest starts, when more than four in
# five clinicians of a location see patients at once, find no room (about 2% at scale 1 and 1%
# at scale 10). One in twenty leaves room for other draws, and fails clearly for a location
# with a fixed set of rooms (one visit in ten without a room at scale 1, one in three at 2).
ROOMLESS_AT_MOST = 0.05


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
    named = Room.objects.filter(name__in=[n for c in catalog.CLINICS for n in c.rooms])
    assert set(named.values_list("pk", flat=True)) < rooms_used  # and numbered ones take the rest


@pytest.mark.parametrize(
    ("scale", "patients_per_scale", "months"), [(1, catalog.PATIENTS_PER_SCALE, 3), (2, 60, 1)]
)
def test_nearly_every_held_visit_has_a_room_and_no_room_is_booked_twice_at_once(
    scale: int, patients_per_scale: int, months: int
) -> None:
    with time_machine.travel(SEEDED, tick=False):
        seed_demo(scale=scale, patients_per_scale=patients_per_scale, months=months, revenue=False)
    slots = held_slots()

    roomless = sum(slot.room is None for slot in slots)
    assert roomless / len(slots) < ROOMLESS_AT_MOST
    assert double_bookings(slots) == []


def clinicians_at_once() -> dict[str, Fraction]:
    """By location: its clinicians, one who covers several locations counted at each for a share."""
    found: dict[str, Fraction] = defaultdict(Fraction)
    clinicians = StaffProfile.objects.filter(user__role__in=list(catalog.CREDENTIALS))
    for profile in clinicians.prefetch_related("clinics"):
        locations = [clinic.name for clinic in profile.clinics.all()]
        for name in locations:
            found[name] += Fraction(1, len(locations))
    return found


@pytest.mark.parametrize("scale", [1, 3])
def test_each_location_keeps_its_named_rooms_and_has_numbered_ones_for_its_clinicians(
    scale: int,
) -> None:
    with time_machine.travel(SEEDED, tick=False):
        seed_demo(scale=scale, patients_per_scale=2, months=1, revenue=False)
    rooms = Counter(Room.objects.values_list("clinic__name", flat=True))
    at_once = clinicians_at_once()

    for spec in catalog.CLINICS:
        names = set(Room.objects.filter(clinic__name=spec.name).values_list("name", flat=True))
        assert set(spec.rooms) <= names
        assert all(n in spec.rooms or n.startswith("Treatment ") for n in names)
        # Enough rooms for one per CLINICIANS_PER_ROOM clinicians, and not a room more.
        enough = rooms[spec.name] * catalog.CLINICIANS_PER_ROOM
        assert enough >= at_once[spec.name] > enough - catalog.CLINICIANS_PER_ROOM


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
