import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied

from otclinic.clinic.common.errors import NotFoundForUser
from otclinic.clinic.scheduling import services
from otclinic.clinic.scheduling.models import (
    Appointment,
    AppointmentStatus,
    ClinicHoliday,
    Room,
    WaitlistEntry,
)
from otclinic.clinic.scheduling.services import BookingRefused, CancelRefused
from tests.clinic import factories as f

pytestmark = pytest.mark.django_db

NY = ZoneInfo("America/New_York")
MON, WED, FRI = 0, 2, 4
PLAN_START = dt.date(2026, 6, 1)  # a Monday; 56 days certified: through 2026-07-26
HOLIDAY = dt.date(2026, 7, 3)


@pytest.fixture
def episode(settings: Any) -> Any:
    settings.TIME_ZONE = "America/New_York"
    patient = f.PatientFactory()
    coverage = f.CoverageFactory(patient=patient, authorized_visits=30)
    episode = f.EpisodeFactory(patient=patient, coverage=coverage, started_on=PLAN_START)
    f.PlanOfCareFactory(
        episode=episode, status="active", frequency_per_week=3, duration_weeks=8, duration_days=56
    )
    return episode


@pytest.fixture
def desk(episode: Any) -> Any:
    return f.staff_user(organization=episode.organization, role="front_desk")


def _at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=NY)


def _book(desk: Any, for_episode: Any, starts_at: dt.datetime, **kw: Any) -> Appointment:
    values = {
        "user": desk,
        "patient": for_episode.patient,
        "clinician": for_episode.therapist,
        "clinic": for_episode.clinic,
        "starts_at": starts_at,
        "minutes": 45,
        "episode": for_episode,
    } | kw
    return services.appointment_book(**values)


def _series(desk: Any, episode: Any, **kw: Any) -> list[Appointment]:
    values = {
        "user": desk,
        "episode": episode,
        "weekdays": [MON, WED, FRI],
        "start_date": PLAN_START,
        "time": dt.time(9, 0),
        "minutes": 45,
    } | kw
    return services.appointments_book_series(**values)


def test_a_series_follows_the_plan_and_skips_the_clinic_holiday(desk: Any, episode: Any) -> None:
    ClinicHoliday.objects.create(
        organization=episode.organization, clinic=episode.clinic, date=HOLIDAY, name="July 4th"
    )
    booked = _series(desk, episode)
    days = [a.starts_at.astimezone(NY).date() for a in booked]
    expected = [PLAN_START + dt.timedelta(weeks=w, days=d) for w in range(8) for d in (0, 2, 4)]
    expected.remove(HOLIDAY)
    assert days == expected
    assert len(days) == 23
    assert Appointment.objects.filter(episode=episode).count() == 23
    assert {a.starts_at.astimezone(NY).time() for a in booked} == {dt.time(9, 0)}


def test_an_organization_wide_holiday_is_skipped_too(desk: Any, episode: Any) -> None:
    ClinicHoliday.objects.create(organization=episode.organization, date=HOLIDAY, name="Closed")
    days = [a.starts_at.astimezone(NY).date() for a in _series(desk, episode)]
    assert HOLIDAY not in days and len(days) == 23


def test_the_daylight_saving_switch_does_not_move_a_series(desk: Any) -> None:
    patient = f.PatientFactory(organization=desk.organization)
    episode = f.EpisodeFactory(patient=patient, started_on=dt.date(2026, 10, 26))
    f.PlanOfCareFactory(episode=episode, status="active", frequency_per_week=1, duration_weeks=2)
    booked = _series(desk, episode, weekdays=[MON], start_date=dt.date(2026, 10, 26))
    assert [a.starts_at.astimezone(NY).hour for a in booked] == [9, 9]
    assert [a.starts_at.astimezone(dt.UTC).hour for a in booked] == [13, 14]  # EDT, then EST


def test_a_series_with_one_conflict_books_nothing_and_names_the_date(
    desk: Any, episode: Any
) -> None:
    other = f.PatientFactory(organization=episode.organization)
    f.AppointmentFactory(
        patient=other,
        clinician=episode.therapist,
        clinic=episode.clinic,
        starts_at=_at(dt.date(2026, 6, 10), 9, 15),
        ends_at=_at(dt.date(2026, 6, 10), 10, 0),
    )
    with pytest.raises(BookingRefused) as refused:
        _series(desk, episode)
    assert len(refused.value.reasons) == 1
    assert refused.value.reasons[0].startswith("2026-06-10: the clinician is already booked")
    assert Appointment.objects.filter(episode=episode).count() == 0


def test_a_series_beyond_the_authorization_books_nothing(desk: Any, episode: Any) -> None:
    episode.coverage.authorized_visits = 20
    episode.coverage.save()
    with pytest.raises(BookingRefused) as refused:
        _series(desk, episode)
    assert refused.value.reasons[0].startswith("2026-07-17: visit 21 of 20 authorized")
    assert len(refused.value.reasons) == 4
    assert not Appointment.objects.filter(episode=episode).exists()


def test_booking_over_the_same_clinician_names_the_clinician_and_time(
    desk: Any, episode: Any
) -> None:
    _book(desk, episode, _at(PLAN_START))
    other = f.PatientFactory(organization=episode.organization)
    with pytest.raises(BookingRefused) as refused:
        _book(desk, episode, _at(PLAN_START, 9, 30), patient=other, episode=None)
    assert refused.value.reasons == ["the clinician is already booked 2026-06-01 09:00-09:45"]


def test_booking_the_same_patient_twice_names_the_patient(desk: Any, episode: Any) -> None:
    _book(desk, episode, _at(PLAN_START))
    colleague = f.StaffProfileFactory(user__organization=episode.organization)
    with pytest.raises(BookingRefused) as refused:
        _book(desk, episode, _at(PLAN_START, 9, 15), clinician=colleague)
    assert refused.value.reasons == ["the patient is already booked 2026-06-01 09:00-09:45"]


def test_booking_a_taken_room_names_the_room(desk: Any, episode: Any) -> None:
    gym = Room.objects.create(organization=episode.organization, clinic=episode.clinic, name="Gym")
    _book(desk, episode, _at(PLAN_START), room=gym)
    other = f.PatientFactory(organization=episode.organization)
    colleague = f.StaffProfileFactory(user__organization=episode.organization)
    with pytest.raises(BookingRefused) as refused:
        _book(
            desk,
            episode,
            _at(PLAN_START, 9, 40),
            patient=other,
            clinician=colleague,
            episode=None,
            room=gym,
        )
    assert refused.value.reasons == ["the room is already booked 2026-06-01 09:00-09:45"]


def test_back_to_back_bookings_are_allowed(desk: Any, episode: Any) -> None:
    _book(desk, episode, _at(PLAN_START))
    second = _book(desk, episode, _at(PLAN_START, 9, 45))
    assert second.pk


def test_a_cancelled_visit_frees_its_slot(desk: Any, episode: Any) -> None:
    first = _book(desk, episode, _at(PLAN_START))
    services.appointment_cancel(user=desk, appointment=first, reason="patient ill")
    assert _book(desk, episode, _at(PLAN_START)).pk


def test_a_date_after_the_certification_is_refused(desk: Any, episode: Any) -> None:
    with pytest.raises(BookingRefused) as refused:
        _book(desk, episode, _at(dt.date(2026, 7, 27)))
    assert refused.value.reasons == [
        "2026-07-27 is after the plan of care's certification, which runs through 2026-07-26"
    ]
    assert _book(desk, episode, _at(dt.date(2026, 7, 24))).pk


def test_a_date_before_the_plan_is_refused(desk: Any, episode: Any) -> None:
    with pytest.raises(BookingRefused, match="before the plan of care starts on 2026-06-01"):
        _book(desk, episode, _at(dt.date(2026, 5, 29)))


def test_visit_13_of_12_authorized_is_refused(desk: Any, episode: Any) -> None:
    episode.coverage.authorized_visits = 12
    episode.coverage.save()
    for week in range(4):
        for day in (0, 2, 4):
            _book(desk, episode, _at(PLAN_START + dt.timedelta(weeks=week, days=day)))
    with pytest.raises(BookingRefused) as refused:
        _book(desk, episode, _at(dt.date(2026, 6, 29)))
    assert refused.value.reasons == [
        "visit 13 of 12 authorized: the coverage's authorization allows 12 visits "
        "and 12 are already booked or completed"
    ]
    assert Appointment.objects.filter(episode=episode).count() == 12


def test_completed_visits_count_against_the_authorization(desk: Any, episode: Any) -> None:
    episode.coverage.authorized_visits = 1
    episode.coverage.save()
    first = _book(desk, episode, _at(PLAN_START))
    Appointment.objects.filter(pk=first.pk).update(status=AppointmentStatus.COMPLETED)
    with pytest.raises(BookingRefused, match="visit 2 of 1 authorized"):
        _book(desk, episode, _at(dt.date(2026, 6, 3)))


def test_a_lapsed_credential_refuses_the_booking(
    desk: Any, episode: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[str, dt.date]] = []

    def lapsed(*, clinician: Any, state: str, day: dt.date) -> list[str]:
        seen.append((state, day))
        return ["OH license expired 2026-05-31"]

    monkeypatch.setattr(services, "clinician_credential_problems", lapsed)
    with pytest.raises(BookingRefused, match="OH license expired"):
        _book(desk, episode, _at(PLAN_START))
    assert seen == [("OH", PLAN_START)]


def test_a_biller_may_not_book(episode: Any) -> None:
    biller = f.staff_user(organization=episode.organization, role="biller")
    with pytest.raises(PermissionDenied):
        _book(biller, episode, _at(PLAN_START))


def test_another_organizations_patient_is_answered_like_a_missing_one(
    desk: Any, episode: Any
) -> None:
    stranger = f.PatientFactory()
    with pytest.raises(NotFoundForUser, match="no such patient"):
        _book(desk, episode, _at(PLAN_START), patient=stranger, episode=None)


def _wait(episode: Any, **kw: Any) -> WaitlistEntry:
    patient = f.PatientFactory(organization=episode.organization)
    return WaitlistEntry.objects.create(organization=episode.organization, patient=patient, **kw)


def test_cancelling_offers_the_waitlist_entries_that_fit_the_slot(desk: Any, episode: Any) -> None:
    visit = _book(desk, episode, _at(dt.date(2026, 6, 3)))  # a Wednesday at 9:00
    mornings = _wait(
        episode, preferred_weekdays=[WED], preferred_from=dt.time(8), preferred_until=dt.time(12)
    )
    anyone = _wait(episode, clinician=episode.therapist)
    _wait(episode, preferred_weekdays=[FRI])
    _wait(episode, preferred_from=dt.time(13))
    _wait(episode, clinician=f.StaffProfileFactory(user__organization=episode.organization))
    offers = services.appointment_cancel(user=desk, appointment=visit, reason="car trouble")
    assert offers == [mornings, anyone]
    visit.refresh_from_db()
    assert visit.status == AppointmentStatus.CANCELLED
    assert visit.cancel_reason == "car trouble"


def test_a_no_show_is_recorded_with_its_reason(desk: Any, episode: Any) -> None:
    visit = _book(desk, episode, _at(PLAN_START))
    services.appointment_cancel(user=desk, appointment=visit, reason="no call", no_show=True)
    visit.refresh_from_db()
    assert visit.status == AppointmentStatus.NO_SHOW


def test_a_cancellation_needs_a_reason_and_an_open_appointment(desk: Any, episode: Any) -> None:
    visit = _book(desk, episode, _at(PLAN_START))
    with pytest.raises(CancelRefused, match="needs a reason"):
        services.appointment_cancel(user=desk, appointment=visit, reason="  ")
    services.appointment_cancel(user=desk, appointment=visit, reason="ill")
    with pytest.raises(CancelRefused, match="already Cancelled"):
        services.appointment_cancel(user=desk, appointment=visit, reason="ill")


def test_a_clinician_whose_license_lapsed_cannot_be_booked(desk: Any, episode: Any) -> None:
    pytest.importorskip("otclinic.clinic.staff.credentials")
    from otclinic.clinic.staff.models import StateLicense

    therapist = episode.therapist
    therapist.licenses.all().delete()  # the factory's current license
    license_ = StateLicense.objects.create(
        organization=episode.organization,
        staff=therapist,
        state=episode.clinic.state,
        number="OT.012345",
        expires_on=PLAN_START - dt.timedelta(days=1),
    )
    therapist.nbcot_expires_on = dt.date(2027, 3, 31)
    therapist.save()
    with pytest.raises(BookingRefused) as refused:
        _book(desk, episode, _at(PLAN_START))
    assert any("2026-05-31" in reason for reason in refused.value.reasons), refused.value.reasons
    license_.expires_on = dt.date(2027, 10, 31)
    license_.save()
    assert _book(desk, episode, _at(PLAN_START)).pk
