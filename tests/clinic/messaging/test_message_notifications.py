"""A plain new message tells the thread's other readers in the app, once per unread thread."""

from typing import Any

import pytest
from django.core import mail

from otclinic.clinic.jobs.worker import run_queued_tasks
from otclinic.clinic.messaging import services
from otclinic.clinic.messaging.access import why_cannot_see_thread
from otclinic.clinic.messaging.models import Notification
from tests.clinic import factories as f
from tests.clinic.messaging.helpers import Team, team

pytestmark = pytest.mark.django_db


@pytest.fixture
def t() -> Team:
    return team()


def _unread(user: Any, thread: Any) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, thread=thread, read_at__isnull=True))


def _quiet_thread(t: Team, **extra: Any) -> Any:
    """A thread whose participants have read everything (no unread notification left)."""
    thread = services.thread_start(
        user=t.ot, patient=t.patient, subject="Shoulder precautions", body="Please read.", **extra
    )
    for person in [*extra.get("people", []), t.biller]:
        if why_cannot_see_thread(person, thread) is None:
            services.thread_mark_read(user=person, thread=thread)
    return thread


def test_a_new_message_notifies_the_other_participants_in_the_app_not_by_email(
    t: Team, django_capture_on_commit_callbacks: Any
) -> None:
    thread = _quiet_thread(t, people=[t.ota])
    with django_capture_on_commit_callbacks(execute=True):
        services.message_post(user=t.ot, thread=thread, body="The precautions changed.")
    [notification] = _unread(t.ota, thread)
    assert notification.kind == "message"
    assert notification.link == f"/messages/threads/{thread.pk}/"
    assert t.patient.last_name not in notification.text
    assert _unread(t.ot, thread) == []  # not the author
    run_queued_tasks()
    assert mail.outbox == []


def test_more_messages_add_no_second_unread_notification_until_the_thread_is_read(
    t: Team,
) -> None:
    thread = _quiet_thread(t, people=[t.ota])
    for body in ("One", "Two", "Three"):
        services.message_post(user=t.ot, thread=thread, body=body)
    assert len(_unread(t.ota, thread)) == 1
    services.thread_mark_read(user=t.ota, thread=thread)
    assert _unread(t.ota, thread) == []
    services.message_post(user=t.ot, thread=thread, body="Four")
    assert len(_unread(t.ota, thread)) == 1
    assert Notification.objects.filter(recipient=t.ota, kind="message").count() == 2


def test_an_unread_notification_of_another_thread_does_not_hold_this_one_back(t: Team) -> None:
    first = _quiet_thread(t, people=[t.ota])
    second = _quiet_thread(t, people=[t.ota])
    services.message_post(user=t.ot, thread=first, body="One")
    services.message_post(user=t.ot, thread=second, body="Two")
    assert len(_unread(t.ota, first)) == len(_unread(t.ota, second)) == 1


def test_a_teams_members_and_a_portal_login_are_notified(t: Team) -> None:
    thread = _quiet_thread(t, people=[t.portal], roles=["biller"])
    services.message_post(user=t.ot, thread=thread, body="Your appointment moved.")
    [biller] = _unread(t.biller, thread)
    [portal] = _unread(t.portal, thread)
    assert biller.kind == portal.kind == "message"
    assert portal.link == f"/portal/patients/{t.patient.pk}/messages/{thread.pk}/"
    assert _unread(t.admin, thread) == []  # not a participant
    assert _unread(t.stranger, thread) == []


def test_a_portal_authors_name_is_not_in_the_staff_notification(t: Team) -> None:
    thread = _quiet_thread(t, people=[t.portal])
    services.message_post(user=t.portal, thread=thread, body="Can we move Tuesday?")
    [notification] = _unread(t.ot, thread)
    assert t.portal.display_name() not in notification.text
    assert t.patient.last_name not in notification.text


def test_someone_mentioned_gets_the_mention_not_a_second_notification(
    t: Team, django_capture_on_commit_callbacks: Any
) -> None:
    thread = _quiet_thread(t, people=[t.ota])
    colleague = f.staff_user(organization=t.org, role="OTA")
    colleague.email = "colleague@example.org"
    colleague.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.message_post(user=t.ot, thread=thread, body=f"@{colleague.username} please")
    assert [n.kind for n in _unread(colleague, thread)] == ["mention"]
    assert [n.kind for n in _unread(t.ota, thread)] == ["message"]
    run_queued_tasks()
    assert [m.to for m in mail.outbox] == [["colleague@example.org"]]  # the mention only


def test_a_removed_participant_is_not_notified(t: Team) -> None:
    thread = _quiet_thread(t, people=[t.ota])
    services.participant_remove(user=t.ot, thread=thread, person=t.ota)
    services.message_post(user=t.ot, thread=thread, body="After you left")
    assert _unread(t.ota, thread) == []
