"""Supervision writes: contacts, plans, supervisor assignment and timesheet hours."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.staff.models import StateLicense
from otclinic.clinic.supervision import services
from otclinic.clinic.supervision.adapters import hours_worked
from otclinic.clinic.supervision.models import MonthlyHours, SupervisionContact, SupervisionPlan
from otclinic.clinic.supervision.plans import plan_cosign_on
from otclinic.clinic.supervision.selectors import ota_status
from tests import clock
from tests.clinic import factories as f
from tests.clinic.supervision.helpers import TODAY, VETERAN, Team, contact_row, plan_row, team

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel(dt.datetime(2026, 3, 12, 15, tzinfo=dt.UTC), tick=False):
        yield


def _log(t: Team, **kw: Any) -> SupervisionContact:
    values: dict[str, Any] = {
        "user": t.ot.user,
        "ota": t.ota,
        "supervisor": t.ot,
        "contact_on": TODAY,
        "method": "in_person",
        "minutes": 45,
        "on_site_face_to_face": True,
        "patients": [],
        "content": "Observed a tub transfer session",
    }
    values.update(kw)
    return services.contact_log(**values)


def test_a_logged_contact_keeps_its_patients_and_logging_it_twice_keeps_one_row() -> None:
    t = team()
    patient = f.PatientFactory(organization=t.org, home_clinic=t.clinic)
    first = _log(t, patients=[patient])
    again = _log(t, patients=[patient])
    assert first.pk == again.pk
    assert list(first.patients.all()) == [patient]
    assert SupervisionContact.objects.filter(ota=t.ota).count() == 1


def test_bad_contact_input_names_each_field_and_writes_nothing() -> None:
    t = team()
    stranger = f.PatientFactory()
    with pytest.raises(ValidationFailed) as exc:
        _log(
            t,
            contact_on=TODAY + dt.timedelta(days=1),
            method="phone",
            on_site_face_to_face=True,
            patients=[stranger],
            content="  ",
        )
    assert set(exc.value.errors) == {"contact_on", "on_site_face_to_face", "patients", "content"}
    assert not SupervisionContact.objects.exists()


@pytest.mark.parametrize("who", ["ota", "other_ot", "biller"])
def test_only_the_supervising_ot_or_an_admin_logs_contacts(who: str) -> None:
    t = team()
    users = {
        "ota": t.ota.user,
        "other_ot": f.StaffProfileFactory(user__organization=t.org, user__role="OT").user,
        "biller": f.staff_user(organization=t.org, role="biller"),
    }
    with pytest.raises(PermissionDenied):
        _log(t, user=users[who])
    assert _log(t, user=t.admin).recorded_by == t.admin


def test_the_ohio_first_year_ota_is_overdue_eight_days_after_the_last_contact() -> None:
    t = team(state="OH")
    contact_row(t, days_ago=8)
    status = ota_status(ota=t.ota, as_of=TODAY)
    assert status.contact is not None and status.contact.overdue
    assert status.contact.rule_id == "supervision.oh.contact"
    _log(t)
    assert not ota_status(ota=t.ota, as_of=TODAY).overdue


def _plan(t: Team, **kw: Any) -> SupervisionPlan:
    values: dict[str, Any] = {
        "user": t.ot.user,
        "ota": t.ota,
        "supervising_ot": t.ot,
        "contact_every_days": 14,
        "by_in_person": True,
        "by_phone": True,
        "by_video": False,
        "notes_cosigned": False,
        "effective_from": TODAY,
    }
    values.update(kw)
    return services.plan_record(**values)


def test_a_new_plan_ends_the_open_one_and_the_profile_follows_it() -> None:
    t = team(state="NY")
    old = plan_row(t, effective_from=TODAY - dt.timedelta(days=90), notes_cosigned=True)
    new = _plan(t)
    old.refresh_from_db()
    t.ota.refresh_from_db()
    assert old.effective_to == TODAY - dt.timedelta(days=1)
    assert new.effective_to is None
    assert t.ota.supervision_plan_cosign is False
    assert plan_cosign_on(ota=t.ota, day=TODAY - dt.timedelta(days=5)) is True
    assert plan_cosign_on(ota=t.ota, day=TODAY) is False
    assert _plan(t).pk == new.pk  # the same plan twice: one row


def test_a_plan_without_a_kind_of_contact_or_with_a_pt_is_refused_naming_the_fields() -> None:
    t = team()
    pt = f.StaffProfileFactory(user__organization=t.org, user__role="PT")
    with pytest.raises(ValidationFailed) as exc:
        _plan(t, supervising_ot=pt, by_in_person=False, by_phone=False)
    assert set(exc.value.errors) == {"supervising_ot", "by_in_person"}
    assert "must be an occupational therapist" in exc.value.errors["supervising_ot"][0]
    assert not SupervisionPlan.objects.exists()


def test_a_plan_with_no_known_plans_reads_the_legacy_profile_field() -> None:
    t = team(state="NY")
    assert plan_cosign_on(ota=t.ota, day=TODAY) is None
    t.ota.supervision_plan_cosign = False
    assert plan_cosign_on(ota=t.ota, day=TODAY) is False


@pytest.mark.parametrize(
    ("case", "make", "message"),
    [
        (
            "an OTA",
            lambda t: f.StaffProfileFactory(user__organization=t.org, user__role="OTA"),
            "must be an occupational therapist",
        ),
        (
            "an OT licensed only elsewhere",
            lambda t: f.StaffProfileFactory(
                user__organization=t.org, user__role="OT", licensed=False
            ),
            "OH license",
        ),
        (
            "an OT with a lapsed license",
            lambda t: _lapsed_ot(t),
            "2026-01-31",
        ),
        (
            "an OT of another practice",
            lambda t: f.StaffProfileFactory(user__role="OT"),
            "of this practice",
        ),
    ],
)
def test_assigning_a_supervisor_is_refused_with_the_reason(
    case: str, make: Any, message: str
) -> None:
    t = team(state="OH")
    with pytest.raises(ValidationFailed) as exc:
        services.supervisor_assign(user=t.admin, ota=t.ota, supervisor=make(t))
    assert message in " ".join(exc.value.errors["supervising_ot"]), case
    t.ota.refresh_from_db()
    assert t.ota.supervising_ot == t.ot


def _lapsed_ot(t: Team) -> Any:
    ot = f.StaffProfileFactory(user__organization=t.org, user__role="OT", licensed=False)
    StateLicense.objects.create(
        organization=t.org, staff=ot, state="OH", number="L-1", expires_on=dt.date(2026, 1, 31)
    )
    return ot


def test_a_licensed_ot_is_assigned_and_only_an_admin_may_assign() -> None:
    t = team(state="OH")
    other = f.StaffProfileFactory(
        user__organization=t.org, user__role="OT", practice_started_on=VETERAN
    )
    with pytest.raises(PermissionDenied):
        services.supervisor_assign(user=t.ot.user, ota=t.ota, supervisor=other)
    services.supervisor_assign(user=t.admin, ota=t.ota, supervisor=other)
    t.ota.refresh_from_db()
    assert t.ota.supervising_ot == other


def test_hours_come_from_completed_appointments_unless_a_timesheet_overrides() -> None:
    t = team(state="IL")
    patient = f.PatientFactory(organization=t.org, home_clinic=t.clinic)
    start = dt.datetime(2026, 3, 2, 14, tzinfo=dt.UTC)
    for day, status in [(0, "completed"), (1, "completed"), (2, "cancelled")]:
        f.AppointmentFactory(
            patient=patient,
            clinician=t.ota,
            status=status,
            starts_at=start + dt.timedelta(days=day),
            ends_at=start + dt.timedelta(days=day, minutes=90),
        )
    march = dt.date(2026, 3, 1)
    assert hours_worked(t.ota, march) == (Decimal("3.00"), False)
    row = services.hours_record(user=t.admin, ota=t.ota, month=TODAY, hours=Decimal("160"))
    assert row.month == march
    assert hours_worked(t.ota, march) == (Decimal("160"), True)
    services.hours_record(user=t.admin, ota=t.ota, month=march, hours=Decimal("150"))
    assert MonthlyHours.objects.get(ota=t.ota).hours == Decimal("150")
    with pytest.raises(PermissionDenied):
        services.hours_record(user=t.ot.user, ota=t.ota, month=march, hours=Decimal("1"))


def test_an_appointment_counts_in_the_local_month_it_starts_in() -> None:
    # 22:00 on the last day of February in the clinic's time zone is already March in UTC; it
    # is February's. Likewise 00:30 on the 1st of March local time is March's.
    t = team(state="IL")
    patient = f.PatientFactory(organization=t.org, home_clinic=t.clinic)
    zone = clock.clinic_time_zone()
    late_february = dt.datetime(2026, 2, 28, 22, tzinfo=zone)
    early_march = dt.datetime(2026, 3, 1, 0, 30, tzinfo=zone)
    for starts_at, minutes in [(late_february, 60), (early_march, 120)]:
        f.AppointmentFactory(
            patient=patient,
            clinician=t.ota,
            status="completed",
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(minutes=minutes),
        )
    assert hours_worked(t.ota, dt.date(2026, 2, 1)) == (Decimal("1.00"), False)
    assert hours_worked(t.ota, dt.date(2026, 3, 1)) == (Decimal("2.00"), False)


def test_illinois_160_hours_owe_eight_hours_on_site_this_month() -> None:
    t = team(state="IL")
    services.hours_record(user=t.admin, ota=t.ota, month=TODAY, hours=Decimal("160"))
    plan_row(t, setting_started_on=dt.date(2025, 9, 1))
    contact_row(t, days_ago=2, method="in_person", on_site_face_to_face=True, minutes=120)
    contact_row(t, days_ago=3, method="phone", minutes=60, content="Call")
    hours = ota_status(ota=t.ota, as_of=TODAY).hours
    assert hours is not None
    assert (hours.required_minutes, hours.logged_minutes, hours.short_minutes) == (480, 120, 360)
