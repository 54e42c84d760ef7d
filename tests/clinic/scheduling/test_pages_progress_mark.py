"""The calendar and the appointment page show the progress-report mark in words, as home does."""

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from otclinic.clinic.scheduling.models import Appointment
from tests.clinic import factories as f
from tests.clinic.scheduling.conftest import PLAN_START, at, booked

pytestmark = pytest.mark.django_db
MARK = "Progress report due"


def _block(page: str, appointment: Appointment) -> str:
    """The calendar block that links to `appointment`'s page."""
    href = reverse("scheduling:appointment", args=[appointment.pk])
    found = re.search(rf'<a class="appt[^"]*" href="{href}">(.*?)</a>', page, re.S)
    assert found, f"no block for {appointment.pk}"
    return found.group(1)


@pytest.fixture
def visits(plan_episode: Any) -> tuple[Appointment, Appointment]:
    marked = booked(plan_episode, at(PLAN_START, 9), progress_report_due=True)
    plain = booked(plan_episode, at(PLAN_START, 10))
    return marked, plain


@pytest.mark.parametrize("path", ["/schedule/?day=2026-06-01", "/schedule/week/?day=2026-06-01"])
def test_the_calendar_block_of_a_progress_report_visit_says_so_in_words(
    desk_client: Client, visits: tuple[Appointment, Appointment], path: str
) -> None:
    marked, plain = visits
    page = desk_client.get(path).content.decode()
    assert MARK in _block(page, marked)
    assert MARK not in _block(page, plain)


def test_the_appointment_page_shows_the_mark_only_on_the_progress_report_visit(
    desk_client: Client, visits: tuple[Appointment, Appointment]
) -> None:
    marked, plain = visits
    shown = desk_client.get(reverse("scheduling:appointment", args=[marked.pk]))
    assert shown.status_code == 200
    facts = re.search(r"<dt>Progress report</dt>\s*<dd>(.*?)</dd>", shown.content.decode(), re.S)
    assert facts and MARK in facts.group(1)
    plain_page = desk_client.get(reverse("scheduling:appointment", args=[plain.pk])).content
    assert MARK not in plain_page.decode()


def test_an_assistants_progress_report_visit_says_the_therapist_writes_it(
    desk_client: Client, plan_episode: Any
) -> None:
    ota = f.StaffProfileFactory(user__organization=plan_episode.organization, user__role="OTA")
    visit = booked(plan_episode, at(PLAN_START, 9), clinician=ota, progress_report_due=True)
    page = desk_client.get(reverse("scheduling:appointment", args=[visit.pk])).content.decode()
    assert MARK in page and "the therapist writes it" in page
