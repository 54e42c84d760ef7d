"""care.access states its rule as joins on the episode and its patient, not as nested subqueries
(`patients.access.visible_patients_condition`), and the rows are the same as the nested form's:
the user's organization, a role that may view charts, and an episode whose patient is one of
theirs (a record whose organization columns disagree is shown to no one)."""

import pytest

from otclinic.clinic.care.access import visible_documents, visible_episodes, visible_notes
from otclinic.clinic.care.models import Episode, EpisodeDocument, TreatmentNote
from otclinic.clinic.patients.access import visible_patients
from otclinic.domain.codes import Role
from tests.clinic import factories as f

pytestmark = pytest.mark.django_db


def _nested(user: object) -> tuple[set[object], set[object], set[object]]:
    """The rule as it was written before: notes and documents in episodes in patients."""
    org = getattr(user, "organization_id", None)
    episodes = Episode.objects.filter(organization_id=org, patient__in=visible_patients(user))
    notes = TreatmentNote.objects.filter(organization_id=org, episode__in=episodes)
    documents = EpisodeDocument.objects.filter(organization_id=org, episode__in=episodes)
    return (
        set(episodes.values_list("pk", flat=True)),
        set(notes.values_list("pk", flat=True)),
        set(documents.values_list("pk", flat=True)),
    )


def _document(episode: Episode) -> EpisodeDocument:
    return EpisodeDocument.objects.create(
        organization=episode.organization,
        episode=episode,
        kind="other",
        title="Letter",
        sha256="0" * 64,
        created_by=episode.therapist.user,
    )


@pytest.mark.parametrize("role", [Role.OT, Role.OTA, Role.BILLER, Role.FRONT_DESK, Role.PATIENT])
def test_the_joined_rule_selects_what_the_nested_one_did(role: Role) -> None:
    mine, other = f.OrganizationFactory(), f.OrganizationFactory()
    note = f.TreatmentNoteFactory(episode__patient__organization=mine)
    _document(note.episode)
    elsewhere = f.TreatmentNoteFactory(episode__patient__organization=other)
    _document(elsewhere.episode)
    # An episode filed under this organization whose patient is another's: nobody here sees it.
    stray = f.EpisodeFactory(patient__organization=other)
    Episode.objects.filter(pk=stray.pk).update(organization=mine)
    stray_note = f.TreatmentNoteFactory(episode=stray, organization=mine)
    user = f.UserFactory(organization=mine, role=role)

    episodes, notes, documents = _nested(user)
    assert set(visible_episodes(user).values_list("pk", flat=True)) == episodes
    assert set(visible_notes(user).values_list("pk", flat=True)) == notes
    assert set(visible_documents(user).values_list("pk", flat=True)) == documents
    assert stray.pk not in episodes and stray_note.pk not in notes
    if role == Role.PATIENT:
        assert not episodes and not notes and not documents
    else:
        assert episodes == {note.episode_id} and notes == {note.pk} and len(documents) == 1


def test_the_rule_is_one_select_without_nested_subqueries() -> None:
    user = f.staff_user(organization=f.OrganizationFactory(), role=Role.OT)
    for rows in (visible_episodes(user), visible_notes(user), visible_documents(user)):
        sql = str(rows.query).upper()
        assert sql.count("SELECT") == 1, sql
