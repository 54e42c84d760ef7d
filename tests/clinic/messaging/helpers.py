"""Rows written directly (below the services), for constraint and tenant-isolation tests."""

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
