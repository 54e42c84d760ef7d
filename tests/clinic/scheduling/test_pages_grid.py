"""The calendar's grid: visits in their slots, free slots that open the booking form pre-filled,
columns of clinicians or rooms a page at a time, and each location's hours."""

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client

from otclinic.clinic.scheduling.models import (
    AppointmentStatus,
    ClinicHoliday,
    ClinicHours,
    Room,
)
from tests.clinic import factories as f
from tests.clinic.scheduling.conftest import PLAN_START, at, booked

pytestmark = pytest.mark.django_db

DAY = f"/schedule/?day={PLAN_START.isoformat()}"


def _free_slots(body: str) -> dict[str, str]:
    """Each free slot's accessible name and the link it opens."""
    found = re.findall(r'<a class="slot" href="([^"]*)" aria-label="([^"]*)"', body)
    return {name: href.replace("&amp;", "&") for href, name in found}


def _row(body: str, time: str) -> str:
    match = re.search(rf'<tr><th scope="row" class="g-time">{time}</th>(.*?)</tr>', body, re.S)
    assert match, f"no row {time}"
    return match[1]


def test_a_visit_fills_its_slots_and_the_free_slots_link_to_the_booking_form(
    desk_client: Client, plan_episode: Any, frozen: None
) -> None:
    therapist = plan_episode.therapist
    therapist.clinics.add(plan_episode.clinic)
    visit = booked(plan_episode, at(PLAN_START, 10))
    body = desk_client.get(f"{DAY}&clinician={therapist.pk}").content.decode()
    # 10:00-10:45 on 30-minute slots: the cell starting at 10:00 spans 10:00 and 10:30.
    cell = (
        rf'rowspan="2">\s*<a class="appt appt-scheduled" href="/schedule/appointments/{visit.pk}/"'
    )
    assert re.search(cell, _row(body, "10:00"))
    assert "<td" not in _row(body, "10:30")
    slots = _free_slots(body)
    name = f"Book 11:00 with {therapist}"
    assert slots[name] == (
        f"/schedule/book/?clinician={therapist.pk}&clinic={plan_episode.clinic.pk}"
        f"&day={PLAN_START.isoformat()}&time=11:00"
    )
    assert (
        f"Book 10:00 with {therapist}" not in slots and f"Book 10:30 with {therapist}" not in slots
    )
    assert len(slots) == 20 - 2  # 08:00 to 18:00 in 30-minute slots, less the visit's two

    form = desk_client.get(slots[name]).content.decode()
    assert 'name="time" value="11:00"' in form
    assert f'<option value="{therapist.pk}" selected>' in form
    assert f'<option value="{plan_episode.clinic.pk}" selected>' in form


def test_past_slots_and_closed_days_offer_no_booking(
    desk_client: Client, plan_episode: Any, frozen: None
) -> None:
    therapist = plan_episode.therapist
    before = desk_client.get(f"/schedule/?day=2026-05-25&clinician={therapist.pk}")
    names = _free_slots(before.content.decode())
    assert f"Book 08:30 with {therapist}" in names  # "now" is 08:00 that Monday
    assert f"Book 08:00 with {therapist}" not in names
    ClinicHoliday.objects.create(
        organization=plan_episode.organization, date=PLAN_START, name="Founders' Day"
    )
    body = desk_client.get(f"{DAY}&clinician={therapist.pk}").content.decode()
    assert "Closed: Founders&#x27; Day" in body
    assert _free_slots(body) == {}


def test_a_cancelled_visits_slot_can_be_booked_again_from_the_grid(
    desk_client: Client, plan_episode: Any, frozen: None
) -> None:
    therapist = plan_episode.therapist
    booked(
        plan_episode,
        at(PLAN_START, 9),
        ends_at=at(PLAN_START, 9, 30),
        status=AppointmentStatus.CANCELLED,
    )
    body = desk_client.get(f"{DAY}&clinician={therapist.pk}").content.decode()
    row = _row(body, "09:00")
    assert "✕ Cancelled" in row
    assert f'aria-label="Book 09:00 with {therapist}"' in row


def test_the_week_grid_names_each_free_slots_day(
    desk_client: Client, plan_episode: Any, frozen: None
) -> None:
    therapist = plan_episode.therapist
    booked(plan_episode, at(PLAN_START + dt.timedelta(days=1), 8))
    body = desk_client.get(f"/schedule/week/{DAY[10:]}&clinician={therapist.pk}").content.decode()
    slots = _free_slots(body)
    assert f"Book Mon 1 Jun 08:00 with {therapist}" in slots
    assert f"Book Tue 2 Jun 08:00 with {therapist}" not in slots
    assert slots[f"Book Sun 7 Jun 17:30 with {therapist}"].endswith("&day=2026-06-07&time=17:30")
    assert len(slots) == 7 * 20 - 2


def test_clinicians_side_by_side_come_six_at_a_time(
    desk_client: Client, plan_episode: Any, frozen: None
) -> None:
    org = plan_episode.organization
    staff = [
        f.StaffProfileFactory(user__organization=org, user__role="OT", user__last_name=f"Staff{n}")
        for n in range(7)
    ]
    theirs = booked(plan_episode, at(PLAN_START, 9), clinician=staff[6])
    first = desk_client.get(f"{DAY}&by=clinician")
    shown = [col.label for col in first.context["grid"].columns]
    assert len(shown) == 6
    assert first.context["days"][0].appointments == []  # nobody on the first page is booked
    second = desk_client.get(f"{DAY}&by=clinician&cols=2")
    assert [col.label for col in second.context["grid"].columns] == [
        str(p) for p in sorted([*staff, plan_episode.therapist], key=lambda p: p.user.last_name)[6:]
    ]
    assert [a.pk for a in second.context["days"][0].appointments] == [theirs.pk]
    assert "Page 2 of 2" in second.content.decode()
    assert "by=clinician" in second.context["next_url"]


def test_rooms_side_by_side_book_the_room_at_its_location(
    desk_client: Client, plan_episode: Any, frozen: None
) -> None:
    gym = Room.objects.create(
        organization=plan_episode.organization, clinic=plan_episode.clinic, name="Gym"
    )
    visit = booked(plan_episode, at(PLAN_START, 9), room=gym)
    response = desk_client.get(f"{DAY}&by=room")
    assert [a.pk for a in response.context["days"][0].appointments] == [visit.pk]
    slots = _free_slots(response.content.decode())
    link = slots[f"Book 11:00 in {plan_episode.clinic.name}: Gym"]
    assert f"room={gym.pk}&clinic={plan_episode.clinic.pk}" in link


def test_a_locations_hours_and_slot_length_cut_its_grid(
    desk_client: Client, plan_episode: Any, frozen: None
) -> None:
    clinic = plan_episode.clinic
    ClinicHours.objects.create(
        organization=plan_episode.organization,
        clinic=clinic,
        opens=dt.time(7),
        closes=dt.time(12),
        slot_minutes=15,
    )
    response = desk_client.get(f"{DAY}&clinic={clinic.pk}")
    rows = [row.label for row in response.context["grid"].rows]
    assert rows[0] == "07:00" and rows[-1] == "11:45" and len(rows) == 20
