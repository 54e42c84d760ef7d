import pytest

from tests.clinic.factories import NoteLineFactory, PortalAccessFactory

pytestmark = pytest.mark.django_db


def test_a_whole_note_can_be_built_from_factories() -> None:
    line = NoteLineFactory()
    assert line.note.episode.patient.organization == line.organization


def test_a_portal_access_links_a_patient_user_to_their_record() -> None:
    access = PortalAccessFactory()
    assert access.user.role == "patient"
    assert access.user.organization == access.patient.organization
