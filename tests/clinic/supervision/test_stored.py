"""The dashboard reads each OTA's stored supervision status: what it shows changes with every
write to what the status reads, the day after, and never from an answer computed on old facts."""

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client

from otclinic.clinic.scheduling.models import Appointment, AppointmentStatus
from otclinic.clinic.supervision import stored
from otclinic.clinic.supervision.adapters import ota_facts
from otclinic.clinic.supervision.models import StoredSupervisionStatus, SupervisionContact
from otclinic.clinic.supervision.selectors import dashboard_otas, dashboard_rows, otas_for_user
from otclinic.domain.compliance.supervision_contacts import supervision_status
from otclinic.domain.compliance.supervision_facts import status_as_json, status_from_json
from tests.clinic import factories as f
from tests.clinic.supervision.helpers import TODAY, VETERAN, Team, contact_row, team

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 12, 15, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def _dashboard(client: Client, t: Team) -> str:
    client.force_login(t.admin)
    response = client.get("/supervision/")
    assert response.status_code == 200
    return str(response.content.decode())


def _completed(t: Team, *, day: int, minutes: int = 90, **kw: Any) -> Appointment:
    start = dt.datetime(2026, 3, day, 14, tzinfo=dt.UTC)
    values: dict[str, Any] = {"status": AppointmentStatus.COMPLETED, **kw}
    return f.AppointmentFactory(
        patient=f.PatientFactory(organization=t.org, home_clinic=t.clinic),
        clinician=t.ota,
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=minutes),
        **values,
    )


def test_a_contact_logged_or_removed_shows_on_the_dashboard_at_once(client: Client) -> None:
    t = team(state="OH")  # first year of practice in Ohio: a contact at least every 7 days
    contact_row(t, days_ago=8)
    assert "Overdue" in _dashboard(client, t)
    client.force_login(t.ot.user)
    contact = {
        "contact_on": TODAY.isoformat(),
        "method": "phone",
        "minutes": "20",
        "content": "Reviewed the caseload",
    }
    assert client.post(f"/supervision/ota/{t.ota.pk}/contacts/", contact).status_code == 302
    page = _dashboard(client, t)
    assert "Overdue" not in page
    assert "March 19, 2026" in page  # the day's contact + 7 days
    t.ota.supervision_contacts.get(contact_on=TODAY).delete()
    assert "Overdue" in _dashboard(client, t)


def test_appointments_change_the_hours_owed_at_once_however_they_are_written(
    client: Client,
) -> None:
    t = team(state="IL")  # Illinois: 5% of the month's hours as on-site supervision
    _completed(t, day=2)
    assert "0 of 5 min" in _dashboard(client, t)  # 5% of 1.5 h = 4.5 min, rounded up
    second = _completed(t, day=3, status=AppointmentStatus.SCHEDULED)
    assert "0 of 5 min" in _dashboard(client, t)  # booked, not yet done
    Appointment.objects.filter(pk=second.pk).update(status=AppointmentStatus.COMPLETED)
    assert "0 of 9 min" in _dashboard(client, t)  # 3 h
    second.status = AppointmentStatus.CANCELLED
    second.save(update_fields=["status", "updated_at"])
    assert "0 of 5 min" in _dashboard(client, t)


def test_an_appointment_moved_to_another_clinician_leaves_the_otas_hours(client: Client) -> None:
    t = team(state="IL")
    visit = _completed(t, day=2)
    assert "0 of 5 min" in _dashboard(client, t)
    visit.clinician = t.ot
    visit.save()
    page = _dashboard(client, t)
    assert "0 of 5 min" not in page and "0 of 0 min" in page


def test_work_in_another_state_brings_its_rules_at_once(client: Client) -> None:
    t = team(state="OH")
    contact_row(t, days_ago=1)
    assert "cannot be scheduled" not in _dashboard(client, t)
    new_york = f.ClinicFactory(organization=t.org, state="NY")
    t.ota.clinics.add(new_york)
    assert "cannot be scheduled" in _dashboard(client, t)  # New York asks for a written plan
    t.ota.clinics.remove(new_york)
    assert "cannot be scheduled" not in _dashboard(client, t)
    new_york.state = "OH"
    new_york.save()
    _completed(t, day=2, clinic=new_york)
    assert "cannot be scheduled" not in _dashboard(client, t)
    new_york.state = "NY"
    new_york.save()
    assert "cannot be scheduled" in _dashboard(client, t)


def test_the_practice_start_changes_the_tier_at_once(client: Client) -> None:
    t = team(state="OH")
    contact_row(t, days_ago=8)
    assert "Overdue" in _dashboard(client, t)
    t.ota.practice_started_on = VETERAN  # past the first year: a contact every 30 days
    t.ota.save()
    assert "Overdue" not in _dashboard(client, t)


@pytest.mark.parametrize("page", ["dashboard", "the OTA's home card"])
def test_the_stored_status_is_judged_again_the_next_day(client: Client, page: str) -> None:
    show = _dashboard if page == "dashboard" else _own_card
    t = team(state="OH")
    contact_row(t, days_ago=5)
    assert "Overdue" not in show(client, t)
    with time_machine.travel(NOW + dt.timedelta(days=3), tick=False):
        assert "Overdue" in show(client, t)


def test_an_answer_computed_while_a_write_commits_is_not_stored() -> None:
    t = team(state="OH")
    contact_row(t, days_ago=8)
    otas = otas_for_user(user=t.admin)
    stored.make_current(otas, as_of=TODAY)
    read_before = StoredSupervisionStatus.objects.get(ota=t.ota).facts_version
    contact_row(t, days_ago=0)  # commits while an answer from the older facts is computed
    stored._recompute({t.ota.pk: read_before}, as_of=TODAY)
    row = StoredSupervisionStatus.objects.get(ota=t.ota)
    assert row.computed_for is None and row.result is None
    stored.make_current(otas, as_of=TODAY)
    row.refresh_from_db()
    assert row.computed_for == TODAY and row.overdue is False


def test_a_stored_answer_of_other_rules_is_judged_again() -> None:
    t = team(state="OH")
    contact_row(t, days_ago=8)
    otas = otas_for_user(user=t.admin)
    stored.make_current(otas, as_of=TODAY)
    StoredSupervisionStatus.objects.filter(ota=t.ota).update(
        rules_version="older", overdue=False, result=None
    )
    stored.make_current(otas, as_of=TODAY)
    row = StoredSupervisionStatus.objects.get(ota=t.ota)
    assert row.rules_version == stored.rules_version() and row.overdue is True


def test_the_daily_refresh_stores_what_the_engine_answers_for_every_active_ota() -> None:
    t = team(state="OH")
    contact_row(t, days_ago=8)
    second = f.StaffProfileFactory(user__organization=t.org, user__role="OTA")
    second.clinics.add(t.clinic)
    gone = f.StaffProfileFactory(user__organization=t.org, user__role="OTA", active=False)
    assert stored.refresh_all(as_of=TODAY) == 2
    for ota in (t.ota, second):
        row = StoredSupervisionStatus.objects.get(ota=ota)
        live = supervision_status(ota_facts(ota, TODAY), as_of=TODAY)
        assert status_from_json(row.result) == live
        assert (row.overdue, row.next_due) == (live.overdue, live.next_due)
    assert not StoredSupervisionStatus.objects.filter(ota=gone, computed_for=TODAY).exists()


def test_the_stored_answer_reads_back_equal() -> None:
    t = team(state="IL")  # hours owed in Illinois, contacts in Ohio
    t.ota.clinics.add(f.ClinicFactory(organization=t.org, state="OH"))
    contact_row(t, days_ago=2, method="in_person", on_site_face_to_face=True)
    _completed(t, day=2)
    live = supervision_status(ota_facts(t.ota, TODAY), as_of=TODAY)
    assert live.hours is not None and live.contact is not None
    assert status_from_json(status_as_json(live)) == live


def test_overdue_otas_come_first_on_the_first_page(client: Client) -> None:
    t = team(state="OH", practice_started_on=VETERAN)
    contact_row(t, days_ago=40)  # past Ohio's 30 days
    t.ota.user.last_name = "Zywicki"
    t.ota.user.save()
    for _ in range(25):
        up_to_date = f.StaffProfileFactory(
            user__organization=t.org, user__role="OTA", practice_started_on=VETERAN
        )
        up_to_date.clinics.add(t.clinic)
        contact_row(t, ota=up_to_date, days_ago=1)
    page = _dashboard(client, t)
    assert "26 OTAs, overdue first; 1 to 25 shown." in page
    assert "Zywicki" in page and page.count("Overdue") == 1
    client.force_login(t.admin)
    second = client.get("/supervision/?page=2").content.decode()
    assert "Zywicki" not in second and "26 to 26 shown" in second


def test_a_write_between_judging_and_reading_the_page_is_judged_live() -> None:
    t = team(state="OH")
    contact_row(t, days_ago=8)
    otas, count = dashboard_otas(user=t.admin, as_of=TODAY)
    assert count == 1
    contact_row(t, days_ago=0)  # commits after the statuses were made current
    [row] = dashboard_rows(otas, as_of=TODAY)
    assert row.status == supervision_status(ota_facts(t.ota, TODAY), as_of=TODAY)
    assert row.status.overdue is False


def test_the_refresh_of_every_ota_judges_again_what_no_signal_saw() -> None:
    t = team(state="OH")
    contact_row(t, days_ago=8)
    assert stored.refresh_all(as_of=TODAY) == 1
    row = StoredSupervisionStatus.objects.get(ota=t.ota)
    assert row.overdue is True
    SupervisionContact.objects.bulk_create(  # sends no signal
        [SupervisionContact(**{**_contact_values(t), "contact_on": TODAY})]
    )
    stored.refresh_all(as_of=TODAY)
    row.refresh_from_db()
    assert row.overdue is True  # still the stored answer
    stored.refresh_all(as_of=TODAY, every=True)
    row.refresh_from_db()
    assert row.overdue is False


def _contact_values(t: Team) -> dict[str, Any]:
    return {
        "organization": t.org,
        "ota": t.ota,
        "supervisor": t.ot,
        "method": "phone",
        "minutes": 30,
        "content": "Reviewed caseload",
        "recorded_by": t.ot.user,
    }


def _own_card(client: Client, t: Team) -> str:
    client.force_login(t.ota.user)
    page = str(client.get("/").content.decode())
    assert "My supervision" in page
    return page


def test_the_otas_home_card_reads_the_stored_answer_and_changes_at_once(client: Client) -> None:
    t = team(state="OH")
    contact_row(t, days_ago=8)
    assert "Overdue" in _own_card(client, t)
    row = StoredSupervisionStatus.objects.get(ota=t.ota)
    live = supervision_status(ota_facts(t.ota, TODAY), as_of=TODAY)
    assert row.computed_for == TODAY and status_from_json(row.result) == live
    contact_row(t, days_ago=0)  # a write the card must show on the next view
    page = _own_card(client, t)
    assert "Overdue" not in page and "March 19, 2026" in page


def test_the_otas_home_card_shows_a_stored_answer_without_judging_again(client: Client) -> None:
    t = team(state="OH")
    contact_row(t, days_ago=8)
    stored.refresh_all(as_of=TODAY)
    live = supervision_status(ota_facts(t.ota, TODAY), as_of=TODAY)
    # A stored answer that differs from the live one shows that the card reads it.
    answer = dict(status_as_json(live))
    StoredSupervisionStatus.objects.filter(ota=t.ota).update(result=answer | {"contact": None})
    assert "Overdue" not in _own_card(client, t)
