import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from otclinic.clinic.scheduling import selectors
from otclinic.clinic.scheduling.models import AppointmentStatus, Room
from tests.clinic import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit() -> Any:
    start = (timezone.now() + dt.timedelta(days=2)).replace(microsecond=0)
    appointment = f.AppointmentFactory(starts_at=start, ends_at=start + dt.timedelta(minutes=45))
    appointment.room = Room.objects.create(
        organization=appointment.organization, clinic=appointment.clinic, name="Gym"
    )
    appointment.save()
    return appointment


def _url(clinician: Any) -> str:
    return f"/schedule/clinicians/{clinician.pk}/calendar.ics"


def _signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_feed_lists_the_clinicians_visits_without_patient_identity(visit: Any) -> None:
    desk = f.staff_user(organization=visit.organization, role="front_desk")
    response = _signed_in(desk).get(_url(visit.clinician))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    lines = body.split("\r\n")
    assert f"UID:{visit.pk}@otclinic" in lines
    start = visit.starts_at.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    assert f"DTSTART:{start}" in lines
    assert "SUMMARY:Patient visit (Treatment)" in lines
    assert f"LOCATION:{visit.clinic.name}\\, Gym" in lines
    for secret in (visit.patient.first_name, visit.patient.last_name, visit.patient.mrn):
        assert secret not in body


def test_a_cancelled_visit_stays_in_the_feed_as_cancelled(visit: Any) -> None:
    visit.status = AppointmentStatus.CANCELLED
    visit.save()
    body = _signed_in(visit.clinician.user).get(_url(visit.clinician)).content.decode()
    assert "STATUS:CANCELLED\r\n" in body


def test_another_organizations_clinician_is_not_found(visit: Any) -> None:
    outsider = f.staff_user(organization=f.OrganizationFactory(), role="clinic_admin")
    response = _signed_in(outsider).get(_url(visit.clinician))
    assert response.status_code == 404
    assert b"VCALENDAR" not in response.content


def test_a_calendar_app_reads_the_feed_with_its_token(visit: Any) -> None:
    token = selectors.calendar_token_for(clinician=visit.clinician)
    response = Client().get(_url(visit.clinician), {"token": token})
    assert response.status_code == 200
    assert f"UID:{visit.pk}@otclinic" in response.content.decode()


def test_a_wrong_token_is_not_found(visit: Any) -> None:
    assert Client().get(_url(visit.clinician), {"token": "0" * 64}).status_code == 404


def test_no_session_and_no_token_is_sent_to_sign_in(visit: Any) -> None:
    response = Client().get(_url(visit.clinician))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_one_clinicians_token_does_not_open_anothers_feed(visit: Any) -> None:
    colleague = f.StaffProfileFactory(user__organization=visit.organization)
    token = selectors.calendar_token_for(clinician=colleague)
    assert Client().get(_url(visit.clinician), {"token": token}).status_code == 404


def test_a_portal_user_is_not_let_in_by_their_session(visit: Any) -> None:
    access = f.PortalAccessFactory(patient=visit.patient)
    assert _signed_in(access.user).get(_url(visit.clinician)).status_code == 404
