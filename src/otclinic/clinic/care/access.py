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
from otclinic.clinic.patients.access import visible_patients


def _organization(user: Any) -> Any:
    return getattr(user, "organization_id", None)


def visible_episodes(user: Any) -> QuerySet[Episode]:
    return Episode.objects.for_org(_organization(user)).filter(patient__in=visible_patients(user))


def visible_notes(user: Any) -> QuerySet[TreatmentNote]:
    return TreatmentNote.objects.for_org(_organization(user)).filter(
        episode__in=visible_episodes(user)
    )


def visible_documents(user: Any) -> QuerySet[EpisodeDocument]:
    return EpisodeDocument.objects.for_org(_organization(user)).filter(
        episode__in=visible_episodes(user)
    )


def get_visible_episode(user: Any, episode_id: uuid.UUID | str) -> Episode:
    return get_visible(visible_episodes(user), episode_id, what="episode")


def get_visible_note(user: Any, note_id: uuid.UUID | str) -> TreatmentNote:
    return get_visible(visible_notes(user), note_id, what="note")


def get_visible_document(user: Any, document_id: uuid.UUID | str) -> EpisodeDocument:
    return get_visible(visible_documents(user), document_id, what="document")
