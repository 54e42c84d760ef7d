"""The home page's two lists of notes, read in one query (`care.selectors.home_notes_for_user`):
the same notes, in the same order, as the user's drafts and their co-signature queue."""

import datetime as dt

import pytest
from django.utils import timezone

from otclinic.clinic.audit.models import AuditEvent
from otclinic.clinic.audit.reads import READ_OBJECT_TYPE
from otclinic.clinic.care.models import NoteStatus
from otclinic.clinic.care.selectors import (
    cosign_queue_for_user,
    home_notes_for_user,
    unsigned_notes_for_user,
)
from otclinic.clinic.staff.models import StaffProfile
from tests.clinic import factories as f
from tests.clinic.care.notes.builders import DAY, practice

pytestmark = pytest.mark.django_db


def _notes(p, author_user, status: str, count: int, first: dt.date) -> None:
    author = StaffProfile.objects.get(user=author_user)
    for n in range(count):
        f.TreatmentNoteFactory(
            episode=p.episode,
            author=author,
            status=status,
            date_of_service=first - dt.timedelta(days=n),  # written newest first
            signed_at=None if status == NoteStatus.DRAFT else timezone.now(),
        )


@pytest.mark.parametrize(("drafts", "waiting"), [(25, 3), (3, 25), (22, 21), (0, 2), (2, 0)])
def test_each_list_is_its_first_twenty_by_date_whatever_the_other_holds(
    drafts: int, waiting: int
) -> None:
    p = practice()
    _notes(p, p.ot, NoteStatus.DRAFT, drafts, DAY)
    _notes(p, p.ota, NoteStatus.COSIGN_PENDING, waiting, DAY - dt.timedelta(days=3))
    _notes(p, p.ota, NoteStatus.DRAFT, 2, DAY)  # the OTA's own drafts: on neither list

    notes = home_notes_for_user(user=p.ot, drafts=True, cosign=True, educator=False)

    assert [n.pk for n in notes.drafts] == [n.pk for n in unsigned_notes_for_user(user=p.ot)[:20]]
    assert notes.waiting is not None
    assert [n.pk for n in notes.waiting] == [n.pk for n in cosign_queue_for_user(user=p.ot)[:20]]
    assert (len(notes.drafts), len(notes.waiting)) == (min(drafts, 20), min(waiting, 20))
    if waiting:
        first = notes.waiting[0]
        assert first.author == str(StaffProfile.objects.get(user=p.ota))
        assert first.patient_last_name == p.episode.patient.last_name
        assert first.url == f"/care/notes/{first.pk}/"


def test_without_cosign_only_the_drafts_are_read_and_the_patients_are_recorded() -> None:
    p = practice()
    _notes(p, p.ota, NoteStatus.DRAFT, 2, DAY)
    _notes(p, p.ota, NoteStatus.COSIGN_PENDING, 1, DAY)
    before = AuditEvent.objects.filter(object_type=READ_OBJECT_TYPE).count()

    notes = home_notes_for_user(user=p.ota, drafts=True, cosign=False)

    assert notes.waiting is None
    assert [n.pk for n in notes.drafts] == [n.pk for n in unsigned_notes_for_user(user=p.ota)]
    assert {n.patient_name for n in notes.drafts} == {
        f"{p.episode.patient.last_name}, {p.episode.patient.first_name}"
    }
    read = AuditEvent.objects.filter(object_type=READ_OBJECT_TYPE).order_by("-pk")
    assert read.count() == before + 1
    assert read.first().object_ids == [str(p.episode.patient_id)]
