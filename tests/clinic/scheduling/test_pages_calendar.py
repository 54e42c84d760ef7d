"""The calendar pages: who may see them, what they show, on which day, in which time zone."""

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.utils.html import escape

from otclinic.clinic.scheduling.models import Appointment, AppointmentStatus, ClinicHoliday, Room
from tests.clinic import factories as f
from tests.clinic.scheduling.conftest import NY, PLAN_START, at, booked

pytestmark = pytest.mark.django_db


def _shown(response: Any) -> dict[dt.date, list[Any]]:
    return {d.day: [a.pk for a in d.appointments] for d in response.context["days"]}


@pytest.mark.parametrize("role", ["front_desk", "clinic_admin", "OT", "OTA"])
def test_roles_that_schedule_see_the_calendar(client: Client, plan_episode: Any, role: str) -> None:
    client.force_login(f.staff_user(organization=plan_episode.organization, role=role))
    assert client.get("/schedule/").status_code == 200
    assert client.get("/schedule/week/").status_code == 200
    assert client.get("/schedule/waitlist/").status_code == 200
    assert client.get("/schedule/book/").status_code == 200


@pytest.mark.parametrize("role", ["biller", "student"])
def test_other_staff_are_refused(client: Client, plan_episode: Any, role: str) -> None:
    client.force_login(f.staff_user(organization=plan_episode.organization, role=role))
    for path in ("/schedule/", "/schedule/week/", "/schedule/book/", "/schedule/waitlist/"):
        assert client.get(path).status_code == 403, path


def test_a_patient_of_the_portal_is_refused(client: Client, plan_episode: Any) -> None:
    access = f.PortalAccessFactory(patient=plan_episode.patient)
    client.force_login(access.user)
    assert client.get("/schedule/").status_code == 403


def test_a_visitor_is_sent_to_sign_in(client: Client) -> None:
    response = client.get("/schedule/week/")
    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_the_nav_links_the_schedule_for_the_desk_only(
    client: Client, desk_client: Client, plan_episode: Any
) -> None:
    assert 'href="/schedule/"' in desk_client.get("/").content.decode()
    client.force_login(f.staff_user(organization=plan_episode.organization, role="biller"))
    assert 'href="/schedule/"' not in client.get("/").content.decode()


def test_an_evening_visit_shows_on_its_local_day_not_the_utc_day(
    desk_client: Client, plan_episode: Any
) -> None:
    evening = booked(plan_episode, at(PLAN_START, 21, 30))  # 01:30 UTC on 2 June
    assert evening.starts_at.astimezone(dt.UTC).date() == dt.date(2026, 6, 2)
    response = desk_client.get("/schedule/week/?day=2026-06-03")
    shown = _shown(response)
    assert list(shown) == [PLAN_START + dt.timedelta(days=n) for n in range(7)]
    assert shown[PLAN_START] == [evening.pk]
    assert shown[dt.date(2026, 6, 2)] == []
    assert "21:30\u201322:15" in response.content.decode()


def test_the_day_view_filters_by_clinician_location_and_room(
    desk_client: Client, plan_episode: Any
) -> None:
    org = plan_episode.organization
    gym = Room.objects.create(organization=org, clinic=plan_episode.clinic, name="Gym")
    ours = booked(plan_episode, at(PLAN_START, 9), room=gym)
    colleague = f.StaffProfileFactory(user__organization=org, user__role="OTA")
    other = f.PatientFactory(organization=org)
    theirs = booked(plan_episode, at(PLAN_START, 9), clinician=colleague, patient=other, room=gym)
    day = "/schedule/?day=2026-06-01"
    assert _shown(desk_client.get(f"{day}&clinician={colleague.pk}"))[PLAN_START] == [theirs.pk]
    mine = f"{day}&clinician={plan_episode.therapist.pk}"
    assert _shown(desk_client.get(mine))[PLAN_START] == [ours.pk]
    assert set(_shown(desk_client.get(f"{day}&room={gym.pk}"))[PLAN_START]) == {ours.pk, theirs.pk}
    both = f"{day}&room={gym.pk}&clinician={colleague.pk}"
    assert _shown(desk_client.get(both))[PLAN_START] == [theirs.pk]
    elsewhere = f.ClinicFactory(organization=org)
    assert _shown(desk_client.get(f"{day}&clinic={elsewhere.pk}"))[PLAN_START] == []


@pytest.mark.parametrize("view", ["/schedule/", "/schedule/week/"])
def test_the_desk_first_sees_the_first_clinicians_calendar_not_everyones(
    desk_client: Client, plan_episode: Any, view: str
) -> None:
    # Everyone's week at a large clinic is thousands of visits: the calendar shows one person
    # (or one room) at a time, and for the desk starts with the first clinician by name.
    org = plan_episode.organization
    first = f.StaffProfileFactory(user__organization=org, user__role="OT", user__last_name="Aaron")
    first.clinics.add(plan_episode.clinic)
    later = f.StaffProfileFactory(user__organization=org, user__role="OT", user__last_name="Zorn")
    later.clinics.add(plan_episode.clinic)
    hers = booked(plan_episode, at(PLAN_START, 9), clinician=first)
    booked(plan_episode, at(PLAN_START, 10), clinician=later)
    response = desk_client.get(f"{view}?day=2026-06-01")
    assert response.context["form"].cleaned_data["clinician"] == first
    assert _shown(response)[PLAN_START] == [hers.pk]
    at_clinic = desk_client.get(f"{view}?day=2026-06-01&clinic={plan_episode.clinic.pk}")
    assert at_clinic.context["form"].cleaned_data["clinician"] == first
    assert f"clinician={first.pk}" in response.context["next_url"]


def test_a_clinician_first_sees_their_own_day_and_can_choose_a_colleague(
    client: Client, plan_episode: Any
) -> None:
    org = plan_episode.organization
    mine = booked(plan_episode, at(PLAN_START, 9))
    colleague = f.StaffProfileFactory(user__organization=org, user__role="OT")
    other = f.PatientFactory(organization=org)
    theirs = booked(plan_episode, at(PLAN_START, 10), clinician=colleague, patient=other)
    client.force_login(plan_episode.therapist.user)
    assert _shown(client.get("/schedule/?day=2026-06-01"))[PLAN_START] == [mine.pk]
    # Choosing nobody and no room comes back to their own day.
    assert _shown(client.get("/schedule/?day=2026-06-01&clinician="))[PLAN_START] == [mine.pk]
    chosen = client.get(f"/schedule/?day=2026-06-01&clinician={colleague.pk}")
    assert _shown(chosen)[PLAN_START] == [theirs.pk]


def test_another_organizations_clinician_filter_is_refused_and_shows_nothing(
    desk_client: Client, plan_episode: Any
) -> None:
    booked(plan_episode, at(PLAN_START, 9))
    stranger = f.StaffProfileFactory()
    response = desk_client.get(f"/schedule/?day=2026-06-01&clinician={stranger.pk}")
    assert response.status_code == 422
    assert "clinician" in response.context["form"].errors
    assert response.context["day"] == PLAN_START
    assert response.context["days"] == []
    assert plan_episode.patient.last_name not in response.content.decode()


def test_cancelled_and_no_show_visits_say_so_in_words(
    desk_client: Client, plan_episode: Any
) -> None:
    booked(plan_episode, at(PLAN_START, 9), status=AppointmentStatus.CANCELLED)
    booked(plan_episode, at(PLAN_START, 11), status=AppointmentStatus.NO_SHOW)
    body = desk_client.get("/schedule/?day=2026-06-01").content.decode()
    assert "✕ Cancelled" in body and "appt-cancelled" in body
    assert "✕ No-show" in body and "appt-no_show" in body


def test_a_holiday_is_shown_as_closed(desk_client: Client, plan_episode: Any) -> None:
    ClinicHoliday.objects.create(
        organization=plan_episode.organization, date=dt.date(2026, 7, 3), name="July 4th"
    )
    body = desk_client.get("/schedule/week/?day=2026-07-01").content.decode()
    assert "Closed: July 4th" in body


def test_previous_and_next_keep_the_filters_and_step_a_week(
    desk_client: Client, plan_episode: Any
) -> None:
    clinician = plan_episode.therapist.pk
    response = desk_client.get(f"/schedule/week/?day=2026-06-03&clinician={clinician}")
    assert (
        response.context["previous_url"] == f"/schedule/week/?day=2026-05-27&clinician={clinician}"
    )
    assert response.context["next_url"] == f"/schedule/week/?day=2026-06-10&clinician={clinician}"


def test_htmx_navigation_gets_the_calendar_fragment(desk_client: Client, plan_episode: Any) -> None:
    response = desk_client.get("/schedule/week/?day=2026-06-03", headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="calendar"')
    assert "<html" not in body


def test_a_visit_after_the_dst_switch_shows_its_wall_clock_time(
    desk_client: Client, plan_episode: Any
) -> None:
    before = booked(plan_episode, at(dt.date(2026, 10, 30), 9))
    after = booked(plan_episode, at(dt.date(2026, 11, 2), 9))
    response = desk_client.get("/schedule/week/?day=2026-11-01&clinician=")
    shown = _shown(response)
    assert shown[dt.date(2026, 10, 30)] == [before.pk]
    response = desk_client.get("/schedule/week/?day=2026-11-02&clinician=")
    assert _shown(response)[dt.date(2026, 11, 2)] == [after.pk]
    assert response.content.decode().count("09:00\u201309:45") == 1


def test_changing_the_time_zone_setting_moves_no_stored_instant(
    desk_client: Client, plan_episode: Any, settings: Any
) -> None:
    desk_client.post(
        "/schedule/book/",
        {
            "patient": plan_episode.patient.pk,
            "clinician": plan_episode.therapist.pk,
            "clinic": plan_episode.clinic.pk,
            "day": "2026-06-01",
            "time": "09:00",
            "minutes": 45,
            "kind": "evaluation",
        },
    )
    stored = Appointment.objects.get().starts_at
    assert stored == dt.datetime(2026, 6, 1, 13, 0, tzinfo=dt.UTC)
    settings.TIME_ZONE = "America/Chicago"
    assert Appointment.objects.get().starts_at == stored
    body = desk_client.get("/schedule/?day=2026-06-01&clinician=").content.decode()
    assert "08:00\u201308:45" in body  # the same instant, read in the new zone
    assert "America/Chicago" in body
    assert stored.astimezone(NY).hour == 9


def _picker(body: str, name: str) -> list[tuple[str, bool, str]]:
    select = re.search(rf'<select[^>]* name="{name}"[^>]*>(.*?)</select>', body, re.S)
    assert select, f"no {name} picker"
    found = re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select[1])
    return [(value, bool(chosen), label) for value, chosen, label in found]


def test_the_pickers_name_the_organizations_clinicians_locations_and_rooms(
    desk_client: Client, plan_episode: Any
) -> None:
    org = plan_episode.organization
    therapist = plan_episode.therapist
    quoted = f.StaffProfileFactory(
        user__organization=org,
        user__role="OTA",
        user__first_name="Siobhán",
        user__last_name="O'Neil <B>",
    )
    nameless = f.StaffProfileFactory(
        user__organization=org, user__role="PT", user__first_name="", user__last_name=""
    )
    f.StaffProfileFactory(user__organization=org, user__role="OT", active=False)
    f.StaffProfileFactory(user__organization=org, user__role="front_desk")
    f.StaffProfileFactory(user__role="OT")  # another organization's
    room = Room.objects.create(organization=org, clinic=plan_episode.clinic, name="Gym & pool")
    body = desk_client.get(f"/schedule/?day=2026-06-01&clinician={quoted.pk}").content.decode()
    clinicians = _picker(body, "clinician")
    # The same names as each profile's own label, by last name; the chosen one selected.
    expected = sorted(
        [therapist, quoted, nameless], key=lambda s: (s.user.last_name, s.user.first_name)
    )
    assert clinicians == [("", False, "Anyone (in the room chosen)")] + [
        (str(s.pk), s == quoted, escape(str(s))) for s in expected
    ]
    assert escape("Siobhán O'Neil <B>, COTA/L") in body
    assert (str(nameless.pk), False, nameless.user.username) in clinicians
    assert _picker(body, "clinic") == [
        ("", True, "Every location"),
        (str(plan_episode.clinic.pk), False, escape(plan_episode.clinic.name)),
    ]
    assert (str(room.pk), False, escape(f"{plan_episode.clinic.name}: Gym & pool")) in _picker(
        body, "room"
    )
