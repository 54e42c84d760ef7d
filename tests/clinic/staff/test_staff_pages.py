"""The staff credential pages: the admin's list, a clinician's own record, the add forms."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.test import Client

from otclinic.clinic.staff import services_records as svc
from otclinic.clinic.staff.models import CeActivity, CeRequirement, Certificate, StateLicense
from tests.clinic import factories as f

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 5, 1)


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel(dt.datetime(2026, 5, 1, 15, 0, tzinfo=dt.UTC), tick=False):
        yield


class Clinic:
    def __init__(self) -> None:
        self.org = f.OrganizationFactory()
        f.ClinicFactory(organization=self.org, state="OH")
        self.admin = f.staff_user(organization=self.org, role="clinic_admin")
        self.ota = f.StaffProfileFactory(
            user__organization=self.org, user__role="OTA", nbcot_expires_on=dt.date(2026, 5, 20)
        )
        self.ot = f.StaffProfileFactory(user__organization=self.org, user__role="OT")
        self.cpr = svc.certificate_type_add(
            user=self.admin, name="CPR/BLS", required_for_clinicians=True
        )


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_admin_sees_each_clinicians_status_and_ce_progress() -> None:
    c = Clinic()
    StateLicense.objects.filter(staff=c.ot).update(expires_on=dt.date(2026, 4, 30))
    StateLicense.objects.filter(staff=c.ota).update(expires_on=dt.date(2026, 6, 30))
    svc.ce_requirement_set(user=c.admin, counts_toward="OH", hours=Decimal("20"), cycle_months=24)
    svc.ce_activity_add(
        user=c.admin,
        staff=c.ota,
        title="Fall prevention",
        provider="State association",
        completed_on=dt.date(2026, 1, 10),
        hours=Decimal("7.5"),
        counts_toward="OH",
    )
    body = _client(c.admin).get("/staff/").content.decode()
    assert "Expiring in 19 days" in body  # the OTA's NBCOT (2026-05-20)
    assert "Lapsed" in body and "no OH license in force on 2026-05-01" in body  # the OT's license
    assert "no CPR/BLS certificate on file" in body
    assert "OH license: 7.50 of 20.0 hours (2024-07-01 to 2026-06-30)" in body
    assert "12.50 still needed, 60 days left" in body
    assert "the cycle ended on 2026-04-30" in body  # the OT's, short of all 20 hours


def test_a_clinician_is_taken_to_their_own_record_and_cannot_open_anothers() -> None:
    c = Clinic()
    client = _client(c.ota.user)
    response = client.get("/staff/")
    assert response.status_code == 302 and response["Location"] == "/staff/me/"
    own = client.get("/staff/me/", follow=True)
    assert own.status_code == 200 and "My credentials" in own.content.decode()
    assert client.get(f"/staff/{c.ot.pk}/").status_code == 403
    assert "Add a license" not in own.content.decode()  # licenses are the admin's to record


def test_a_clinician_adds_ce_and_a_certificate_to_their_own_record_only() -> None:
    c = Clinic()
    client = _client(c.ota.user)
    ce = {
        "title": "Low vision",
        "provider": "AOTA",
        "completed_on": "2026-04-02",
        "hours": "3.25",
        "counts_toward": "NBCOT",
    }
    assert client.post(f"/staff/{c.ota.pk}/ce/", ce).status_code == 302
    assert client.post(f"/staff/{c.ota.pk}/ce/", ce).status_code == 302  # twice: one row
    assert list(CeActivity.objects.values_list("hours", flat=True)) == [Decimal("3.25")]
    cert = {
        "certificate_type": str(c.cpr.pk),
        "issuer": "American Heart Association",
        "issued_on": "2026-03-01",
        "expires_on": "2028-03-31",
        "file_name": "cpr-2026.pdf",
    }
    assert client.post(f"/staff/{c.ota.pk}/certificates/", cert).status_code == 302
    assert Certificate.objects.get().file_name == "cpr-2026.pdf"
    assert client.post(f"/staff/{c.ot.pk}/ce/", ce).status_code == 403
    assert client.post(f"/staff/{c.ot.pk}/licenses/", {}).status_code == 403
    assert not CeActivity.objects.filter(staff=c.ot).exists()


@pytest.mark.parametrize(
    ("path", "data", "field"),
    [
        ("ce", {"title": "X", "provider": "Y", "completed_on": "2026-04-02", "hours": "0",
                "counts_toward": "OH"}, "Hours"),
        ("certificates", {"issuer": "AHA", "issued_on": "2026-03-01", "expires_on": "2026-02-01"},
         "Expires"),
        ("licenses", {"state": "OH", "number": "OT.1", "issued_on": "2026-01-01",
                      "expires_on": "2025-12-31"}, "Expires"),
    ],
)  # fmt: skip
def test_bad_input_answers_422_naming_the_field_and_writes_nothing(
    path: str, data: dict[str, str], field: str
) -> None:
    c = Clinic()
    if path == "certificates":
        data = {**data, "certificate_type": str(c.cpr.pk)}
    before = (StateLicense.objects.count(), Certificate.objects.count(), CeActivity.objects.count())
    response = _client(c.admin).post(f"/staff/{c.ota.pk}/{path}/", data)
    assert response.status_code == 422
    assert f"{field}: " in response.content.decode()
    after = (StateLicense.objects.count(), Certificate.objects.count(), CeActivity.objects.count())
    assert after == before


def test_the_admin_records_a_license_once_and_it_clears_the_error() -> None:
    c = Clinic()
    StateLicense.objects.filter(staff=c.ot).delete()
    client = _client(c.admin)
    assert "not licensed in OH" in client.get(f"/staff/{c.ot.pk}/").content.decode()
    data = {"state": "OH", "number": "OT.778899", "expires_on": "2027-06-30"}
    assert client.post(f"/staff/{c.ot.pk}/licenses/", data).status_code == 302
    assert client.post(f"/staff/{c.ot.pk}/licenses/", data).status_code == 302
    assert StateLicense.objects.filter(staff=c.ot).count() == 1
    assert "not licensed in OH" not in client.get(f"/staff/{c.ot.pk}/").content.decode()


def test_an_htmx_add_answers_with_the_records_partial() -> None:
    c = Clinic()
    data = {"title": "Splinting", "provider": "AOTA", "completed_on": "2026-04-02",
            "hours": "2", "counts_toward": "OH"}  # fmt: skip
    response = _client(c.admin).post(f"/staff/{c.ota.pk}/ce/", data, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="records">') and "Splinting" in body


def test_the_admin_sets_the_clinics_requirements_and_certificate_types() -> None:
    c = Clinic()
    client = _client(c.admin)
    data = {"counts_toward": "NBCOT", "hours": "36", "cycle_months": "36"}
    assert client.post("/staff/ce-requirements/", data).status_code == 302
    assert client.post("/staff/ce-requirements/", data | {"hours": "30"}).status_code == 302
    assert list(CeRequirement.objects.values_list("hours", flat=True)) == [Decimal("30.0")]
    bad = client.post("/staff/ce-requirements/", {"counts_toward": "NBCOT", "hours": "0"})
    assert bad.status_code == 422 and "Hours per renewal cycle: " in bad.content.decode()
    assert client.post("/staff/certificate-types/", {"name": "First Aid"}).status_code == 302
    assert "First Aid" in client.get("/staff/").content.decode()
    ota = _client(c.ota.user)
    assert ota.post("/staff/certificate-types/", {"name": "Sneaky"}).status_code == 403


def test_another_organizations_staff_record_is_404() -> None:
    c = Clinic()
    stranger = f.StaffProfileFactory(user__role="OT")
    client = _client(c.admin)
    assert client.get(f"/staff/{stranger.pk}/").status_code == 404
    data = {"state": "OH", "number": "OT.1", "expires_on": "2027-06-30"}
    assert client.post(f"/staff/{stranger.pk}/licenses/", data).status_code == 404
    assert not StateLicense.objects.filter(number="OT.1").exists()


def test_the_nav_shows_staff_to_the_admin_and_my_credentials_to_a_clinician() -> None:
    c = Clinic()
    admin_page = _client(c.admin).get("/").content.decode()
    ota_page = _client(c.ota.user).get("/").content.decode()
    assert 'href="/staff/">Staff<' in admin_page
    assert 'href="/staff/me/">My credentials<' in ota_page and 'href="/staff/">' not in ota_page
