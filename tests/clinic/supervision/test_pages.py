"""The supervision pages: who sees which OTA, the contact form's bad input, the dashboard's columns."""

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client

from otclinic.clinic.supervision.models import SupervisionContact, SupervisionPlan
from tests.clinic import factories as f
from tests.clinic.supervision.helpers import TODAY, contact_row, team

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel(dt.datetime(2026, 3, 12, 15, tzinfo=dt.UTC), tick=False):
        yield


def test_the_supervisor_sees_their_overdue_ota_with_the_winning_rule(client: Client) -> None:
    t = team(state="OH")
    contact_row(t, days_ago=8)
    someone_elses = f.StaffProfileFactory(user__organization=t.org, user__role="OTA")
    client.force_login(t.ot.user)
    page = client.get("/supervision/").content.decode()
    assert str(t.ota) in page
    assert str(someone_elses) not in page
    assert "Overdue" in page
    assert "supervision.oh.contact" in page and "OAC 4755-7-04" in page
    assert f"/supervision/ota/{t.ota.pk}/#log-contact" in page


def test_the_admin_sees_every_ota_and_the_ota_only_themselves(client: Client) -> None:
    t = team()
    other = f.StaffProfileFactory(user__organization=t.org, user__role="OTA")
    client.force_login(t.admin)
    page = client.get("/supervision/").content.decode()
    assert str(t.ota) in page and str(other) in page
    client.force_login(t.ota.user)
    page = client.get("/supervision/").content.decode()
    assert str(t.ota) in page and str(other) not in page
    assert client.get(f"/supervision/ota/{t.ota.pk}/").status_code == 200


def test_an_ota_cannot_open_another_otas_supervision(client: Client) -> None:
    t = team()
    other = f.StaffProfileFactory(user__organization=t.org, user__role="OTA", supervising_ot=t.ot)
    client.force_login(t.ota.user)
    assert client.get(f"/supervision/ota/{other.pk}/").status_code == 403
    response = client.post(f"/supervision/ota/{other.pk}/contacts/", {"content": "x"})
    assert response.status_code == 403


def test_an_ot_who_does_not_supervise_the_ota_is_refused(client: Client) -> None:
    t = team()
    client.force_login(f.StaffProfileFactory(user__organization=t.org, user__role="OT").user)
    assert client.get(f"/supervision/ota/{t.ota.pk}/").status_code == 403
    assert str(t.ota) not in client.get("/supervision/").content.decode()


def test_another_organizations_ota_is_404(client: Client) -> None:
    t = team()
    stranger = team()
    client.force_login(t.admin)
    assert client.get(f"/supervision/ota/{stranger.ota.pk}/").status_code == 404


@pytest.mark.parametrize("role", ["biller", "front_desk", "PT"])
def test_other_staff_roles_are_refused(client: Client, role: str) -> None:
    t = team()
    client.force_login(f.staff_user(organization=t.org, role=role))
    assert client.get("/supervision/").status_code == 403


def test_a_portal_user_never_reaches_the_supervision_pages(client: Client) -> None:
    t = team()
    access = f.PortalAccessFactory(patient__organization=t.org, patient__home_clinic=t.clinic)
    client.force_login(access.user)
    assert client.get("/supervision/").status_code in {302, 403}
    assert client.get(f"/supervision/ota/{t.ota.pk}/").status_code in {302, 403, 404}


def test_bad_contact_input_re_renders_the_form_with_422_naming_each_field(client: Client) -> None:
    t = team()
    client.force_login(t.ot.user)
    url = f"/supervision/ota/{t.ota.pk}/contacts/"
    data = {
        "contact_on": (TODAY + dt.timedelta(days=2)).isoformat(),
        "method": "phone",
        "minutes": "0",
        "on_site_face_to_face": "on",
        "content": "",
    }
    response = client.post(url, data)
    body = response.content.decode()
    assert response.status_code == 422
    assert "Minutes:" in body and "Content:" in body
    data["minutes"], data["content"] = "30", "Discussed a home program"
    response = client.post(url, data)
    body = response.content.decode()
    assert response.status_code == 422
    assert "Date: The date cannot be in the future" in body
    assert "On-site, face to face: Only an in-person contact" in body
    assert not SupervisionContact.objects.exists()


def test_the_htmx_contact_form_answers_its_partial(client: Client) -> None:
    t = team()
    client.force_login(t.ot.user)
    url = f"/supervision/ota/{t.ota.pk}/contacts/"
    response = client.post(url, {"method": "fax"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    body = response.content.decode()
    assert body.lstrip().startswith("<form") and "<html" not in body
    good = {
        "contact_on": TODAY.isoformat(),
        "method": "video",
        "minutes": "20",
        "content": "Plan review",
    }
    response = client.post(url, good, HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"] == f"/supervision/ota/{t.ota.pk}/"


def test_the_supervisor_logs_a_contact_and_records_a_plan_on_the_page(client: Client) -> None:
    t = team(state="NY")
    patient = f.PatientFactory(organization=t.org, home_clinic=t.clinic)
    client.force_login(t.ot.user)
    page = client.get(f"/supervision/ota/{t.ota.pk}/").content.decode()
    assert "cannot be scheduled" in page
    url = f"/supervision/ota/{t.ota.pk}/"
    contact = {
        "contact_on": TODAY.isoformat(),
        "method": "in_person",
        "minutes": "30",
        "on_site_face_to_face": "on",
        "patients": [str(patient.pk)],
        "content": "Co-treated; reviewed goals",
    }
    assert client.post(url + "contacts/", contact).status_code == 302
    plan = {
        "supervising_ot": str(t.ot.pk),
        "contact_every_days": "14",
        "by_in_person": "on",
        "notes_cosigned": "no",
        "effective_from": TODAY.isoformat(),
    }
    assert client.post(url + "plan/", plan).status_code == 302
    assert SupervisionPlan.objects.get(ota=t.ota).notes_cosigned is False
    page = client.get(url).content.decode()
    assert "cannot be scheduled" not in page
    assert "a contact every 14 days (in person); notes initialed" in page
    assert patient.last_name in page and "Co-treated; reviewed goals" in page


def test_the_contact_form_lists_the_otas_patients_not_every_patient_of_the_practice(
    client: Client,
) -> None:
    t = team(state="NY")
    seen = f.PatientFactory(organization=t.org, home_clinic=t.clinic, last_name="Caseloadson")
    f.AppointmentFactory(patient=seen, clinician=t.ota)
    long_ago = f.PatientFactory(organization=t.org, home_clinic=t.clinic, last_name="Formerly")
    f.AppointmentFactory(
        patient=long_ago,
        clinician=t.ota,
        starts_at=dt.datetime(2025, 1, 6, 14, tzinfo=dt.UTC),
        ends_at=dt.datetime(2025, 1, 6, 15, tzinfo=dt.UTC),
    )
    f.PatientFactory(organization=t.org, home_clinic=t.clinic, last_name="Elsewhereman")
    client.force_login(t.ot.user)
    page = client.get(f"/supervision/ota/{t.ota.pk}/").content.decode()
    assert "Caseloadson" in page
    assert "Formerly" not in page and "Elsewhereman" not in page


def test_the_admin_assignment_form_gives_the_reason_it_refuses(client: Client) -> None:
    t = team(state="OH")
    unlicensed = f.StaffProfileFactory(user__organization=t.org, user__role="OT", licensed=False)
    client.force_login(t.admin)
    url = f"/supervision/ota/{t.ota.pk}/supervisor/"
    response = client.post(url, {"supervising_ot": str(unlicensed.pk)})
    assert response.status_code == 422
    assert "Supervising OT:" in response.content.decode()
    assert "OH license" in response.content.decode()


def test_the_otas_home_page_shows_their_own_supervision_due_status(client: Client) -> None:
    t = team(state="OH")
    contact_row(t, days_ago=8)
    client.force_login(t.ota.user)
    page = client.get("/").content.decode()
    assert "My supervision" in page and "Overdue" in page
    assert f"/supervision/ota/{t.ota.pk}/" in page
    client.force_login(t.ot.user)
    assert "My supervision" not in client.get("/").content.decode()
