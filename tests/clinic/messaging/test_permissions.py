"""Who may read, join and be told about a patient's messages."""

import uuid
from typing import Any

import pytest
from django.test import Client

from otclinic.clinic.audit.models import AuditEvent
from otclinic.clinic.common.errors import NotFoundForUser, ValidationFailed
from otclinic.clinic.messaging import portal, selectors, services, tasks
from otclinic.clinic.messaging.access import why_cannot_see_thread
from otclinic.clinic.messaging.models import Message, Participant, Task
from otclinic.domain.access import ROLE_CAPABILITIES, Capability
from otclinic.domain.codes import Role
from tests.clinic import factories as f
from tests.clinic.messaging.helpers import Team, team
from tests.clinic.not_found import refusal_shape

pytestmark = pytest.mark.django_db


@pytest.fixture
def t() -> Team:
    return team()


def _thread(t: Team, **kwargs: Any) -> Any:
    values = {"people": [t.ota], "subject": "Shoulder precautions", "body": "Please read."}
    return services.thread_start(user=t.ot, patient=t.patient, **(values | kwargs))


def _page(user: Any, url: str) -> Any:
    client = Client()
    client.force_login(user)
    return client.get(url)


def _url(thread: Any) -> str:
    return f"/messages/threads/{thread.pk}/"


def test_a_participant_reads_a_thread_about_a_patient_they_may_see(t: Team) -> None:
    thread = _thread(t)
    response = _page(t.ota, _url(thread))
    assert response.status_code == 200
    assert "Please read." in response.content.decode()


def test_staff_of_the_practice_who_do_not_take_part_get_404_like_a_missing_thread(t: Team) -> None:
    thread = _thread(t)
    response = _page(t.admin, _url(thread))
    missing = _page(t.admin, f"/messages/threads/{uuid.uuid4()}/")
    assert response.status_code == missing.status_code == 404
    assert refusal_shape(response) == refusal_shape(missing)
    assert thread not in selectors.visible_threads(user=t.admin)
    assert "not one of this conversation's participants" in why_cannot_see_thread(t.admin, thread)


def test_another_practices_thread_answers_404_like_a_missing_one(t: Team) -> None:
    thread = _thread(t)
    outsider = f.staff_user(organization=f.OrganizationFactory(), role="clinic_admin")
    response = _page(outsider, _url(thread))
    assert response.status_code == 404
    assert t.patient.last_name not in response.content.decode()
    with pytest.raises(NotFoundForUser):
        selectors.thread_get_for_user(user=outsider, thread_id=thread.pk)


def test_the_billing_team_takes_part_through_its_role(t: Team) -> None:
    thread = _thread(t, people=[], roles=["biller"])
    other_biller = f.staff_user(organization=t.org, role="biller")
    assert _page(other_biller, _url(thread)).status_code == 200
    assert _page(t.ota, _url(thread)).status_code == 404


@pytest.mark.parametrize("path", ["/messages/", "/messages/tasks/", "/messages/badge/"])
def test_portal_logins_are_refused_the_staff_pages(t: Team, path: str) -> None:
    assert _page(t.portal, path).status_code == 403


def test_a_portal_login_taking_part_is_still_refused_the_staff_thread_page(t: Team) -> None:
    thread = _thread(t, people=[t.ota, t.portal])
    assert _page(t.portal, _url(thread)).status_code == 403
    assert portal.portal_thread_get(user=t.portal, patient=t.patient, thread_id=thread.pk) == thread


def test_adding_someone_who_may_not_see_the_patient_is_refused_naming_them(t: Team) -> None:
    thread = _thread(t)
    with pytest.raises(ValidationFailed) as refused:
        services.participants_add(user=t.ot, thread=thread, people=[t.ota, t.stranger])
    (reason,) = refused.value.errors["people"]
    assert reason.startswith(f"Cannot add {t.stranger.username}:")
    assert "has no active portal access to this patient" in reason
    assert not Participant.objects.filter(thread=thread, user=t.stranger).exists()


def test_the_add_people_form_answers_422_with_the_reason(t: Team) -> None:
    thread = _thread(t)
    client = Client()
    client.force_login(t.ot)
    response = client.post(
        f"/messages/threads/{thread.pk}/participants/", {"people": [str(t.stranger.pk)]}
    )
    assert response.status_code == 422
    assert "has no active portal access to this patient" in response.content.decode()


def test_starting_a_thread_with_someone_who_may_not_see_the_patient_writes_nothing(
    t: Team,
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        _thread(t, people=[t.ota, t.stranger])
    assert t.stranger.username in refused.value.errors["people"][0]
    assert not Message.objects.exists()


def test_a_deactivated_colleague_cannot_be_added_or_read(t: Team) -> None:
    thread = _thread(t)
    t.ota.is_active = False
    t.ota.save()
    assert "account is deactivated" in why_cannot_see_thread(t.ota, thread)
    assert thread not in selectors.visible_threads(user=t.ota)
    other = services.thread_start(user=t.ot, subject="Staffing", body="Friday cover?")
    with pytest.raises(ValidationFailed) as refused:
        services.participants_add(user=t.ot, thread=other, people=[t.ota])
    assert "account is deactivated" in refused.value.errors["people"][0]


def test_mentioning_someone_who_may_not_see_the_patient_refuses_the_message(t: Team) -> None:
    thread = _thread(t)
    before = Message.objects.count()
    with pytest.raises(ValidationFailed) as refused:
        services.message_post(
            user=t.ot, thread=thread, body=f"@{t.stranger.username} can you help?"
        )
    (reason,) = refused.value.errors["body"]
    assert reason.startswith(f"Cannot mention @{t.stranger.username}:")
    assert "no active portal access" in reason
    assert Message.objects.count() == before


def test_a_task_about_the_patient_for_someone_who_may_not_see_them_is_refused(t: Team) -> None:
    with pytest.raises(ValidationFailed) as refused:
        tasks.task_create(user=t.ot, title="Call back", assignee=t.stranger, patient=t.patient)
    assert refused.value.errors["assignee"][0].startswith(f"Cannot assign to {t.stranger.username}")
    assert not Task.objects.exists()


def test_a_role_without_chart_access_loses_patient_threads_and_cannot_be_added(
    t: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    thread = _thread(t, people=[t.ota, t.biller])
    without_chart = ROLE_CAPABILITIES[Role.BILLER] - {Capability.VIEW_CHART}
    monkeypatch.setitem(ROLE_CAPABILITIES, Role.BILLER, without_chart)
    assert thread not in selectors.visible_threads(user=t.biller)
    assert _page(t.biller, _url(thread)).status_code == 404
    fresh = _thread(t)
    with pytest.raises(ValidationFailed) as refused:
        services.participants_add(user=t.ot, thread=fresh, people=[t.biller])
    assert "role (Biller) may not view patient charts" in refused.value.errors["people"][0]
    with pytest.raises(ValidationFailed) as refused:
        services.participants_add(user=t.ot, thread=fresh, roles=["biller"])
    assert "The Biller role may not view patient charts" in refused.value.errors["roles"][0]


def test_a_non_participant_cannot_post_or_mark_read(t: Team) -> None:
    thread = _thread(t)
    with pytest.raises(NotFoundForUser):
        services.message_post(user=t.admin, thread=thread, body="Hello")
    with pytest.raises(NotFoundForUser):
        services.thread_mark_read(user=t.admin, thread=thread)


def test_a_portal_login_whose_access_ends_loses_the_thread(t: Team) -> None:
    thread = _thread(t, people=[t.ota, t.portal])
    assert portal.portal_threads_for(user=t.portal, patient=t.patient)[0].thread == thread
    t.portal.portal_accesses.update(revoked_on="2000-01-01")
    assert thread not in selectors.visible_threads(user=t.portal)
    with pytest.raises(NotFoundForUser):
        portal.portal_threads_for(user=t.portal, patient=t.patient)
    with pytest.raises(NotFoundForUser):
        services.message_post(user=t.portal, thread=thread, body="Still there?")


def test_opening_a_patients_thread_is_recorded_and_so_is_each_message(t: Team) -> None:
    thread = _thread(t)
    _page(t.ota, _url(thread))
    view = AuditEvent.objects.filter(action="view", detail__startswith="conversation ").get()
    assert view.patient_id == t.patient.pk
    assert str(view.actor_id) == str(t.ota.pk)
    created = AuditEvent.objects.filter(action="create", object_type="messaging.message").get()
    assert created.patient_id == t.patient.pk
    assert "body" in created.fields


def test_polling_the_open_thread_records_no_further_views(t: Team) -> None:
    thread = _thread(t)
    client = Client()
    client.force_login(t.ota)
    client.get(_url(thread))
    before = AuditEvent.objects.count()
    for _ in range(3):
        assert client.get(f"/messages/threads/{thread.pk}/messages/").status_code == 200
    assert AuditEvent.objects.count() == before
