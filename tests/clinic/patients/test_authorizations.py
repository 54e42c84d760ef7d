"""Booking counts a visit against the payer's authorization for the episode's discipline:
past its visits, or outside its dates, the front desk is told why in plain words."""

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from otclinic.clinic.payers.models import Authorization
from otclinic.clinic.scheduling import services
from otclinic.clinic.scheduling.models import Appointment
from otclinic.clinic.scheduling.services import BookingRefused
from tests.clinic import factories as f

pytestmark = pytest.mark.django_db

NY = ZoneInfo("America/New_York")
PLAN_START = dt.date(2026, 6, 1)  # a Monday; the plan certifies 56 days


@pytest.fixture
def episode(settings: Any) -> Any:
    settings.TIME_ZONE = "America/New_York"
    patient = f.PatientFactory()
    coverage = f.CoverageFactory(patient=patient, starts_on=dt.date(2026, 1, 1))
    episode = f.EpisodeFactory(patient=patient, coverage=coverage, started_on=PLAN_START)
    f.PlanOfCareFactory(
        episode=episode, status="active", frequency_per_week=3, duration_weeks=8, duration_days=56
    )
    Authorization.objects.create(
        organization=patient.organization,
        coverage=coverage,
        discipline="OT",
        number="AUTH-1",
        visits=2,
        starts_on=PLAN_START,
        ends_on=PLAN_START + dt.timedelta(days=20),
    )
    return episode


@pytest.fixture
def desk(episode: Any) -> Any:
    return f.staff_user(organization=episode.organization, role="front_desk")


def _book(desk: Any, episode: Any, day: dt.date) -> Appointment:
    return services.appointment_book(
        user=desk,
        patient=episode.patient,
        clinician=episode.therapist,
        clinic=episode.clinic,
        starts_at=dt.datetime.combine(day, dt.time(9), tzinfo=NY),
        minutes=45,
        episode=episode,
    )


def test_the_visit_past_the_authorized_visits_is_refused_in_plain_words(
    desk: Any, episode: Any
) -> None:
    _book(desk, episode, PLAN_START)
    _book(desk, episode, PLAN_START + dt.timedelta(days=2))
    with pytest.raises(BookingRefused) as refused:
        _book(desk, episode, PLAN_START + dt.timedelta(days=4))
    assert refused.value.reasons == [
        "OT authorization AUTH-1: visit 3 of 2 authorized: the coverage's authorization allows "
        "2 visits and 2 are already booked or completed"
    ]


def test_a_cancelled_visit_gives_its_authorized_visit_back(desk: Any, episode: Any) -> None:
    first = _book(desk, episode, PLAN_START)
    _book(desk, episode, PLAN_START + dt.timedelta(days=2))
    Appointment.objects.filter(pk=first.pk).update(status="cancelled")
    assert _book(desk, episode, PLAN_START + dt.timedelta(days=4)).pk


def test_a_visit_after_the_authorized_dates_is_refused_naming_them(desk: Any, episode: Any) -> None:
    with pytest.raises(BookingRefused) as refused:
        _book(desk, episode, PLAN_START + dt.timedelta(days=23))
    assert refused.value.reasons == [
        "no OT authorization covers 06/24/2026 (AUTH-1 runs 06/01/2026 to 06/21/2026): ask the "
        "payer for an authorization for these dates before booking"
    ]


def test_a_pt_authorization_does_not_limit_ot_visits(desk: Any, episode: Any) -> None:
    Authorization.objects.filter(discipline="OT").update(discipline="PT")
    for n in range(3):
        _book(desk, episode, PLAN_START + dt.timedelta(days=2 * n))
    assert Appointment.objects.filter(episode=episode).count() == 3


def test_a_series_is_refused_whole_when_it_runs_past_the_authorization(
    desk: Any, episode: Any
) -> None:
    with pytest.raises(BookingRefused) as refused:
        services.appointments_book_series(
            user=desk,
            episode=episode,
            weekdays=[0, 2, 4],
            start_date=PLAN_START,
            time=dt.time(9),
            minutes=45,
        )
    assert any("visit 3 of 2 authorized" in reason for reason in refused.value.reasons)
    assert not Appointment.objects.filter(episode=episode).exists()


def test_the_booking_page_shows_the_refusal_next_to_the_episode(
    client: Client, desk: Any, episode: Any
) -> None:
    client.force_login(desk)
    day = PLAN_START + dt.timedelta(days=23)
    response = client.post(
        "/schedule/book/",
        {
            "patient": str(episode.patient_id),
            "episode": str(episode.pk),
            "clinician": str(episode.therapist_id),
            "clinic": str(episode.clinic_id),
            "day": day.isoformat(),
            "time": "09:00",
            "minutes": "45",
            "kind": "treatment",
        },
    )
    assert response.status_code == 422
    assert "no OT authorization covers 06/24/2026" in response.content.decode()
