"""A clinician whose license or NBCOT certification has lapsed, or who holds no license for the
clinic's state, cannot be booked for treatment (issue 7)."""

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from otclinic.clinic.scheduling import services
from otclinic.clinic.scheduling.services import BookingRefused
from otclinic.clinic.staff.models import StaffProfile, StateLicense
from tests.clinic import factories as f

pytestmark = pytest.mark.django_db

NY = ZoneInfo("America/New_York")
DAY = dt.date(2026, 6, 1)


@pytest.fixture
def episode(settings: Any) -> Any:
    settings.TIME_ZONE = "America/New_York"
    patient = f.PatientFactory()
    episode = f.EpisodeFactory(patient=patient, coverage=f.CoverageFactory(patient=patient))
    f.PlanOfCareFactory(
        episode=episode, status="active", frequency_per_week=3, duration_weeks=8, duration_days=56
    )
    episode.started_on = DAY
    episode.save()
    episode.plans.update(established_on=DAY)
    return episode


def _book(episode: Any) -> Any:
    desk = f.staff_user(organization=episode.organization, role="front_desk")
    return services.appointment_book(
        user=desk,
        patient=episode.patient,
        clinician=episode.therapist,
        clinic=episode.clinic,
        starts_at=dt.datetime.combine(DAY, dt.time(9), tzinfo=NY),
        minutes=45,
        episode=episode,
    )


def _license(episode: Any, expires_on: dt.date) -> None:
    StateLicense.objects.create(
        organization=episode.organization,
        staff=episode.therapist,
        state=episode.clinic.state,
        number=f"OT.{expires_on:%Y%m%d}",
        expires_on=expires_on,
    )


def test_a_clinician_with_a_lapsed_license_cannot_be_booked(episode: Any) -> None:
    episode.therapist.licenses.all().delete()
    _license(episode, DAY - dt.timedelta(days=1))
    with pytest.raises(BookingRefused) as refused:
        _book(episode)
    state = episode.clinic.state
    assert f"no {state} license in force on 2026-06-01" in str(refused.value)
    _license(episode, DAY + dt.timedelta(days=365))
    assert _book(episode).clinician_id == episode.therapist.pk


def test_a_clinician_with_a_lapsed_nbcot_certification_cannot_be_booked(episode: Any) -> None:
    StaffProfile.objects.filter(pk=episode.therapist.pk).update(
        nbcot_expires_on=DAY - dt.timedelta(days=3)
    )
    episode.therapist.refresh_from_db()
    with pytest.raises(BookingRefused, match="NBCOT certification expired on 2026-05-29"):
        _book(episode)


def test_a_clinician_not_licensed_in_the_clinics_state_cannot_be_booked(episode: Any) -> None:
    from otclinic.clinic.scheduling.models import Appointment

    state = episode.clinic.state
    episode.therapist.licenses.filter(state=state).delete()
    StateLicense.objects.create(
        organization=episode.organization,
        staff=episode.therapist,
        state="IN" if state != "IN" else "KY",
        number="OT.ELSEWHERE",
        expires_on=DAY + dt.timedelta(days=365),
    )
    with pytest.raises(BookingRefused, match=f"not licensed in {state}"):
        _book(episode)
    assert not Appointment.objects.filter(clinician=episode.therapist).exists()
    _license(episode, DAY + dt.timedelta(days=365))
    assert _book(episode).clinician_id == episode.therapist.pk
