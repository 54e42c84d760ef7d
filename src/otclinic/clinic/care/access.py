"""Who may see which episode, treatment note and episode document: one rule, as queries.

An episode, and each note and document of it, is visible to exactly the staff who may see its
patient (`patients.access.visible_patients`: the user's organization, a role that may view
charts). Portal logins see none of them here: what the portal shows of a record (goals, shared
handouts) is read through the patient's portal grant (`portal.selectors`).

Every list of episodes, notes or documents starts from these queries, and every single-object
check is their `.get` (`get_visible_*`): another organization's record, one the user may not
see and a missing one are all answered 404.
"""

import uuid
from typing import Any

from django.db.models import QuerySet

from otclinic.clinic.care.models import Episode, EpisodeDocument, TreatmentNote
from otclinic.clinic.common.access import get_visible
from otclinic.clinic.patients.access import visible_patients_condition


def _organization(user: Any) -> Any:
    return getattr(user, "organization_id", None)


def visible_episodes(user: Any) -> QuerySet[Episode]:
    seen = visible_patients_condition(user, via="patient__")
    if seen is None:
        return Episode.objects.none()
    return Episode.objects.for_org(_organization(user)).filter(seen)


def _of_visible_episodes(user: Any, rows: QuerySet[Any]) -> QuerySet[Any]:
    """`rows` (an organization's records of an episode) whose episode is in `visible_episodes`:
    the same rule as conditions on the episode and its patient, joined, not nested subqueries
    (`patients.access.visible_patients_condition`)."""
    seen = visible_patients_condition(user, via="episode__patient__")
    if seen is None:
        return rows.none()
    return rows.filter(seen, episode__organization_id=_organization(user))


def visible_notes(user: Any) -> QuerySet[TreatmentNote]:
    return _of_visible_episodes(user, TreatmentNote.objects.for_org(_organization(user)))


def visible_documents(user: Any) -> QuerySet[EpisodeDocument]:
    return _of_visible_episodes(user, EpisodeDocument.objects.for_org(_organization(user)))


def get_visible_episode(user: Any, episode_id: uuid.UUID | str) -> Episode:
    return get_visible(visible_episodes(user), episode_id, what="episode")


def get_visible_note(user: Any, note_id: uuid.UUID | str) -> TreatmentNote:
    return get_visible(visible_notes(user), note_id, what="note")


def get_visible_document(user: Any, document_id: uuid.UUID | str) -> EpisodeDocument:
    return get_visible(visible_documents(user), document_id, what="document")
