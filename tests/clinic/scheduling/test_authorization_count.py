"""Visit 13 of 12 authorized is refused whether or not the bookings name an episode."""

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from otclinic.clinic.scheduling import selectors, services
from otclinic.clinic.scheduling.models import Appointment, AppointmentStatus
from otclinic.clinic.scheduling.services import BookingRefused
from tests.clinic import factories as f

pytestmark = pytest.mark.django_db

NY = ZoneInfo("America/New_York")
PLAN_START = dt.date(2026, 6, 1)  # a Monday
REFUSAL = (
    "visit 13 of 12 authorized: the coverage's authorization allows 12 visits "
    "and 12 are already booked or completed"
)


@pytest.fixture
def episode(settings: Any) -> Any:
    settings.TIME_ZONE = "America/New_York"
    patient = f.PatientFactory()
    coverage = f.CoverageFactory(
        patient=patient, authorized_visits=12, starts_on=dt.date(2026, 1, 1)
    )
    episode = f.EpisodeFactory(patient=patient, coverage=coverage, started_on=PLAN_START)
    f.PlanOfCareFactory(
        episode=episode, status="active", frequency_per_week=3, duration_weeks=8, duration_days=56
    )
    return episode


@pytest.fixture
def desk(episode: Any) -> Any:
    return f.staff_user(organization=episode.organization, role="front_desk")


def _day(n: int) -> dt.date:
    """The nth session day (0-based) on Mondays, Wednesdays and Fridays from the plan's start."""
    week, index = divmod(n, 3)
    return PLAN_START + dt.timedelta(weeks=week, days=(0, 2, 4)[index])


def _book(desk: Any, episode: Any, day: dt.date, *, with_episode: bool) -> Appointment:
    return services.appointment_book(
        user=desk,
        patient=episode.patient,
        clinician=episode.therapist,
        clinic=episode.clinic,
        starts_at=dt.datetime.combine(day, dt.time(9), tzinfo=NY),
        minutes=45,
        episode=episode if with_episode else None,
    )


@pytest.mark.parametrize(
    ("first_twelve_with_episode", "thirteenth_with_episode"),
    [(False, False), (True, False), (False, True), (True, True)],
)
def test_visit_13_of_12_is_refused_with_or_without_an_episode(
    desk: Any, episode: Any, first_twelve_with_episode: bool, thirteenth_with_episode: bool
) -> None:
    for n in range(12):
        with_episode = first_twelve_with_episode if n % 2 else True
        _book(desk, episode, _day(n), with_episode=with_episode)
    with pytest.raises(BookingRefused) as refused:
        _book(desk, episode, _day(12), with_episode=thirteenth_with_episode)
    assert refused.value.reasons == [REFUSAL]
    assert Appointment.objects.filter(patient=episode.patient).count() == 12


def test_twelve_bookings_without_an_episode_use_up_the_authorization(
    desk: Any, episode: Any
) -> None:
    for n in range(12):
        _book(desk, episode, _day(n), with_episode=False)
    assert selectors.visits_used_on_coverage(coverage=episode.coverage) == 12
    with pytest.raises(BookingRefused, match="visit 13 of 12 authorized"):
        _book(desk, episode, _day(12), with_episode=False)


def test_a_cancelled_booking_without_an_episode_frees_its_visit(desk: Any, episode: Any) -> None:
    booked = [_book(desk, episode, _day(n), with_episode=False) for n in range(12)]
    services.appointment_cancel(user=desk, appointment=booked[0], reason="patient ill")
    assert _book(desk, episode, _day(12), with_episode=False).pk


def test_bookings_outside_the_coverage_dates_do_not_count(desk: Any, episode: Any) -> None:
    coverage = episode.coverage
    earlier = dt.datetime(2025, 12, 31, 23, 30, tzinfo=NY)  # the evening before it starts
    f.AppointmentFactory(
        patient=episode.patient,
        clinician=episode.therapist,
        clinic=episode.clinic,
        starts_at=earlier,
        ends_at=earlier + dt.timedelta(minutes=20),
    )
    assert selectors.visits_used_on_coverage(coverage=coverage) == 0
    coverage.ends_on = dt.date(2026, 6, 30)
    coverage.save()
    later = dt.datetime(2026, 7, 1, 0, 15, tzinfo=NY)
    f.AppointmentFactory(
        patient=episode.patient,
        clinician=episode.therapist,
        clinic=episode.clinic,
        starts_at=later,
        ends_at=later + dt.timedelta(minutes=20),
        status=AppointmentStatus.COMPLETED,
    )
    assert selectors.visits_used_on_coverage(coverage=coverage) == 0
    inside = dt.datetime(2026, 6, 30, 23, 0, tzinfo=NY)
    f.AppointmentFactory(
        patient=episode.patient,
        clinician=episode.therapist,
        clinic=episode.clinic,
        starts_at=inside,
        ends_at=inside + dt.timedelta(minutes=20),
    )
    assert selectors.visits_used_on_coverage(coverage=coverage) == 1


def test_a_secondary_coverage_does_not_count_bookings_without_an_episode(
    desk: Any, episode: Any
) -> None:
    secondary = f.CoverageFactory(
        patient=episode.patient, priority="secondary", starts_on=dt.date(2026, 1, 1)
    )
    _book(desk, episode, _day(0), with_episode=False)
    assert selectors.visits_used_on_coverage(coverage=secondary) == 0
    assert selectors.visits_used_on_coverage(coverage=episode.coverage) == 1


def test_another_patients_bookings_do_not_count(desk: Any, episode: Any) -> None:
    other = f.PatientFactory(organization=episode.organization)
    f.CoverageFactory(patient=other, payer=episode.coverage.payer, starts_on=dt.date(2026, 1, 1))
    start = dt.datetime.combine(_day(0), dt.time(11), tzinfo=NY)
    f.AppointmentFactory(
        patient=other,
        clinician=episode.therapist,
        clinic=episode.clinic,
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=45),
    )
    assert selectors.visits_used_on_coverage(coverage=episode.coverage) == 0
