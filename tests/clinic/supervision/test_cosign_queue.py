"""The co-signature queue follows the rule of the note's state and payer, and the written plan."""

import datetime as dt

import pytest
from django.test import Client

from otclinic.clinic.audit.models import AuditAction, AuditEvent
from otclinic.clinic.audit.reads import naming_patient
from otclinic.clinic.care.models import NoteStatus
from otclinic.clinic.staff.models import StaffProfile
from otclinic.clinic.supervision import selectors
from otclinic.clinic.supervision.models import SupervisionPlan
from tests.clinic.care.notes.builders import DAY, Practice, practice, signed

pytestmark = pytest.mark.django_db


def _ota(p: Practice) -> StaffProfile:
    return StaffProfile.objects.get(user=p.ota)


def _plan(p: Practice, *, notes_cosigned: bool, **kw: object) -> SupervisionPlan:
    ota = _ota(p)
    values: dict[str, object] = {
        "organization": p.org,
        "ota": ota,
        "supervising_ot": ota.supervising_ot,
        "contact_every_days": 14,
        "notes_cosigned": notes_cosigned,
        "effective_from": DAY - dt.timedelta(days=30),
    }
    values.update(kw)
    return SupervisionPlan.objects.create(**values)


def test_a_texas_temporary_licensees_note_lands_in_the_supervisors_dashboard_queue() -> None:
    p = practice(state="TX", temporary_license=True)
    note = signed(p)
    assert note.status == NoteStatus.COSIGN_PENDING
    assert list(selectors.cosign_waiting_for_user(user=p.ot)) == [note]


def test_a_medicare_ota_note_in_ohio_does_not_wait_for_co_signature() -> None:
    p = practice(state="OH", payer_plan="medicare_part_b")
    note = signed(p)
    assert note.status == NoteStatus.SIGNED
    assert list(selectors.cosign_waiting_for_user(user=p.ot)) == []


def test_the_same_ohio_note_waits_when_the_clinic_policy_asks_for_it() -> None:
    p = practice(state="OH", payer_plan="medicare_part_b")
    p.clinic.cosign_every_note = True
    p.clinic.save()
    note = signed(p)
    assert list(selectors.cosign_waiting_for_user(user=p.ot)) == [note]


@pytest.mark.parametrize(
    ("notes_cosigned", "status"), [(True, NoteStatus.COSIGN_PENDING), (False, NoteStatus.SIGNED)]
)
def test_a_new_york_note_follows_the_written_plan_in_force(
    notes_cosigned: bool, status: str
) -> None:
    p = practice(state="NY", payer_plan="commercial")
    _plan(p, notes_cosigned=notes_cosigned)
    assert signed(p).status == status


def test_a_new_york_plan_that_ended_before_the_note_gives_the_strict_reading() -> None:
    p = practice(state="NY", payer_plan="commercial")
    _plan(p, notes_cosigned=False, effective_to=DAY - dt.timedelta(days=1))
    note = signed(p)
    assert note.status == NoteStatus.COSIGN_PENDING
    assert list(selectors.cosign_waiting_for_user(user=p.ot)) == [note]


def test_a_returned_note_shows_on_the_supervisors_dashboard_until_answered() -> None:
    from otclinic.clinic.care.services import notes as svc

    p = practice(state="TX", temporary_license=True)
    note = signed(p)
    svc.note_return(user=p.ot, note=note, comment="Add the patient's response to the transfer")
    assert list(selectors.returned_notes_for_user(user=p.ot)) == [note]
    assert list(selectors.cosign_waiting_for_user(user=p.ot)) == []


def test_the_dashboard_records_a_read_of_the_patients_its_note_lists_name() -> None:
    p = practice(state="TX", temporary_license=True)
    note = signed(p)
    assert note.status == NoteStatus.COSIGN_PENDING
    client = Client()
    client.force_login(p.ot)
    patient = note.episode.patient
    views = AuditEvent.objects.filter(action=AuditAction.VIEW)
    # The dashboard names no patient: its note lists are loaded after it, by htmx.
    dashboard = client.get("/supervision/")
    assert dashboard.status_code == 200
    assert patient.last_name not in dashboard.content.decode()
    assert 'hx-get="/supervision/notes/"' in dashboard.content.decode()
    assert list(naming_patient(views, patient.pk)) == []
    section = client.get("/supervision/notes/", headers={"HX-Request": "true"})
    assert section.status_code == 200
    assert patient.last_name in section.content.decode()
    assert "<html" not in section.content.decode()
    entries = naming_patient(views, patient.pk)
    assert [e.detail.split(" ")[0] for e in entries] == ["supervision"]


def test_the_note_lists_open_as_a_page_without_script() -> None:
    p = practice(state="TX", temporary_license=True)
    note = signed(p)
    client = Client()
    client.force_login(p.ot)
    page = client.get("/supervision/notes/").content.decode()
    assert "<html" in page
    assert note.episode.patient.last_name in page
    assert "Notes waiting for my co-signature" in page


def test_an_ota_may_not_open_the_supervisees_note_lists() -> None:
    p = practice(state="TX", temporary_license=True)
    signed(p)
    client = Client()
    client.force_login(p.ota)
    assert client.get("/supervision/").status_code == 200
    assert client.get("/supervision/notes/").status_code == 403
