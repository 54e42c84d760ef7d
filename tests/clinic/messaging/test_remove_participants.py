"""Removing a person or a team from a thread: who may, refusals with reasons, access ends."""

from typing import Any

import pytest
from django.test import Client

from otclinic.clinic.audit.models import AuditEvent
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.messaging import services
from otclinic.clinic.messaging.models import Notification, Participant
from otclinic.clinic.messaging.portal import portal_threads_for
from otclinic.clinic.messaging.tasks import task_complete, task_create
from tests.clinic.messaging.helpers import Team, team

pytestmark = pytest.mark.django_db


@pytest.fixture
def t() -> Team:
    return team()


def _thread(t: Team, **extra: Any) -> Any:
    return services.thread_start(
        user=t.ot, patient=t.patient, subject="Shoulder precautions", body="Please read.", **extra
    )


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _remove_url(thread: Any) -> str:
    return f"/messages/threads/{thread.pk}/participants/remove/"


def _thread_url(thread: Any) -> str:
    return f"/messages/threads/{thread.pk}/"


def test_the_starter_removes_a_person_who_loses_access_at_once_and_it_is_audited(
    t: Team,
) -> None:
    thread = _thread(t, people=[t.ota])
    ota = _client(t.ota)
    assert ota.get(_thread_url(thread)).status_code == 200
    row = Participant.objects.get(thread=thread, user=t.ota)
    removed = _client(t.ot).post(_remove_url(thread), {"user": str(t.ota.pk)})
    assert removed.status_code == 302 and removed["Location"] == _thread_url(thread)
    assert not Participant.objects.filter(thread=thread, user=t.ota).exists()
    assert ota.get(_thread_url(thread)).status_code == 404
    event = AuditEvent.objects.get(action="delete", object_id=row.pk)
    assert event.object_type == "messaging.participant"
    assert event.patient_id == t.patient.pk and str(event.actor_id) == str(t.ot.pk)
    # The "added you" notification no longer counts for them.
    assert not Notification.objects.filter(recipient=t.ota, read_at__isnull=True).exists()


def test_removing_twice_does_no_harm(t: Team) -> None:
    thread = _thread(t, people=[t.ota])
    ot = _client(t.ot)
    first = ot.post(_remove_url(thread), {"user": str(t.ota.pk)})
    second = ot.post(_remove_url(thread), {"user": str(t.ota.pk)})
    assert (first.status_code, second.status_code) == (302, 302)
    assert services.participant_remove(user=t.ot, thread=thread, person=t.ota) is None
    assert (
        AuditEvent.objects.filter(action="delete", object_type="messaging.participant").count() == 1
    )
    assert list(thread.participants.values_list("user", flat=True)) == [t.ot.pk]


def test_only_the_starter_and_clinic_admins_may_remove(t: Team) -> None:
    thread = _thread(t, people=[t.ota, t.admin, t.portal], roles=["biller"])
    for who in (t.ota, t.biller, t.portal):
        refused = _client(who).post(_remove_url(thread), {"user": str(t.ot.pk)})
        assert refused.status_code == 403, who.role
    assert Participant.objects.filter(thread=thread, user=t.ot).exists()
    page = _client(t.ota).get(_thread_url(thread)).content.decode()
    assert "participants/remove/" not in page
    admin = _client(t.admin)
    assert "participants/remove/" in admin.get(_thread_url(thread)).content.decode()
    assert admin.post(_remove_url(thread), {"user": str(t.ota.pk)}).status_code == 302
    assert not Participant.objects.filter(thread=thread, user=t.ota).exists()


def test_the_last_participant_cannot_be_removed(t: Team) -> None:
    thread = _thread(t)
    refused = _client(t.ot).post(_remove_url(thread), {"user": str(t.ot.pk)})
    assert refused.status_code == 422
    assert "last participant" in refused.content.decode()
    assert Participant.objects.filter(thread=thread, user=t.ot).exists()


def test_someone_holding_an_open_task_on_the_thread_is_kept_until_it_is_done(t: Team) -> None:
    thread = _thread(t, people=[t.ota])
    task = task_create(
        user=t.ot, title="Call the physician's office", assignee=t.ota, thread=thread
    )
    with pytest.raises(ValidationFailed) as refused:
        services.participant_remove(user=t.ot, thread=thread, person=t.ota)
    reason = refused.value.errors["participant"][0]
    assert "Call the physician's office" in reason and "open task" in reason
    page = _client(t.ot).post(_remove_url(thread), {"user": str(t.ota.pk)})
    assert page.status_code == 422 and "open task" in page.content.decode()
    task_complete(user=t.ota, task=task)
    services.participant_remove(user=t.ot, thread=thread, person=t.ota)
    assert not Participant.objects.filter(thread=thread, user=t.ota).exists()


def test_removing_a_team_ends_its_members_access_but_keeps_named_ones(t: Team) -> None:
    thread = _thread(t, roles=["biller"])
    biller = _client(t.biller)
    assert biller.get(_thread_url(thread)).status_code == 200
    assert _client(t.ot).post(_remove_url(thread), {"role": "biller"}).status_code == 302
    assert biller.get(_thread_url(thread)).status_code == 404


def test_a_team_whose_member_holds_an_open_task_is_kept(t: Team) -> None:
    thread = _thread(t, roles=["biller"])
    task_create(user=t.ot, title="Fix the claim's units", assignee=t.biller, thread=thread)
    with pytest.raises(ValidationFailed) as refused:
        services.participant_remove(user=t.ot, thread=thread, role="biller")
    assert "Fix the claim's units" in refused.value.errors["participant"][0]
    assert thread.participants.filter(role="biller").exists()


def test_a_person_still_in_through_their_team_is_refused_with_the_reason(t: Team) -> None:
    thread = _thread(t, people=[t.biller], roles=["biller"])
    with pytest.raises(ValidationFailed) as refused:
        services.participant_remove(user=t.ot, thread=thread, person=t.biller)
    assert "Biller team" in refused.value.errors["participant"][0]


def test_a_removed_portal_login_no_longer_sees_the_thread_in_the_portal(t: Team) -> None:
    thread = _thread(t, people=[t.portal])
    portal = _client(t.portal)
    url = f"/portal/patients/{t.patient.pk}/messages/{thread.pk}/"
    assert portal.get(url).status_code == 200
    assert [s.thread for s in portal_threads_for(user=t.portal, patient=t.patient)] == [thread]
    services.participant_remove(user=t.ot, thread=thread, person=t.portal)
    assert portal_threads_for(user=t.portal, patient=t.patient) == []
    assert portal.get(url).status_code in (403, 404)
    listing = portal.get(f"/portal/patients/{t.patient.pk}/messages/").content.decode()
    assert "Shoulder precautions" not in listing


def test_neither_or_both_of_person_and_team_is_refused(t: Team) -> None:
    thread = _thread(t, people=[t.ota], roles=["biller"])
    for data in ({}, {"user": str(t.ota.pk), "role": "biller"}):
        refused = _client(t.ot).post(_remove_url(thread), data)
        assert refused.status_code == 422
        assert "one person or one team" in refused.content.decode()
    assert thread.participants.count() == 3
