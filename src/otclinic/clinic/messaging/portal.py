"""What the patient portal calls: a portal user's conversations with the care team.

The portal pages (under /portal/) call only these functions and `messaging.services`'
`message_post` and `thread_mark_read`; docs/messaging.md lists them. Every function checks that
the user is a portal login whose access to the patient shares messages (messaging.access, over
patients.access), and a thread of another patient answers 404.

The care team a new thread goes to: the therapist of each of the patient's open episodes, and
every active clinician (e.g. the OTA) who has written a note in one of those episodes. Without
an open episode, the therapist of the most recent episode. A patient with no episode at all
cannot start a thread (the refusal says to call the clinic).
"""

import uuid
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.audit.reads import saw
from otclinic.clinic.care.models import Episode, EpisodeStatus, TreatmentNote
from otclinic.clinic.common.access import get_visible
from otclinic.clinic.common.errors import NotFoundForUser, ValidationFailed
from otclinic.clinic.common.services import validated_save
from otclinic.clinic.messaging.access import patients_in_messages, visible_threads
from otclinic.clinic.messaging.models import Participant, Thread
from otclinic.clinic.messaging.selectors import (
    ThreadSummary,
    messages_of,
    thread_summaries,
)
from otclinic.clinic.messaging.services import message_post
from otclinic.clinic.patients.models import Patient
from otclinic.domain.access import Capability

__all__ = [
    "care_team_for",
    "message_post",
    "portal_thread_get",
    "portal_thread_messages",
    "portal_thread_start",
    "portal_threads_for",
]


def _portal_patient(user: Any, patient: Any) -> Any:
    """The patient, if `user` is a portal login whose access to them shares messages; else 404
    (staff are refused the portal's entry points by role: 403)."""
    require(user, Capability.PORTAL)
    return get_visible(patients_in_messages(user), patient.pk, what="patient")


def portal_threads_for(*, user: User, patient: Patient) -> list[ThreadSummary]:
    """The conversations about `patient` that `user` takes part in, newest first, with unread
    counts (`.thread`, `.unread`)."""
    _portal_patient(user, patient)
    return thread_summaries(user=user, patient=patient)


def portal_thread_get(*, user: User, patient: Patient, thread_id: uuid.UUID | str) -> Thread:
    """One of the patient's conversations that `user` takes part in (404 otherwise); opening it
    is recorded in the audit trail."""
    _portal_patient(user, patient)
    thread = get_visible(
        visible_threads(user).filter(patient=patient), thread_id, what="conversation"
    )
    saw([patient.pk], "conversation (portal)")
    return thread


def portal_thread_messages(*, user: User, patient: Patient, thread: Thread) -> list[Any]:
    """The thread's messages, oldest first (the thread came from portal_thread_get)."""
    _portal_patient(user, patient)
    if thread.patient_id != patient.pk:
        raise NotFoundForUser("no such conversation")
    return list(messages_of(thread=thread))


def care_team_for(patient: Patient) -> list[Any]:
    """The active clinicians a portal message about `patient` goes to (see module docstring)."""
    episodes = list(
        Episode.objects.filter(patient=patient, status=EpisodeStatus.OPEN).select_related(
            "therapist__user"
        )
    )
    if not episodes:
        latest = Episode.objects.filter(patient=patient).select_related("therapist__user").first()
        episodes = [latest] if latest else []
    user_ids = {e.therapist.user_id for e in episodes}
    authors = TreatmentNote.objects.filter(episode__in=episodes).values("author__user_id")
    user_ids |= {row["author__user_id"] for row in authors}
    users = get_user_model().objects.filter(
        pk__in=user_ids, organization_id=patient.organization_id, is_active=True
    )
    return [u for u in users.order_by("last_name", "username") if u.is_clinic_staff]


@transaction.atomic
def portal_thread_start(*, user: User, patient: Patient, subject: str, body: str) -> Thread:
    """A patient or caregiver writes to the patient's care team (see the module docstring)."""
    patient = _portal_patient(user, patient)
    team = care_team_for(patient)
    if not team:
        raise ValidationFailed(
            {"subject": ["No care team is on record yet for this patient; please call the clinic."]}
        )
    thread = validated_save(
        Thread(
            organization_id=patient.organization_id,
            subject=subject.strip(),
            patient=patient,
            started_by=user,
            last_message_at=timezone.now(),
        )
    )
    for person in [user, *team]:
        Participant.objects.create(
            organization_id=thread.organization_id, thread=thread, user=person, added_by=user
        )
    message_post(user=user, thread=thread, body=body)
    return thread
