"""Reads for conversations and notifications, each scoped to the user's organization.

Which threads a user may read is `messaging.access.visible_threads`; every list, count and badge
here starts from it, and opening one is its `.get`: a thread of another organization, one the
user may not read and a missing one all answer 404. Opening a thread about a patient is
recorded in the audit trail, like opening the chart.
"""

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery

from otclinic.clinic.accounts.models import User
from otclinic.clinic.audit.reads import saw
from otclinic.clinic.common.errors import NotFoundForUser
from otclinic.clinic.messaging.access import get_visible_thread, visible_threads
from otclinic.clinic.messaging.models import Message, Notification, Thread, ThreadRead

__all__ = [
    "messages_of",
    "notification_get_for_user",
    "notifications_for_user",
    "participants_of",
    "thread_get_for_user",
    "thread_summaries",
    "unread_by_thread",
    "unread_count_for",
    "unread_notifications_for",
    "visible_threads",
]


def unread_by_thread(*, user: User, threads: QuerySet[Thread]) -> dict[uuid.UUID, int]:
    """How many messages of each thread `user` has not read (their own count as read)."""
    read_at = ThreadRead.objects.filter(thread=OuterRef("thread_id"), user=user).values("read_at")
    rows = (
        Message.objects.filter(thread__in=threads)
        .exclude(author=user)
        .annotate(seen=Subquery(read_at[:1]))
        .filter(Q(seen__isnull=True) | Q(created_at__gt=F("seen")))
        .values("thread_id")
        .annotate(n=Count("id"))
    )
    return {row["thread_id"]: row["n"] for row in rows}


def unread_count_for(*, user: User) -> int:
    """Unread messages in every thread `user` may read (staff and portal users alike)."""
    return sum(unread_by_thread(user=user, threads=visible_threads(user)).values())


def unread_notifications_for(*, user: User) -> int:
    if not getattr(user, "organization_id", None):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


@dataclass(frozen=True)
class ThreadSummary:
    thread: Thread
    unread: int


def thread_summaries(*, user: User, patient: Any = None, limit: int = 100) -> list[ThreadSummary]:
    """The user's threads, newest first, with their unread counts; one patient's if given."""
    threads = visible_threads(user).select_related("patient", "started_by")
    if patient is not None:
        threads = threads.filter(patient=patient)
    rows = list(threads[:limit])
    unread = unread_by_thread(user=user, threads=threads)
    return [ThreadSummary(t, unread.get(t.pk, 0)) for t in rows]


def thread_get_for_user(
    *, user: User, thread_id: uuid.UUID | str, record_view: bool = True
) -> Thread:
    """One thread the user may read (messaging.access), or 404 like a missing one.

    Opening a thread about a patient is recorded in the audit trail (not the polling that
    follows: pass record_view=False).
    """
    thread = get_visible_thread(user, thread_id)
    if record_view and thread.patient_id:
        saw([thread.patient_id], "conversation")
    return thread


def messages_of(*, thread: Thread, after: Any = None) -> QuerySet[Message]:
    """A thread's messages in order (only those after `after`, when given); the thread was
    fetched through thread_get_for_user, which checked access."""
    rows = thread.messages.select_related("author")
    return rows.filter(created_at__gt=after) if after else rows


def participants_of(*, thread: Thread) -> list[Any]:
    return list(thread.participants.select_related("user").order_by("role", "created_at"))


def notifications_for_user(*, user: User, limit: int = 50) -> QuerySet[Notification]:
    return Notification.objects.for_org(user.organization_id).filter(recipient=user)[:limit]


def notification_get_for_user(*, user: User, notification_id: uuid.UUID | str) -> Notification:
    """One of the user's own notifications; anyone else's answers 404."""
    try:
        return Notification.objects.for_org(user.organization_id).get(
            pk=notification_id, recipient=user
        )
    except (Notification.DoesNotExist, ValueError) as exc:
        raise NotFoundForUser("no such notification") from exc
