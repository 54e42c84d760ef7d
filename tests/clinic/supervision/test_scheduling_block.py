"""New York (8 NYCRR 76.8): an OTA with no written supervision plan in force cannot be scheduled."""

import datetime as dt
from typing import Any

import pytest
import time_machine

from otclinic.clinic.common.hooks import HookMissing
from otclinic.clinic.scheduling import services as scheduling
from otclinic.clinic.scheduling.hooks import supervision_booking_problems
from otclinic.clinic.scheduling.models import Appointment
from otclinic.clinic.scheduling.services import BookingRefused
from otclinic.clinic.supervision.gate import booking_problems
from tests.clinic import factories as f
from tests.clinic.supervision.helpers import TODAY, Team, plan_row, team

pytestmark = pytest.mark.django_db
SLOT = dt.datetime(2026, 3, 16, 14, tzinfo=dt.UTC)  # the Monday after TODAY


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel(dt.datetime(2026, 3, 12, 15, tzinfo=dt.UTC), tick=False):
        yield


def _book(t: Team, clinician: Any) -> Appointment:
    patient = f.PatientFactory(organization=t.org, home_clinic=t.clinic)
    desk = f.staff_user(organization=t.org, role="front_desk")
    return scheduling.appointment_book(
        user=desk, patient=patient, clinician=clinician, clinic=t.clinic, starts_at=SLOT, minutes=45
    )


def test_a_new_york_ota_without_a_written_plan_is_refused_with_the_reason() -> None:
    t = team(state="NY")
    with pytest.raises(BookingRefused) as refused:
        _book(t, t.ota)
    reason = " ".join(refused.value.reasons)
    assert "written supervision plan" in reason and "cannot be scheduled" in reason
    assert "8 NYCRR 76.8" in reason
    assert not Appointment.objects.exists()


def test_a_new_york_ota_with_a_plan_in_force_is_booked() -> None:
    t = team(state="NY")
    plan_row(t)
    assert _book(t, t.ota).clinician == t.ota


def test_a_plan_that_ended_before_the_visit_does_not_count() -> None:
    t = team(state="NY")
    plan_row(t, effective_to=TODAY)
    with pytest.raises(BookingRefused, match="written supervision plan"):
        _book(t, t.ota)


@pytest.mark.parametrize(("state", "role"), [("OH", "OTA"), ("NY", "OT")])
def test_no_plan_is_needed_outside_new_york_or_for_an_ot(state: str, role: str) -> None:
    t = team(state=state)
    clinician = t.ota if role == "OTA" else t.ot
    assert _book(t, clinician).pk


def test_booking_asks_the_supervision_gate_through_the_hook_supervision_registers() -> None:
    assert supervision_booking_problems.answer is booking_problems


def test_without_the_supervision_gate_booking_fails_loudly_instead_of_skipping_the_rule(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    t = team(state="OH")  # a state whose rules would let the OTA be booked
    monkeypatch.setattr(supervision_booking_problems, "_answer", None)
    with pytest.raises(HookMissing, match="supervision"):
        _book(t, t.ota)
    assert not Appointment.objects.exists()
