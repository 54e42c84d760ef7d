"""The demo's conversations and tasks: written once, between the demo logins."""

import pytest
from django.db.models import F
from django.utils import timezone

from otclinic.clinic.accounts.models import User
from otclinic.clinic.audit.models import AuditEvent
from otclinic.clinic.demo.seed import seed_demo
from otclinic.clinic.messaging import selectors
from otclinic.clinic.messaging.access import why_cannot_see_thread
from otclinic.clinic.messaging.models import Message, Notification, Task, Thread

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, int, int]:
    return Thread.objects.count(), Message.objects.count(), Task.objects.count()


def test_the_demo_logins_have_conversations_and_tasks_once() -> None:
    seed_demo(patients_per_scale=30, months=1)
    first = _counts()
    assert first[0] >= 4 and first[2] >= 4
    ot, ota, biller, caregiver = (
        User.objects.get(username=name)
        for name in ("ot.demo", "ota.demo", "biller.demo", "caregiver.demo")
    )
    for user in (ot, ota, biller, caregiver):
        assert selectors.unread_count_for(user=user) >= 1, user.username
        for summary in selectors.thread_summaries(user=user):
            assert why_cannot_see_thread(user, summary.thread) is None
    assert Message.objects.filter(body__contains="@ota.demo").exists()
    assert not Message.objects.filter(created_at__gt=timezone.now()).exists()
    assert not Notification.objects.filter(task__assignee=F("task__created_by")).exists()
    assert Task.objects.filter(assignee=ot, status="open", note__isnull=True).exists()
    # Bulk inserts: no entry per row; the seed's one bulk entry names the tables.
    assert not AuditEvent.objects.filter(object_type__startswith="messaging.").exists()
    bulk = AuditEvent.objects.get(action="bulk", object_type="demo.seed")
    assert {"messaging.Thread", "messaging.Message", "messaging.Task"} <= set(bulk.fields)

    seed_demo(patients_per_scale=30, months=1)
    assert _counts() == first
