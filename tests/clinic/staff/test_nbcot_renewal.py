"""Recording or renewing the NBCOT certification on the staff page (clinic admins only)."""

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.test import Client

from otclinic.clinic.care.models import NoteStatus
from otclinic.clinic.care.services import notes as notes_svc
from otclinic.clinic.common.errors import NotFoundForUser, ValidationFailed
from otclinic.clinic.staff.models import StaffProfile
from otclinic.clinic.staff.services_nbcot import nbcot_record
from tests.clinic import factories as f
from tests.clinic.care.notes.builders import DAY, drafted, practice, signed

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 5, 1)
RENEWED = dt.date(2029, 4, 30)


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
            user__organization=self.org,
            user__role="OTA",
            nbcot_credential="COTA",
            nbcot_number="C-100",
            nbcot_expires_on=dt.date(2026, 4, 1),  # lapsed a month ago
        )
        self.ot = f.StaffProfileFactory(user__organization=self.org, user__role="OT")


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(client: Client, staff: StaffProfile, **data: str) -> Any:
    form = {
        "nbcot_credential": "COTA",
        "nbcot_number": "C-200",
        "nbcot_expires_on": RENEWED.isoformat(),
        **data,
    }
    return client.post(f"/staff/{staff.pk}/nbcot/", form)


def test_the_admin_renews_a_lapsed_certification_and_the_status_turns_ok() -> None:
    c = Clinic()
    client = _client(c.admin)
    before = client.get(f"/staff/{c.ota.pk}/").content.decode()
    assert "NBCOT certification expired on 2026-04-01" in before
    assert 'aria-label="Record or renew the NBCOT certification"' in before
    response = _post(client, c.ota)
    assert response.status_code == 302
    c.ota.refresh_from_db()
    assert (c.ota.nbcot_credential, c.ota.nbcot_number, c.ota.nbcot_expires_on) == (
        "COTA",
        "C-200",
        RENEWED,
    )
    after = client.get(f"/staff/{c.ota.pk}/").content.decode()
    assert "NBCOT certification expired" not in after
    assert "NBCOT number C-200" in after.replace("NBCOT COTA number", "NBCOT number")


def test_htmx_answers_the_records_partial() -> None:
    c = Clinic()
    response = _client(c.admin).post(
        f"/staff/{c.ota.pk}/nbcot/",
        {"nbcot_credential": "COTA", "nbcot_number": "C-200", "nbcot_expires_on": "2029-04-30"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="records">')
    assert "NBCOT certification expired" not in body


@pytest.mark.parametrize(
    ("who", "data", "field", "words"),
    [
        ("ota", {"nbcot_credential": "OTR"}, "nbcot_credential", "An OTA holds COTA, not OTR"),
        ("ot", {"nbcot_credential": "COTA"}, "nbcot_credential", "An OT holds OTR, not COTA"),
        ("ota", {"nbcot_expires_on": "2026-04-30"}, "nbcot_expires_on", "must not be before"),
        ("ota", {"nbcot_number": ""}, "nbcot_number", "This field is required"),
        ("ota", {"nbcot_expires_on": "soon"}, "nbcot_expires_on", "Enter a valid date"),
    ],
)
def test_bad_input_answers_422_naming_the_field_and_writes_nothing(
    who: str, data: dict[str, str], field: str, words: str
) -> None:
    c = Clinic()
    staff = getattr(c, who)
    before = StaffProfile.objects.values_list(
        "nbcot_credential", "nbcot_number", "nbcot_expires_on"
    ).get(pk=staff.pk)
    response = _post(_client(c.admin), staff, **data)
    assert response.status_code == 422
    body = response.content.decode()
    assert words in body
    assert f'id="id_{field}"' in body and 'aria-invalid="true"' in body
    after = StaffProfile.objects.values_list(
        "nbcot_credential", "nbcot_number", "nbcot_expires_on"
    ).get(pk=staff.pk)
    assert after == before


def test_the_service_names_the_field_for_a_role_without_nbcot() -> None:
    c = Clinic()
    pt = f.StaffProfileFactory(user__organization=c.org, user__role="PT")
    with pytest.raises(ValidationFailed) as refused:
        nbcot_record(
            user=c.admin,
            staff=pt,
            nbcot_credential="OTR",
            nbcot_number="X-1",
            nbcot_expires_on=RENEWED,
            today=TODAY,
        )
    assert list(refused.value.errors) == ["nbcot_credential"]


def test_the_same_renewal_twice_is_harmless() -> None:
    c = Clinic()
    kwargs = {
        "user": c.admin,
        "staff": c.ota,
        "nbcot_credential": "COTA",
        "nbcot_number": " C-200 ",
        "nbcot_expires_on": RENEWED,
        "today": TODAY,
    }
    first = nbcot_record(**kwargs)
    stamp = StaffProfile.objects.get(pk=c.ota.pk).updated_at
    second = nbcot_record(**kwargs)
    assert first.pk == second.pk
    assert StaffProfile.objects.get(pk=c.ota.pk).updated_at == stamp
    assert StaffProfile.objects.get(pk=c.ota.pk).nbcot_number == "C-200"


@pytest.mark.parametrize("who", ["ota", "ot"])
def test_clinicians_cannot_edit_their_own_nbcot(who: str) -> None:
    c = Clinic()
    staff = getattr(c, who)
    client = _client(staff.user)
    page = client.get(f"/staff/{staff.pk}/").content.decode()
    assert "Record or renew NBCOT certification" not in page
    credential = "COTA" if who == "ota" else "OTR"
    response = _post(client, staff, nbcot_credential=credential)
    assert response.status_code == 403
    staff.refresh_from_db()
    assert staff.nbcot_number != "C-200"
    with pytest.raises(PermissionDenied):
        nbcot_record(
            user=staff.user,
            staff=staff,
            nbcot_credential=credential,
            nbcot_number="C-200",
            nbcot_expires_on=RENEWED,
            today=TODAY,
        )


def test_another_organizations_admin_gets_404_and_cannot_write() -> None:
    c = Clinic()
    other_admin = f.staff_user(organization=f.OrganizationFactory(), role="clinic_admin")
    response = _post(_client(other_admin), c.ota)
    assert response.status_code == 404
    with pytest.raises(NotFoundForUser):
        nbcot_record(
            user=other_admin,
            staff=c.ota,
            nbcot_credential="COTA",
            nbcot_number="C-200",
            nbcot_expires_on=RENEWED,
            today=TODAY,
        )
    c.ota.refresh_from_db()
    assert c.ota.nbcot_number == "C-100"


def test_a_lapsed_nbcot_blocks_signing_until_renewed_through_the_service() -> None:
    with time_machine.travel(dt.datetime(2026, 3, 12, 15, 0, tzinfo=dt.UTC), tick=False):
        p = practice()
        ota = p.ota.staff_profile
        ota.nbcot_credential = "COTA"
        ota.nbcot_expires_on = DAY - dt.timedelta(days=10)
        ota.save(update_fields=["nbcot_credential", "nbcot_expires_on", "updated_at"])
        note = drafted(p)
        with pytest.raises(notes_svc.NoteNotSignable, match="NBCOT certification expired"):
            notes_svc.note_sign(user=p.ota, note=note, revision=note.revision)
        admin = f.staff_user(organization=p.ota.organization, role="clinic_admin")
        nbcot_record(
            user=admin,
            staff=ota,
            nbcot_credential="COTA",
            nbcot_number="C-300",
            nbcot_expires_on=DAY + dt.timedelta(days=1095),
            today=DAY,
        )
        assert signed(p).status == NoteStatus.SIGNED
