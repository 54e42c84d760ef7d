"""Messages and tasks over the JSON API: the pages' forms, selectors and services."""

import json
import uuid
from typing import Any

import pytest
from django.test import Client

from otclinic.clinic.accounts import api_tokens
from otclinic.clinic.messaging import services
from otclinic.clinic.messaging.models import Message, TaskStatus, Thread
from otclinic.clinic.messaging.tasks import task_create
from tests.clinic import factories as f
from tests.clinic.revenue.remittance.helpers import make_claim

pytestmark = pytest.mark.django_db

API = "/api/v1"


def token(user: Any) -> dict[str, str]:
    _row, secret = api_tokens.token_create(
        user=user, name="t", scopes=["read", "write"], lifetime_days=30
    )
    return {"Authorization": f"Bearer {secret}"}


def post(client: Client, url: str, body: Any, headers: dict[str, str]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json", headers=headers)


@pytest.fixture
def org() -> Any:
    return f.OrganizationFactory()


def test_a_biller_starts_a_thread_about_a_claim_and_the_ot_reads_and_replies(
    client: Client, org: Any
) -> None:
    biller = f.staff_user(organization=org, role="biller")
    ot = f.staff_user(organization=org, role="OT")
    claim = make_claim(organization=org)
    started = post(
        client,
        f"{API}/threads/",
        {
            "subject": "Denied 97530",
            "body": "Please check the note",
            "claim_id": str(claim.pk),
            "people": [str(ot.pk)],
        },
        token(biller),
    )
    assert started.status_code == 201, started.content
    thread = started.json()
    assert (thread["claim_id"], thread["patient_id"]) == (str(claim.pk), str(claim.patient_id))
    assert [m["body"] for m in thread["messages"]] == ["Please check the note"]
    ot_token = token(ot)
    (row,) = client.get(f"{API}/threads/", headers=ot_token).json()
    assert (row["id"], row["unread"]) == (thread["id"], 1)
    assert client.get(f"{API}/threads/{thread['id']}", headers=ot_token).status_code == 200
    assert client.get(f"{API}/threads/", headers=ot_token).json()[0]["unread"] == 0
    reply = post(client, f"{API}/threads/{thread['id']}/messages", {"body": "Fixed."}, ot_token)
    assert reply.status_code == 201
    assert Message.objects.filter(thread_id=thread["id"]).count() == 2


def test_people_the_form_would_not_offer_are_422_on_people(client: Client, org: Any) -> None:
    stranger = f.staff_user(organization=f.OrganizationFactory(), role="OT")
    answer = post(
        client,
        f"{API}/threads/",
        {"subject": "Hi", "body": "Hello", "people": [str(stranger.pk)]},
        token(f.staff_user(organization=org, role="biller")),
    )
    assert answer.status_code == 422
    assert list(answer.json()["errors"]) == ["people"]
    assert not Thread.objects.exists()


def test_a_mention_of_someone_unknown_is_422_on_body(client: Client, org: Any) -> None:
    ot = f.staff_user(organization=org, role="OT")
    thread = services.thread_start(user=ot, subject="S", body="B")
    answer = post(
        client, f"{API}/threads/{thread.pk}/messages", {"body": "@nobody_here hi"}, token(ot)
    )
    assert answer.status_code == 422
    assert list(answer.json()["errors"]) == ["body"]


def test_another_organizations_thread_is_404_and_gets_no_message(client: Client, org: Any) -> None:
    other = f.staff_user(organization=f.OrganizationFactory(), role="OT")
    thread = services.thread_start(user=other, subject="S", body="B")
    headers = token(f.staff_user(organization=org, role="OT"))
    assert client.get(f"{API}/threads/{thread.pk}", headers=headers).status_code == 404
    answer = post(client, f"{API}/threads/{thread.pk}/messages", {"body": "hello"}, headers)
    assert answer.status_code == 404
    assert thread.messages.count() == 1
    assert client.get(f"{API}/threads/", headers=headers).json() == []


def test_tasks_are_listed_and_completed_once(client: Client, org: Any) -> None:
    ot = f.staff_user(organization=org, role="OT")
    ota = f.staff_user(organization=org, role="OTA")
    task = task_create(user=ot, title="Call the physician", assignee=ota)
    headers = token(ota)
    (listed,) = client.get(f"{API}/tasks/", headers=headers).json()
    assert listed["id"] == str(task.pk)
    done = post(client, f"{API}/tasks/{task.pk}/complete", {}, headers)
    assert done.status_code == 200
    assert done.json()["status"] == TaskStatus.DONE
    assert client.get(f"{API}/tasks/", headers=headers).json() == []
    assert [
        t["id"] for t in client.get(f"{API}/tasks/", {"status": "done"}, headers=headers).json()
    ] == [str(task.pk)]
    assert post(client, f"{API}/tasks/{task.pk}/complete", {}, headers).status_code == 200


def test_someone_elses_task_is_403_and_another_organizations_404(client: Client, org: Any) -> None:
    ot = f.staff_user(organization=org, role="OT")
    task = task_create(user=ot, title="Call", assignee=f.staff_user(organization=org, role="OTA"))
    bystander = token(f.staff_user(organization=org, role="biller"))
    assert post(client, f"{API}/tasks/{task.pk}/complete", {}, bystander).status_code == 403
    foreign = token(f.staff_user(organization=f.OrganizationFactory(), role="clinic_admin"))
    assert post(client, f"{API}/tasks/{task.pk}/complete", {}, foreign).status_code == 404
    assert post(client, f"{API}/tasks/{uuid.uuid4()}/complete", {}, foreign).status_code == 404
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN
