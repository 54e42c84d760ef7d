"""An appointment at the desk: check-in, cancel or no-show with a reason, the waitlist's offer."""

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from otclinic.clinic.audit.models import AuditEvent
from otclinic.clinic.scheduling import services
from otclinic.clinic.scheduling.models import (
    Appointment,
    AppointmentStatus,
    Visit,
    WaitlistEntry,
    WaitlistStatus,
)
from tests.clinic import factories as f
from tests.clinic.scheduling.conftest import PLAN_START, at

pytestmark = pytest.mark.django_db

WEDNESDAY = dt.date(2026, 6, 3)


@pytest.fixture
def visit(plan_episode: Any, front_desk: Any) -> Appointment:
    return services.appointment_book(
        user=front_desk,
        patient=plan_episode.patient,
        clinician=plan_episode.therapist,
        clinic=plan_episode.clinic,
        episode=plan_episode,
        starts_at=at(WEDNESDAY, 9),
        minutes=45,
    )


def _url(appointment: Any, action: str = "") -> str:
    return f"/schedule/appointments/{appointment.pk}/{action}"


def _waiting(episode: Any, **kw: Any) -> WaitlistEntry:
    patient = f.PatientFactory(organization=episode.organization)
    return WaitlistEntry.objects.create(organization=episode.organization, patient=patient, **kw)


def test_the_appointment_page_is_audited_as_a_view_of_the_patient(
    desk_client: Client, visit: Appointment
) -> None:
    response = desk_client.get(_url(visit))
    assert response.status_code == 200
    assert AuditEvent.objects.filter(
        action="view", patient_id=visit.patient_id, detail__startswith="appointment scheduling:"
    ).exists()


def test_checking_in_opens_the_visit_once(desk_client: Client, visit: Appointment) -> None:
    assert desk_client.post(_url(visit, "check-in/")).status_code == 302
    assert desk_client.post(_url(visit, "check-in/")).status_code == 302
    visit.refresh_from_db()
    assert visit.status == AppointmentStatus.CHECKED_IN
    opened = Visit.objects.get(appointment=visit)
    assert opened.date_of_service == WEDNESDAY
    assert opened.episode_id == visit.episode_id


def test_a_cancelled_appointment_cannot_be_checked_in(
    desk_client: Client, visit: Appointment
) -> None:
    Appointment.objects.filter(pk=visit.pk).update(status=AppointmentStatus.CANCELLED)
    response = desk_client.post(_url(visit, "check-in/"))
    assert response.status_code == 422
    assert "only a scheduled one can be checked in" in response.content.decode()
    assert not Visit.objects.exists()


def test_cancelling_with_other_needs_words(desk_client: Client, visit: Appointment) -> None:
    response = desk_client.post(_url(visit, "cancel/"), {"cancel-reason": "Other"})
    assert response.status_code == 422
    assert response.context["cancel_form"].errors == {
        "detail": ["say why, when the reason is Other"]
    }
    visit.refresh_from_db()
    assert visit.status == AppointmentStatus.SCHEDULED


def test_a_cancellation_records_its_reason(desk_client: Client, visit: Appointment) -> None:
    response = desk_client.post(
        _url(visit, "cancel/"), {"cancel-reason": "Weather", "cancel-detail": "ice storm"}
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == AppointmentStatus.CANCELLED
    assert visit.cancel_reason == "Weather: ice storm"


def test_cancelling_twice_is_refused_the_second_time(
    desk_client: Client, visit: Appointment
) -> None:
    desk_client.post(_url(visit, "cancel/"), {"cancel-reason": "Illness"})
    response = desk_client.post(_url(visit, "cancel/"), {"cancel-reason": "Illness"})
    assert response.status_code == 422
    assert "already Cancelled" in response.content.decode()


def test_a_no_show_records_its_reason(desk_client: Client, visit: Appointment) -> None:
    response = desk_client.post(_url(visit, "no-show/"), {"no_show-reason": "No call, no show"})
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == AppointmentStatus.NO_SHOW
    assert visit.cancel_reason == "No call, no show"


def test_a_freed_slot_is_offered_and_booked_from_the_waitlist(
    desk_client: Client, visit: Appointment, plan_episode: Any, frozen: None
) -> None:
    mornings = _waiting(
        plan_episode,
        preferred_weekdays=[2],
        preferred_from=dt.time(8),
        preferred_until=dt.time(12),
    )
    fridays = _waiting(plan_episode, preferred_weekdays=[4])
    desk_client.post(_url(visit, "cancel/"), {"cancel-reason": "Patient cancelled"})
    page = desk_client.get(_url(visit))
    assert page.context["offers"] == [mornings]
    assert fridays.patient.last_name not in page.content.decode()
    response = desk_client.post(_url(visit, f"waitlist/{mornings.pk}/book/"))
    booked = Appointment.objects.get(patient=mornings.patient)
    assert response.status_code == 302
    assert response["Location"] == _url(booked)
    assert (booked.starts_at, booked.ends_at) == (visit.starts_at, visit.ends_at)
    assert booked.clinician_id == visit.clinician_id
    assert booked.status == AppointmentStatus.SCHEDULED
    mornings.refresh_from_db()
    assert mornings.status == WaitlistStatus.BOOKED
    assert desk_client.get(_url(visit)).context["offers"] == []


def test_booking_the_same_entry_twice_books_once(
    desk_client: Client, visit: Appointment, plan_episode: Any, frozen: None
) -> None:
    entry = _waiting(plan_episode)
    desk_client.post(_url(visit, "cancel/"), {"cancel-reason": "Illness"})
    desk_client.post(_url(visit, f"waitlist/{entry.pk}/book/"))
    response = desk_client.post(_url(visit, f"waitlist/{entry.pk}/book/"))
    assert response.status_code == 422
    assert "already Booked" in response.content.decode()
    assert Appointment.objects.filter(patient=entry.patient).count() == 1


def test_a_refused_waitlist_booking_leaves_the_entry_waiting(
    desk_client: Client, visit: Appointment, plan_episode: Any, frozen: None
) -> None:
    entry = _waiting(plan_episode)
    f.AppointmentFactory(  # the waiting patient is elsewhere at that time
        patient=entry.patient,
        starts_at=at(WEDNESDAY, 9, 15),
        ends_at=at(WEDNESDAY, 10),
    )
    desk_client.post(_url(visit, "cancel/"), {"cancel-reason": "Illness"})
    response = desk_client.post(_url(visit, f"waitlist/{entry.pk}/book/"))
    assert response.status_code == 422
    assert "the patient is already booked 2026-06-03 09:15-10:00" in response.content.decode()
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.WAITING


def test_an_open_appointment_is_not_a_freed_slot(
    desk_client: Client, visit: Appointment, plan_episode: Any, frozen: None
) -> None:
    entry = _waiting(plan_episode)
    response = desk_client.post(_url(visit, f"waitlist/{entry.pk}/book/"))
    assert response.status_code == 422
    assert not Appointment.objects.filter(patient=entry.patient).exists()


def test_a_past_slot_is_not_offered(
    desk_client: Client, visit: Appointment, plan_episode: Any
) -> None:
    _waiting(plan_episode)  # real "now" is after June 2026
    desk_client.post(_url(visit, "cancel/"), {"cancel-reason": "Illness"})
    assert desk_client.get(_url(visit)).context["offers"] == []


def test_the_desk_adds_and_withdraws_a_waitlist_entry(
    desk_client: Client, plan_episode: Any
) -> None:
    patient = f.PatientFactory(organization=plan_episode.organization, last_name="Lindqvist")
    response = desk_client.post(
        "/schedule/waitlist/",
        {
            "patient": patient.pk,
            "clinician": "",
            "weekdays": ["0", "2"],
            "preferred_from": "08:00",
            "preferred_until": "12:00",
        },
    )
    assert response.status_code == 302
    entry = WaitlistEntry.objects.get(patient=patient)
    assert entry.preferred_weekdays == [0, 2]
    assert entry.clinician is None
    page = desk_client.get("/schedule/waitlist/")
    assert page.context["entries"] == [(entry, "Mon, Wed, 08:00-12:00")]
    assert "<td>Mon, Wed, 08:00-12:00</td>" in page.content.decode()
    desk_client.post(f"/schedule/waitlist/{entry.pk}/withdraw/")
    desk_client.post(f"/schedule/waitlist/{entry.pk}/withdraw/")
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.WITHDRAWN
    assert desk_client.get("/schedule/waitlist/").context["entries"] == []


def test_a_waitlist_window_that_ends_before_it_starts_is_refused(
    desk_client: Client, plan_episode: Any
) -> None:
    response = desk_client.post(
        "/schedule/waitlist/",
        {"patient": plan_episode.patient.pk, "preferred_from": "12:00", "preferred_until": "09:00"},
    )
    assert response.status_code == 422
    assert response.context["form"].errors == {
        "preferred_until": ["must be later than the earliest start"]
    }
    assert not WaitlistEntry.objects.exists()


def test_another_organizations_appointment_is_a_404(desk_client: Client, plan_episode: Any) -> None:
    stranger = f.AppointmentFactory(starts_at=at(PLAN_START))
    for path in ("", "check-in/", "cancel/", "no-show/"):
        method = desk_client.get if not path else desk_client.post
        assert method(_url(stranger, path), {"cancel-reason": "Illness"}).status_code == 404
    stranger.refresh_from_db()
    assert stranger.status == AppointmentStatus.SCHEDULED


def test_a_biller_may_not_open_or_cancel_an_appointment(client: Client, visit: Appointment) -> None:
    # The schedule is not a biller's to see (scheduling.access): answered like a missing visit.
    client.force_login(f.staff_user(organization=visit.organization, role="biller"))
    assert client.get(_url(visit)).status_code == 404
    assert client.post(_url(visit, "cancel/"), {"cancel-reason": "Illness"}).status_code == 404
    visit.refresh_from_db()
    assert visit.status == AppointmentStatus.SCHEDULED
