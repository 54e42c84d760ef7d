"""Rows written directly (below the services), for constraint and tenant-isolation tests."""

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from otclinic.clinic.messaging.models import Message, Participant, Task, Thread
from tests.clinic import factories as f


def thread_row(*, user: Any = None, **fields: Any) -> Thread:
    """A thread started by `user` (a new OT if none), with `user` as its participant."""
    user = user or f.staff_user(organization=f.OrganizationFactory(), role="OT")
    values = {
        "organization_id": user.organization_id,
        "subject": "Home program questions",
        "started_by": user,
        "last_message_at": timezone.now(),
        **fields,
    }
    thread = Thread.objects.create(**values)
    Participant.objects.create(
        organization_id=thread.organization_id, thread=thread, user=user, added_by=user
    )
    return thread


def message_row(thread: Thread, *, author: Any = None, body: str = "Hello") -> Message:
    return Message.objects.create(
        organization_id=thread.organization_id,
        thread=thread,
        author=author or thread.started_by,
        body=body,
    )


def task_row(*, user: Any = None, **fields: Any) -> Task:
    user = user or f.staff_user(organization=f.OrganizationFactory(), role="OT")
    values = {
        "organization_id": user.organization_id,
        "title": "Call the physician's office for the signature",
        "assignee": user,
        "created_by": user,
        **fields,
    }
    return Task.objects.create(**values)


@dataclass
class Team:
    """A practice with an OT, an OTA, a biller and a clinic admin, a patient in an open OT
    episode (the OT its therapist), the patient's own portal login and another patient's
    caregiver."""

    org: Any
    ot: Any
    ota: Any
    biller: Any
    admin: Any
    patient: Any
    episode: Any
    portal: Any  # a patient login with access to `patient`
    stranger: Any  # a caregiver login with access to another patient only


def team() -> Team:
    org = f.OrganizationFactory()
    ot, ota, biller, admin = (
        f.staff_user(organization=org, role=role)
        for role in ("OT", "OTA", "biller", "clinic_admin")
    )
    for user, email in ((ot, "ot@example.org"), (ota, "ota@example.org")):
        user.email = email
        user.save()
    episode = f.EpisodeFactory(patient__organization=org, therapist=ot.staff_profile)
    portal = f.PortalAccessFactory(patient=episode.patient).user
    stranger = f.PortalAccessFactory(
        patient=f.PatientFactory(organization=org), user__role="caregiver"
    ).user
    return Team(org, ot, ota, biller, admin, episode.patient, episode, portal, stranger)
