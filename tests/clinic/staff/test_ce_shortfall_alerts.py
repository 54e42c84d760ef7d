"""CE shortfall emails: 90 and 30 days before the renewal cycle ends, once per cycle and window."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from click.testing import CliRunner
from django.core import mail

from otclinic.clinic.staff import services_records as records
from otclinic.clinic.staff.models import CredentialAlert, StaffProfile, StateLicense
from otclinic.clinic.staff.services import ce_alert_window, ce_shortfall_alerts_send
from tests.clinic import factories as f
from tests.clinic.mail import emails_sent

pytestmark = pytest.mark.django_db


def _send(*, today: dt.date) -> list[CredentialAlert]:
    with emails_sent():
        return ce_shortfall_alerts_send(today=today)


CYCLE_ENDS = dt.date(2026, 6, 30)


def _before(days: int) -> dt.date:
    return CYCLE_ENDS - dt.timedelta(days=days)


def _clinic(*, earned: str = "8") -> tuple[StaffProfile, Any]:
    org = f.OrganizationFactory()
    f.ClinicFactory(organization=org, state="OH")
    admin = f.staff_user(organization=org, role="clinic_admin")
    admin.email = "admin@example.test"
    admin.save()
    ota = f.StaffProfileFactory(
        user__organization=org, user__role="OTA", user__email="ota@example.test"
    )
    StateLicense.objects.filter(staff=ota).delete()
    StateLicense.objects.create(
        organization=org, staff=ota, state="OH", number="OTA.9", expires_on=CYCLE_ENDS
    )
    records.ce_requirement_set(user=admin, counts_toward="OH", hours=Decimal("20"), cycle_months=24)
    records.ce_activity_add(
        user=admin,
        staff=ota,
        title="Hand therapy basics",
        provider="State association",
        completed_on=dt.date(2025, 9, 1),
        hours=Decimal(earned),
        counts_toward="OH",
    )
    return ota, admin


def test_a_short_clinician_is_emailed_at_90_and_30_days_only() -> None:
    _clinic()
    sent_on = {}
    for days in range(120, -5, -1):
        before = len(mail.outbox)
        _send(today=_before(days))
        if len(mail.outbox) > before:
            sent_on[days] = len(mail.outbox) - before
    assert sent_on == {90: 1, 30: 1}
    first = mail.outbox[0]
    assert sorted(first.to) == ["admin@example.test", "ota@example.test"]
    assert "12 hours still needed" in first.body
    assert "12 hours needed by 2026-06-30" in first.subject
    assert "2026-06-30" in first.subject and "2026-06-30" in first.body
    assert "Hand therapy" not in first.body  # no more than needed: no activity list
    windows = CredentialAlert.objects.filter(kind="ce").values_list("window_days", flat=True)
    assert sorted(windows) == [30, 90]


def test_running_twice_sends_nothing_twice() -> None:
    _clinic()
    assert len(_send(today=_before(45))) == 1
    assert _send(today=_before(45)) == []
    assert _send(today=_before(40)) == []
    assert len(mail.outbox) == 1
    assert "alert window 90 days" in mail.outbox[0].body


def test_enough_hours_sends_nothing() -> None:
    _clinic(earned="20")
    for days in (90, 30, 1):
        assert _send(today=_before(days)) == []
    assert mail.outbox == []


def test_a_renewed_cycle_is_alerted_again_in_its_own_windows() -> None:
    ota, _ = _clinic()
    _send(today=_before(30))
    renewed = CYCLE_ENDS + dt.timedelta(days=730)
    StateLicense.objects.create(
        organization=ota.organization, staff=ota, state="OH", number="OTA.10", expires_on=renewed
    )
    sent = _send(today=renewed - dt.timedelta(days=90))
    assert [a.expires_on for a in sent] == [renewed]
    assert len(mail.outbox) == 2


def test_two_clinicians_under_one_requirement_each_get_their_own_alert() -> None:
    ota, _ = _clinic()
    ot = f.StaffProfileFactory(
        user__organization=ota.organization, user__role="OT", user__email="ot@example.test"
    )
    StateLicense.objects.filter(staff=ot).delete()
    StateLicense.objects.create(
        organization=ota.organization, staff=ot, state="OH", number="OT.9", expires_on=CYCLE_ENDS
    )
    sent = _send(today=_before(60))
    assert sorted(a.staff_id for a in sent) == sorted([ota.pk, ot.pk])
    assert len({a.credential_id for a in sent}) == 1  # the same requirement row
    assert _send(today=_before(60)) == []


@pytest.mark.parametrize(
    ("days_left", "window"),
    [(120, None), (91, None), (90, 90), (31, 90), (30, 30), (0, 30), (-1, None)],
)
def test_the_window_a_day_falls_in(days_left: int, window: int | None) -> None:
    assert ce_alert_window(days_left=days_left, today=dt.date(2026, 5, 1)) == window


def test_the_command_sends_them_once() -> None:
    from otclinic.cli.staff import staff

    _clinic()
    with (
        time_machine.travel(dt.datetime(2026, 5, 1, 15, 0, tzinfo=dt.UTC), tick=False),
        emails_sent(),
    ):
        first = CliRunner().invoke(staff, ["alerts", "--today", _before(60).isoformat()])
        again = CliRunner().invoke(staff, ["alerts", "--today", _before(60).isoformat()])
    assert "1 continuing-education alert(s) sent" in first.output, first.output
    assert "0 continuing-education alert(s) sent" in again.output
    assert len([m for m in mail.outbox if "Continuing education" in m.subject]) == 1
