"""A thread, a task and a notification for a tenant of tests/clinic/test_tenant_isolation.py.

The tenant's user (a clinic admin) takes part in the thread about the tenant's patient, is
given the task and receives the notification, so each URL answers them and only them.
"""

from typing import Any

from otclinic.clinic.messaging.models import Notification, NotificationKind
from tests.clinic.messaging.helpers import message_row, task_row, thread_row


def _once(tenant: Any, name: str, make: Any) -> Any:
    made = tenant.__dict__.setdefault("_made", {})
    if name not in made:
        made[name] = make()
    return made[name]


def thread(t: Any) -> Any:
    def make() -> Any:
        row = thread_row(user=t.user, patient=t.patient, subject=f"About {t.patient.last_name}")
        message_row(row, body=f"Please call {t.patient.last_name} back")
        return row

    return _once(t, "thread", make)


def task(t: Any) -> Any:
    return _once(t, "task", lambda: task_row(user=t.user, patient=t.patient))


def notification(t: Any) -> Any:
    return _once(
        t,
        "notification",
        lambda: Notification.objects.create(
            organization=t.org,
            recipient=t.user,
            kind=NotificationKind.ADDED,
            text="You were added to a conversation",
            link=f"/messages/threads/{thread(t).pk}/",
            thread=thread(t),
        ),
    )


ID_KINDS = {
    "thread_id": lambda t: thread(t).pk,
    "task_id": lambda t: task(t).pk,
    "notification_id": lambda t: notification(t).pk,
}
