"""Appointments over the API, signed in by a token: list a span, read, book with the booking
page's checks, cancel; another organization's ids are 404 and change nothing."""

import datetime as dt
import json
import uuid
from typing import Any

import pytest
from django.test import Client

from otclinic.clinic.scheduling.models import Appointment
from tests.clinic import factories as f
from tests.clinic.scheduling.conftest import PLAN_START, at, booked

pytestmark = pytest.mark.django_db

URL = "/api/v1/appointments/"


@pytest.fixture
def desk(front_desk: Any) -> dict[str, str]:
    return f.bearer(front_desk)


def _booking(episode: Any, starts_at: dt.datetime, **kw: Any) -> str:
    body = {
        "patient_id": str(episode.patient_id),
        "clinician_id": str(episode.therapist_id),
        "clinic_id": str(episode.clinic_id),
        "episode_id": str(episode.pk),
        "starts_at": starts_at.isoformat(),
        "minutes": 45,
    } | kw
    return json.dumps(body)


def test_the_list_shows_a_span_of_days_by_start(
    client: Client, plan_episode: Any, desk: dict[str, str]
) -> None:
    later = booked(plan_episode, at(PLAN_START, 14))
    earlier = booked(plan_episode, at(PLAN_START, 9))
    booked(plan_episode, at(PLAN_START + dt.timedelta(days=3), 9))
    response = client.get(URL, {"first": PLAN_START.isoformat()}, headers=desk)
    assert response.status_code == 200
    assert [row["id"] for row in response.json()] == [str(earlier.pk), str(later.pk)]
    span = {
        "first": PLAN_START.isoformat(),
        "last": (PLAN_START + dt.timedelta(days=3)).isoformat(),
    }
    assert len(client.get(URL, span, headers=desk).json()) == 3


def test_the_list_filters_by_clinician(
    client: Client, plan_episode: Any, desk: dict[str, str]
) -> None:
    booked(plan_episode, at(PLAN_START, 9))
    therapist_role = plan_episode.therapist.user.role
    other = f.staff_user(organization=plan_episode.organization, role=therapist_role).staff_profile
    day = {"first": PLAN_START.isoformat()}
    mine = client.get(URL, day | {"clinician_id": str(plan_episode.therapist_id)}, headers=desk)
    assert len(mine.json()) == 1
    theirs = client.get(URL, day | {"clinician_id": str(other.pk)}, headers=desk)
    assert theirs.json() == []


def test_a_span_too_long_or_backwards_is_422_on_last(client: Client, desk: dict[str, str]) -> None:
    for last in ("2026-05-31", "2026-08-01"):
        response = client.get(URL, {"first": "2026-06-01", "last": last}, headers=desk)
        assert response.status_code == 422
        assert list(response.json()["errors"]) == ["last"]


def test_booking_runs_the_schedules_checks(
    client: Client, plan_episode: Any, desk: dict[str, str], frozen: None
) -> None:
    response = client.post(
        URL,
        _booking(plan_episode, at(PLAN_START, 10)),
        content_type="application/json",
        headers=desk,
    )
    assert response.status_code == 201, response.content
    made = Appointment.objects.get(pk=response.json()["id"])
    assert made.episode == plan_episode and made.status == "scheduled"
    again = client.post(
        URL,
        _booking(plan_episode, at(PLAN_START, 10)),
        content_type="application/json",
        headers=desk,
    )
    assert again.status_code == 422
    assert "already booked" in json.dumps(again.json()["errors"])
    assert Appointment.objects.filter(patient=plan_episode.patient).count() == 1


def test_a_booking_past_the_certified_plan_is_refused(
    client: Client, plan_episode: Any, desk: dict[str, str], frozen: None
) -> None:
    late = at(PLAN_START + dt.timedelta(days=70), 10)
    response = client.post(
        URL, _booking(plan_episode, late), content_type="application/json", headers=desk
    )
    assert response.status_code == 422
    assert not Appointment.objects.filter(patient=plan_episode.patient).exists()


def test_a_read_token_cannot_book(
    client: Client, plan_episode: Any, front_desk: Any, frozen: None
) -> None:
    response = client.post(
        URL,
        _booking(plan_episode, at(PLAN_START, 10)),
        content_type="application/json",
        headers=f.bearer(front_desk, "read"),
    )
    assert response.status_code == 403
    assert not Appointment.objects.exists()


def test_cancel_needs_a_reason_and_cancels_once(
    client: Client, plan_episode: Any, desk: dict[str, str]
) -> None:
    visit = booked(plan_episode, at(PLAN_START, 9))
    url = f"{URL}{visit.pk}/cancel"
    blank = client.post(url, {"reason": " "}, content_type="application/json", headers=desk)
    assert blank.status_code == 422 and list(blank.json()["errors"]) == ["reason"]
    done = client.post(url, {"reason": "Sick"}, content_type="application/json", headers=desk)
    assert done.status_code == 200 and done.json()["status"] == "cancelled"
    twice = client.post(url, {"reason": "Sick"}, content_type="application/json", headers=desk)
    assert twice.status_code == 422 and list(twice.json()["errors"]) == ["status"]


def test_another_organizations_ids_are_404_and_change_nothing(
    client: Client, plan_episode: Any, desk: dict[str, str], frozen: None
) -> None:
    theirs = f.EpisodeFactory()
    visit = booked(theirs, at(PLAN_START, 9))
    assert client.get(f"{URL}{visit.pk}", headers=desk).status_code == 404
    cancel = client.post(
        f"{URL}{visit.pk}/cancel", {"reason": "x"}, content_type="application/json", headers=desk
    )
    assert cancel.status_code == 404
    visit.refresh_from_db()
    assert visit.status == "scheduled"
    listed = client.get(URL, {"clinician_id": str(theirs.therapist_id)}, headers=desk)
    assert listed.status_code == 404
    into_theirs = _booking(plan_episode, at(PLAN_START, 11), patient_id=str(theirs.patient_id))
    assert (
        client.post(URL, into_theirs, content_type="application/json", headers=desk).status_code
        == 404
    )
    their_clinic = _booking(plan_episode, at(PLAN_START, 11), clinic_id=str(theirs.clinic_id))
    refused = client.post(URL, their_clinic, content_type="application/json", headers=desk)
    assert refused.status_code == 422 and list(refused.json()["errors"]) == ["clinic_id"]
    assert not Appointment.objects.filter(patient=theirs.patient).exclude(pk=visit.pk).exists()
    assert client.get(f"{URL}{uuid.uuid4()}", headers=desk).status_code == 404
