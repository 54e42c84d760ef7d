"""Shared setup of the schedule's page tests: a clinic in New York with a plan of care in June."""

import datetime as dt
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from tests.clinic import factories as f

NY = ZoneInfo("America/New_York")
PLAN_START = dt.date(2026, 6, 1)  # a Monday; 56 days certified: through 2026-07-26
BEFORE_THE_PLAN = dt.datetime(2026, 5, 25, 8, 0, tzinfo=NY)


def at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=NY)


def booked(episode: Any, starts_at: dt.datetime, **kw: Any) -> Any:
    """A 45-minute appointment of the episode's patient with its therapist (`kw` overrides)."""
    values = {
        "patient": episode.patient,
        "clinician": episode.therapist,
        "clinic": episode.clinic,
        "episode": episode,
        "starts_at": starts_at,
        "ends_at": starts_at + dt.timedelta(minutes=45),
    } | kw
    return f.AppointmentFactory(**values)


@pytest.fixture
def new_york(settings: Any) -> None:
    settings.TIME_ZONE = "America/New_York"


@pytest.fixture
def frozen() -> Iterator[None]:
    """A week before the plan starts, so its slots are still ahead of "now"."""
    with time_machine.travel(BEFORE_THE_PLAN, tick=False):
        yield


@pytest.fixture
def plan_episode(new_york: None) -> Any:
    patient = f.PatientFactory(last_name="Okafor")
    coverage = f.CoverageFactory(patient=patient, authorized_visits=30)
    episode = f.EpisodeFactory(patient=patient, coverage=coverage, started_on=PLAN_START)
    f.PlanOfCareFactory(
        episode=episode, status="active", frequency_per_week=3, duration_weeks=8, duration_days=56
    )
    return episode


@pytest.fixture
def front_desk(plan_episode: Any) -> Any:
    return f.staff_user(organization=plan_episode.organization, role="front_desk")


@pytest.fixture
def desk_client(client: Client, front_desk: Any) -> Client:
    client.force_login(front_desk)
    return client
