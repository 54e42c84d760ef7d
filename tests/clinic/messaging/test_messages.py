"""Messages: mentions, unread counts, notifications, e-mail without PHI, the polled fragments."""

from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import Client

from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.jobs.worker import run_queued_tasks
from otclinic.clinic.messaging import selectors, services
from otclinic.clinic.messaging.mentions import mentioned_usernames
from otclinic.clinic.messaging.models import Mention, Notification, Participant
from tests.clinic import factories as f
from tests.clinic.messaging.helpers import Team, team

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("body", "names"),
    [
        ("@ota.demo please co-sign", ["ota.demo"]),
        ("Thanks, @ota.demo.", ["ota.demo"]),
        ("cc @biller.demo and @ot.demo, then @biller.demo again", ["biller.demo", "ot.demo"]),
        ("write to jo@example.org", []),
        ("(@front_desk) call the office", ["front_desk"]),
        ("no mention here @", []),
    ],
)
def test_mentions_are_the_usernames_after_an_at_sign(body: str, names: list[str]) -> None:
    assert mentioned_usernames(body) == names


@pytest.fixture
def t() -> Team:
    return team()


def _thread(t: Team, body: str = "Please read.") -> Any:
    return services.thread_start(
        user=t.ot, patient=t.patient, subject="Shoulder precautions", body=body, people=[t.ota]
    )


def test_unread_counts_follow_what_each_participant_has_read(t: Team) -> None:
    with time_machine.travel("2026-03-02 09:00Z", tick=False):
        thread = _thread(t)
    assert selectors.unread_count_for(user=t.ot) == 0  # one's own message is read
    assert selectors.unread_count_for(user=t.ota) == 1
    with time_machine.travel("2026-03-02 09:05Z", tick=False):
        services.thread_mark_read(user=t.ota, thread=thread)
    assert selectors.unread_count_for(user=t.ota) == 0
    with time_machine.travel("2026-03-02 09:10Z", tick=False):
        services.message_post(user=t.ot, thread=thread, body="One more thing")
        services.message_post(user=t.ot, thread=thread, body="And another")
    assert selectors.unread_count_for(user=t.ota) == 2
    summary = selectors.thread_summaries(user=t.ota)[0]
    assert (summary.thread, summary.unread) == (thread, 2)


def test_a_role_participant_counts_unread_messages_too(t: Team) -> None:
    services.thread_start(
        user=t.ot, patient=t.patient, subject="Claim question", body="Units?", roles=["biller"]
    )
    assert selectors.unread_count_for(user=t.biller) == 1
    assert selectors.unread_count_for(user=t.admin) == 0


def test_marking_read_twice_writes_nothing_new(t: Team) -> None:
    thread = _thread(t)
    services.thread_mark_read(user=t.ota, thread=thread)
    first = thread.reads.get(user=t.ota).read_at
    services.thread_mark_read(user=t.ota, thread=thread)
    assert thread.reads.get(user=t.ota).read_at == first


def test_a_mention_adds_the_colleague_notifies_them_and_records_it(
    t: Team, django_capture_on_commit_callbacks: Any
) -> None:
    thread = _thread(t)
    colleague = f.staff_user(organization=t.org, role="OTA")
    colleague.email = "colleague@example.org"
    colleague.save()
    with django_capture_on_commit_callbacks(execute=True):
        message = services.message_post(
            user=t.ot, thread=thread, body=f"@{colleague.username.upper()} can you cover?"
        )
    assert Mention.objects.get(message=message).user == colleague
    assert Participant.objects.filter(thread=thread, user=colleague).exists()
    notification = Notification.objects.get(recipient=colleague, kind="mention")
    assert notification.link == f"/messages/threads/{thread.pk}/"
    run_queued_tasks()
    assert [m.to for m in mail.outbox] == [["colleague@example.org"]]


def test_the_mention_email_holds_no_phi(t: Team, django_capture_on_commit_callbacks: Any) -> None:
    body = f"@{t.ota.username} {t.patient.first_name} {t.patient.last_name} fell at home"
    with django_capture_on_commit_callbacks(execute=True):
        thread = services.thread_start(
            user=t.ot,
            patient=t.patient,
            subject=f"{t.patient.last_name} fall",
            body=body,
            people=[t.ota],
        )
    run_queued_tasks()
    (email,) = mail.outbox
    assert email.subject == "You have a new message in otclinic"
    assert f"/messages/threads/{thread.pk}/" in email.body
    text = email.subject + email.body
    for secret in (
        t.patient.first_name,
        t.patient.last_name,
        t.patient.mrn,
        "fell",
        t.ot.last_name,
    ):
        assert secret not in text


def test_a_refused_message_sends_no_email(t: Team, django_capture_on_commit_callbacks: Any) -> None:
    thread = _thread(t)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationFailed):
        services.message_post(
            user=t.ot, thread=thread, body=f"@{t.ota.username} and @{t.stranger.username}"
        )
    run_queued_tasks()
    assert mail.outbox == []
    assert not Notification.objects.filter(kind="mention").exists()


def test_an_unknown_mention_is_refused_so_no_one_is_silently_left_out(t: Team) -> None:
    thread = _thread(t)
    with pytest.raises(ValidationFailed) as refused:
        services.message_post(user=t.ot, thread=thread, body="@nobody.here please call")
    assert refused.value.errors["body"] == [
        "Cannot mention @nobody.here: no one here signs in as that."
    ]


def test_someone_of_another_practice_cannot_be_mentioned(t: Team) -> None:
    outsider = f.staff_user(organization=f.OrganizationFactory(), role="OT")
    thread = _thread(t)
    with pytest.raises(ValidationFailed):
        services.message_post(user=t.ot, thread=thread, body=f"@{outsider.username} hi")


def test_an_empty_message_is_refused_naming_the_field(t: Team) -> None:
    thread = _thread(t)
    client = Client()
    client.force_login(t.ot)
    response = client.post(f"/messages/threads/{thread.pk}/messages/", {"body": "   "})
    assert response.status_code == 422
    assert "Your message:" in response.content.decode()


def test_sending_with_htmx_answers_the_conversation_fragment(t: Team) -> None:
    thread = _thread(t)
    client = Client()
    client.force_login(t.ota)
    response = client.post(
        f"/messages/threads/{thread.pk}/messages/",
        {"body": "Done, see my addendum."},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="conversation">')
    assert "Done, see my addendum." in html
    assert "<html" not in html


def test_the_open_thread_polls_for_new_messages_and_marks_them_read(t: Team) -> None:
    thread = _thread(t)
    client = Client()
    client.force_login(t.ota)
    page = client.get(f"/messages/threads/{thread.pk}/").content.decode()
    assert 'hx-trigger="every 5s"' in page
    services.message_post(user=t.ot, thread=thread, body="New instructions")
    assert selectors.unread_count_for(user=t.ota) == 1
    fragment = client.get(f"/messages/threads/{thread.pk}/messages/").content.decode()
    assert fragment.lstrip().startswith('<div id="messages"')
    assert "New instructions" in fragment
    assert selectors.unread_count_for(user=t.ota) == 0


def test_the_nav_badge_is_polled_and_answers_its_fragment(t: Team) -> None:
    client = Client()
    client.force_login(t.ota)
    home = client.get("/messages/").content.decode()
    assert 'hx-trigger="load, every 15s"' in home
    assert client.get("/messages/badge/").content.decode().strip() == (
        '<span id="messages-badge-count"></span>'
    )
    _thread(t)  # one unread message and one "added you" notification
    badge = client.get("/messages/badge/", headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in badge
    assert '<span class="badge warn">2<span class="skip"> unread</span></span>' in badge


def test_opening_a_notification_marks_it_read_and_goes_to_the_thread(t: Team) -> None:
    thread = _thread(t)
    notification = Notification.objects.get(recipient=t.ota)
    client = Client()
    client.force_login(t.ota)
    assert client.get(f"/messages/notifications/{notification.pk}/").status_code == 405
    response = client.post(f"/messages/notifications/{notification.pk}/")
    assert response["Location"] == f"/messages/threads/{thread.pk}/"
    notification.refresh_from_db()
    assert notification.read_at is not None
    other = Client()
    other.force_login(t.ot)
    assert other.post(f"/messages/notifications/{notification.pk}/").status_code == 404


def test_the_inbox_lists_conversations_with_their_unread_counts(t: Team) -> None:
    _thread(t)
    client = Client()
    client.force_login(t.ota)
    html = client.get("/messages/").content.decode()
    assert "Shoulder precautions" in html
    assert "1 unread" in html
    assert "added you to a conversation" in html


def test_a_notification_never_sends_the_reader_off_site(t: Team) -> None:
    notification = Notification.objects.create(
        organization=t.org,
        recipient=t.ota,
        kind="added",
        text="You were added to a conversation",
        link="//evil.example/phish",
    )
    client = Client()
    client.force_login(t.ota)
    response = client.post(f"/messages/notifications/{notification.pk}/")
    assert response["Location"] == "/messages/"
