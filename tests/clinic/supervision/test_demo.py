"""The demo clinic's supervision rows: a plan per OTA, contacts, one OTA overdue, added once."""

import datetime as dt

import pytest

from otclinic.clinic.accounts.models import User
from otclinic.clinic.demo.supervision import add_supervision
from otclinic.clinic.supervision.models import SupervisionContact, SupervisionPlan
from otclinic.clinic.supervision.selectors import dashboard_otas, dashboard_rows
from tests.clinic import factories as f
from tests.clinic.supervision.helpers import VETERAN, team

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 12)


def test_the_demo_supervision_is_added_once_with_the_demo_ots_supervisee_overdue() -> None:
    t = team(state="OH", practice_started_on=VETERAN)
    User.objects.filter(pk=t.ot.user_id).update(username="ot.demo")
    other_ot = f.StaffProfileFactory(user__organization=t.org, user__role="OT")
    second = f.StaffProfileFactory(
        user__organization=t.org,
        user__role="OTA",
        supervising_ot=other_ot,
        practice_started_on=VETERAN,
    )
    second.clinics.add(t.clinic)
    added = add_supervision(t.org.pk, TODAY)
    assert added >= 6
    assert SupervisionPlan.objects.filter(organization=t.org).count() == 2
    assert SupervisionContact.objects.filter(organization=t.org).count() == 4
    assert add_supervision(t.org.pk, TODAY) == 0
    otas, _ = dashboard_otas(user=t.admin, as_of=TODAY)
    rows = dashboard_rows(otas, as_of=TODAY)
    assert [r.status.overdue for r in rows] == [True, False]
    assert rows[0].ota == t.ota
    assert rows[1].status.contact is not None  # Ohio's monthly contact applies to both
