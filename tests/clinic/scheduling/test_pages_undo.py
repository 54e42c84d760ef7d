"""Undoing a cancellation (while its time is ahead) or a no-show (on its own day)."""

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client

from otclinic.clinic.audit.models import AuditEvent
from otclinic.clinic.scheduling import services
from otclinic.clinic.scheduling.models import Appointment, AppointmentStatus, WaitlistEntry
from tests.clinic import factories as f
from tests.clinic.scheduling.conftest import NY, at

pytestmark = pytest.mark.django_db

WEDNESDAY = dt.date(2026, 6, 3)


@pytest.fixture
def visit(plan_episode: Any, front_desk: Any) -> Appointment:
    with time_machine.travel(dt.datetime(2026, 5, 25, 8, 0, tzinfo=NY), tick=False):
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


def _status(appointment: Appointment) -> str:
    appointment.refresh_from_db()
    return appointment.status


def test_a_cancellation_is_undone_twice_harmlessly_and_audited(
    desk_client: Client, visit: Appointment, frozen: None
) -> None:
    desk_client.post(_url(visit, "cancel/"), {"cancel-reason": "Illness"})
    assert _status(visit) == AppointmentStatus.CANCELLED
    page = desk_client.get(_url(visit)).content.decode()
    assert "Undo cancellation" in page
    changes = AuditEvent.objects.filter(action="update", object_id=str(visit.pk))
    before = changes.count()
    response = desk_client.post(_url(visit, "undo-cancel/"))
    assert response.status_code == 302
    assert _status(visit) == AppointmentStatus.SCHEDULED
    assert visit.cancel_reason == ""
    assert changes.count() == before + 1
    again = desk_client.post(_url(visit, "undo-cancel/"))
    assert again.status_code == 302
    assert _status(visit) == AppointmentStatus.SCHEDULED
    assert changes.count() == before + 1


def test_undoing_recomputes_the_progress_report_mark(
    desk_client: Client, visit: Appointment, frozen: None
) -> None:
    booked_mark = visit.progress_report_due
    desk_client.post(_url(visit, "cancel/"), {"cancel-reason": "Illness"})
    Appointment.objects.filter(pk=visit.pk).update(progress_report_due=not booked_mark)
    desk_client.post(_url(visit, "undo-cancel/"))
    visit.refresh_from_db()
    assert visit.progress_report_due is booked_mark


def test_a_cancellation_whose_time_has_passed_is_not_undone(
    desk_client: Client, visit: Appointment
) -> None:
    desk_client.post(_url(visit, "cancel/"), {"cancel-reason": "Illness"})  # real now: later
    assert "Undo cancellation" not in desk_client.get(_url(visit)).content.decode()
    response = desk_client.post(_url(visit, "undo-cancel/"))
    assert response.status_code == 422
    assert "only while the appointment&#x27;s time is ahead" in response.content.decode()
    assert _status(visit) == AppointmentStatus.CANCELLED


def test_a_slot_given_from_the_waitlist_is_not_taken_back(
    desk_client: Client, visit: Appointment, plan_episode: Any, frozen: None
) -> None:
    patient = f.PatientFactory(organization=plan_episode.organization, last_name="Brennan")
    entry = WaitlistEntry.objects.create(organization=plan_episode.organization, patient=patient)
    desk_client.post(_url(visit, "cancel/"), {"cancel-reason": "Illness"})
    desk_client.post(_url(visit, f"waitlist/{entry.pk}/book/"))
    response = desk_client.post(_url(visit, "undo-cancel/"))
    assert response.status_code == 422
    body = response.content.decode()
    assert f"the slot is now held by {patient}" in body
    assert "2026-06-03 09:00-09:45" in body
    assert _status(visit) == AppointmentStatus.CANCELLED


def test_an_undo_is_refused_for_a_lapsed_authorization(
    desk_client: Client, visit: Appointment, plan_episode: Any, frozen: None
) -> None:
    desk_client.post(_url(visit, "cancel/"), {"cancel-reason": "Illness"})
    coverage = plan_episode.coverage
    coverage.authorized_visits = 0
    coverage.save(update_fields=["authorized_visits"])
    response = desk_client.post(_url(visit, "undo-cancel/"))
    assert response.status_code == 422
    assert "Not undone" in response.content.decode()
    assert _status(visit) == AppointmentStatus.CANCELLED


def test_a_no_show_is_undone_on_its_day_only(desk_client: Client, visit: Appointment) -> None:
    with time_machine.travel(at(WEDNESDAY, 10), tick=False):
        desk_client.post(_url(visit, "no-show/"), {"no_show-reason": "No call, no show"})
        assert "Undo no-show" in desk_client.get(_url(visit)).content.decode()
        assert desk_client.post(_url(visit, "undo-cancel/")).status_code == 302
    assert _status(visit) == AppointmentStatus.SCHEDULED
    with time_machine.travel(at(WEDNESDAY, 10), tick=False):
        desk_client.post(_url(visit, "no-show/"), {"no_show-reason": "No call, no show"})
    with time_machine.travel(at(WEDNESDAY + dt.timedelta(days=1), 8), tick=False):
        response = desk_client.post(_url(visit, "undo-cancel/"))
    assert response.status_code == 422
    assert "only on the appointment&#x27;s own day" in response.content.decode()
    assert _status(visit) == AppointmentStatus.NO_SHOW


def test_a_scheduled_appointment_has_nothing_to_undo(
    desk_client: Client, visit: Appointment, frozen: None
) -> None:
    assert "Undo" not in desk_client.get(_url(visit)).content.decode()
    assert desk_client.post(_url(visit, "undo-cancel/")).status_code == 302
    assert _status(visit) == AppointmentStatus.SCHEDULED


def test_another_organizations_appointment_is_a_404(client: Client, visit: Appointment) -> None:
    Appointment.objects.filter(pk=visit.pk).update(status=AppointmentStatus.CANCELLED)
    client.force_login(f.staff_user(organization=f.OrganizationFactory(), role="front_desk"))
    assert client.post(_url(visit, "undo-cancel/")).status_code == 404
    assert _status(visit) == AppointmentStatus.CANCELLED
