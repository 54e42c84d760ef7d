"""The booking pages: one appointment, and the plan's series with its preview."""

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from otclinic.clinic.scheduling import services
from otclinic.clinic.scheduling.models import Appointment, ClinicHoliday, Room
from tests.clinic import factories as f
from tests.clinic.scheduling.conftest import NY, PLAN_START, at

pytestmark = pytest.mark.django_db


def _one(for_episode: Any, **kw: Any) -> dict[str, Any]:
    return {
        "patient": for_episode.patient.pk,
        "episode": for_episode.pk,
        "clinician": for_episode.therapist.pk,
        "clinic": for_episode.clinic.pk,
        "day": "2026-06-01",
        "time": "09:00",
        "minutes": 45,
        "kind": "treatment",
    } | kw


def _series(for_episode: Any, **kw: Any) -> dict[str, Any]:
    return {
        "patient": for_episode.patient_id,
        "episode": for_episode.pk,
        "weekdays": ["0", "2", "4"],
        "start_date": "2026-06-01",
        "time": "09:00",
        "minutes": 45,
        "action": "preview",
    } | kw


def _errors(response: Any, form: str = "form") -> dict[str, list[str]]:
    return {k: list(v) for k, v in response.context[form].errors.items()}


def test_the_desk_books_one_appointment_at_the_wall_clock_time_typed(
    desk_client: Client, plan_episode: Any
) -> None:
    response = desk_client.post("/schedule/book/", _one(plan_episode))
    booked = Appointment.objects.get(patient=plan_episode.patient)
    assert response.status_code == 302
    assert response["Location"] == f"/schedule/appointments/{booked.pk}/"
    assert booked.starts_at == at(PLAN_START)
    assert booked.ends_at - booked.starts_at == dt.timedelta(minutes=45)


def test_a_double_booked_clinician_is_named_next_to_the_clinician_field(
    desk_client: Client, plan_episode: Any
) -> None:
    desk_client.post("/schedule/book/", _one(plan_episode))
    other = f.PatientFactory(organization=plan_episode.organization)
    response = desk_client.post(
        "/schedule/book/", _one(plan_episode, patient=other.pk, episode="", time="09:30")
    )
    assert response.status_code == 422
    assert _errors(response) == {
        "clinician": ["the clinician is already booked 2026-06-01 09:00-09:45"]
    }
    assert Appointment.objects.count() == 1
    assert "Nothing was saved" in response.content.decode()


def test_a_double_booked_room_and_patient_are_each_named(
    desk_client: Client, plan_episode: Any
) -> None:
    gym = Room.objects.create(
        organization=plan_episode.organization, clinic=plan_episode.clinic, name="Gym"
    )
    desk_client.post("/schedule/book/", _one(plan_episode, room=gym.pk))
    colleague = f.StaffProfileFactory(user__organization=plan_episode.organization, user__role="OT")
    response = desk_client.post(
        "/schedule/book/",
        _one(plan_episode, clinician=colleague.pk, room=gym.pk, time="09:15"),
    )
    assert response.status_code == 422
    errors = _errors(response)
    assert errors["patient"] == ["the patient is already booked 2026-06-01 09:00-09:45"]
    assert errors["room"] == ["the room is already booked 2026-06-01 09:00-09:45"]


def test_a_date_after_the_certification_is_refused_naming_the_dates(
    desk_client: Client, plan_episode: Any
) -> None:
    response = desk_client.post("/schedule/book/", _one(plan_episode, day="2026-07-27"))
    assert response.status_code == 422
    assert _errors(response) == {
        "day": [
            "2026-07-27 is after the plan of care's certification, which runs through 2026-07-26"
        ]
    }
    assert not Appointment.objects.exists()


def test_visit_13_of_12_authorized_is_refused_on_the_episode(
    desk_client: Client, plan_episode: Any, front_desk: Any
) -> None:
    plan_episode.coverage.authorized_visits = 12
    plan_episode.coverage.save()
    for week in range(4):
        for day in (0, 2, 4):
            services.appointment_book(
                user=front_desk,
                patient=plan_episode.patient,
                clinician=plan_episode.therapist,
                clinic=plan_episode.clinic,
                episode=plan_episode,
                starts_at=at(PLAN_START + dt.timedelta(weeks=week, days=day)),
                minutes=45,
            )
    response = desk_client.post("/schedule/book/", _one(plan_episode, day="2026-06-29"))
    assert response.status_code == 422
    assert _errors(response)["episode"][0].startswith("visit 13 of 12 authorized")
    assert Appointment.objects.count() == 12


def test_a_lapsed_license_is_refused_on_the_clinician(
    desk_client: Client, plan_episode: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        services,
        "clinician_credential_problems",
        lambda **kw: ["no OH license in force on 2026-06-01: the latest expired on 2026-05-31"],
    )
    response = desk_client.post("/schedule/book/", _one(plan_episode))
    assert response.status_code == 422
    assert "the latest expired on 2026-05-31" in _errors(response)["clinician"][0]
    assert not Appointment.objects.exists()


def test_a_room_at_another_location_and_anothers_episode_are_refused(
    desk_client: Client, plan_episode: Any
) -> None:
    elsewhere = f.ClinicFactory(organization=plan_episode.organization, name="Riverside")
    room = Room.objects.create(organization=plan_episode.organization, clinic=elsewhere, name="A")
    other = f.PatientFactory(organization=plan_episode.organization)
    response = desk_client.post(
        "/schedule/book/", _one(plan_episode, room=room.pk, patient=other.pk)
    )
    assert response.status_code == 422
    assert set(_errors(response)) == {"room", "episode"}


def test_a_time_the_clocks_skip_is_refused(desk_client: Client, plan_episode: Any) -> None:
    response = desk_client.post(
        "/schedule/book/", _one(plan_episode, episode="", day="2027-03-14", time="02:30")
    )
    assert response.status_code == 422
    assert _errors(response) == {
        "time": ["02:30 does not exist on 2027-03-14: the clocks go forward then"]
    }


def test_another_organizations_patient_is_not_a_choice(
    desk_client: Client, plan_episode: Any
) -> None:
    stranger = f.PatientFactory()
    response = desk_client.post("/schedule/book/", _one(plan_episode, patient=stranger.pk))
    assert response.status_code == 422
    assert "patient" in _errors(response)
    assert not Appointment.objects.exists()


def test_the_series_preview_states_the_plan_skips_the_holiday_and_writes_nothing(
    desk_client: Client, plan_episode: Any
) -> None:
    ClinicHoliday.objects.create(
        organization=plan_episode.organization, date=dt.date(2026, 7, 3), name="July 4th"
    )
    response = desk_client.post("/schedule/series/", _series(plan_episode))
    assert response.status_code == 200
    preview = response.context["preview"]
    assert len(preview["series"].dates) == 23
    assert preview["series"].skipped_holidays == (dt.date(2026, 7, 3),)
    body = response.content.decode()
    assert "3 times a week for 8 weeks" in body
    assert "Skipped (clinic holiday):</strong> Fri 3 Jul 2026" in body
    assert "Confirm and book 23 appointments" in body
    assert not Appointment.objects.exists()


def test_an_htmx_preview_answers_with_the_form_fragment_only(
    desk_client: Client, plan_episode: Any
) -> None:
    response = desk_client.post(
        "/schedule/series/", _series(plan_episode), headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<form id="series-form"')
    assert "<html" not in body


def test_confirming_books_the_whole_series_and_shows_its_first_week(
    desk_client: Client, plan_episode: Any
) -> None:
    response = desk_client.post("/schedule/series/", _series(plan_episode, action="confirm"))
    assert response.status_code == 302
    assert response["Location"].startswith("/schedule/week/?day=2026-06-01")
    assert Appointment.objects.filter(episode=plan_episode).count() == 24


def test_a_refused_series_lists_each_date_and_books_nothing(
    desk_client: Client, plan_episode: Any
) -> None:
    plan_episode.coverage.authorized_visits = 20
    plan_episode.coverage.save()
    response = desk_client.post("/schedule/series/", _series(plan_episode, action="confirm"))
    assert response.status_code == 422
    refusals = response.context["refusals"]
    assert refusals[0].startswith("2026-07-17: visit 21 of 20 authorized")
    assert len(refusals) == 4
    assert not Appointment.objects.exists()


def test_too_few_weekdays_for_the_plan_is_refused_on_the_weekdays(
    desk_client: Client, plan_episode: Any
) -> None:
    response = desk_client.post("/schedule/series/", _series(plan_episode, weekdays=["0"]))
    assert response.status_code == 422
    assert _errors(response) == {
        "weekdays": ["the plan asks for 3 sessions a week, but only 1 weekday(s) were chosen"]
    }


def test_a_weekly_series_across_the_dst_switch_keeps_its_wall_clock_time(
    desk_client: Client, front_desk: Any
) -> None:
    patient = f.PatientFactory(organization=front_desk.organization)
    episode = f.EpisodeFactory(patient=patient, started_on=dt.date(2026, 10, 19))
    f.PlanOfCareFactory(episode=episode, status="active", frequency_per_week=1, duration_weeks=3)
    response = desk_client.post(
        "/schedule/series/",
        _series(episode, weekdays=["0"], start_date="2026-10-19", time="08:30", action="confirm"),
    )
    assert response.status_code == 302
    booked = Appointment.objects.filter(episode=episode).order_by("starts_at")
    local = [a.starts_at.astimezone(NY) for a in booked]
    assert [d.date() for d in local] == [
        dt.date(2026, 10, 19),
        dt.date(2026, 10, 26),
        dt.date(2026, 11, 2),  # the clocks went back on Sunday 1 November
    ]
    assert {d.time() for d in local} == {dt.time(8, 30)}
    assert [a.starts_at.astimezone(dt.UTC).hour for a in booked] == [12, 12, 13]


def test_a_refused_field_is_described_by_its_error(desk_client: Client, plan_episode: Any) -> None:
    response = desk_client.post("/schedule/book/", _one(plan_episode, day="2026-07-27"))
    body = response.content.decode()
    assert 'aria-describedby="id_day_error"' in body
    assert 'aria-invalid="true"' in body
    assert '<ul class="errorlist" id="id_day_error" role="alert">' in body
