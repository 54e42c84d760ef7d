"""Tasks: assigning, completing once, the page with overdue tasks and the team's tasks."""

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client

from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.jobs.worker import run_queued_tasks
from otclinic.clinic.messaging import services, tasks
from otclinic.clinic.messaging.models import Notification, Task
from tests.clinic import factories as f
from tests.clinic.messaging.helpers import Team, team

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 2)


@pytest.fixture
def t() -> Any:
    with time_machine.travel(dt.datetime(2026, 3, 2, 15, 0, tzinfo=dt.UTC), tick=False):
        yield team()


def _task(t: Team, **overrides: Any) -> Task:
    values = {
        "user": t.ot,
        "title": "Call the physician's office for the signature",
        "assignee": t.ota,
        "due_on": TODAY + dt.timedelta(days=2),
        "patient": t.patient,
        **overrides,
    }
    return tasks.task_create(**values)


def test_the_assignee_is_notified_and_emailed_without_phi(
    t: Team, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        task = _task(t, title=f"Call {t.patient.last_name}'s physician")
    notification = Notification.objects.get(recipient=t.ota, task=task)
    assert notification.text == f"{t.ot.display_name()} gave you a task, due 2026-03-04"
    run_queued_tasks()
    (email,) = mail.outbox
    assert email.to == [t.ota.email]
    assert email.subject == "You have a new task in otclinic"
    assert t.patient.last_name not in email.subject + email.body


def test_a_task_from_a_thread_carries_its_patient(t: Team) -> None:
    thread = services.thread_start(
        user=t.ot, note=f.TreatmentNoteFactory(episode=t.episode), subject="Note", body="See"
    )
    task = _task(t, patient=None, thread=thread, title="Co-sign note")
    assert task.patient == t.patient
    assert thread.patient == t.patient


def test_a_due_date_in_the_past_and_an_empty_title_are_refused_by_field(t: Team) -> None:
    with pytest.raises(ValidationFailed) as refused:
        _task(t, title="  ", due_on=TODAY - dt.timedelta(days=1))
    assert refused.value.errors["title"] == ["Say what is to be done."]
    assert refused.value.errors["due_on"] == ["The due date cannot be in the past (2026-03-01)."]


def test_a_task_is_completed_once_and_whoever_set_it_is_told(t: Team) -> None:
    task = _task(t)
    done = tasks.task_complete(user=t.ota, task=task)
    assert (done.status, done.done_by) == ("done", t.ota)
    first_done_at = done.done_at
    again = tasks.task_complete(user=t.ota, task=task)
    assert again.done_at == first_done_at
    assert Notification.objects.filter(recipient=t.ot, kind="task_done").count() == 1


def test_only_the_assignee_the_setter_or_the_clinic_admin_may_complete(t: Team) -> None:
    task = _task(t)
    with pytest.raises(PermissionDenied):
        tasks.task_complete(user=t.biller, task=task)
    client = Client()
    client.force_login(t.biller)
    assert client.post(f"/messages/tasks/{task.pk}/done/").status_code == 403
    assert tasks.task_complete(user=t.admin, task=task).status == "done"


def test_my_tasks_show_the_overdue_ones_first_and_marked(t: Team) -> None:
    with time_machine.travel(dt.datetime(2026, 3, 2, 15, 0, tzinfo=dt.UTC), tick=False):
        _task(t, title="Later task", due_on=TODAY + dt.timedelta(days=5))
        _task(t, title="Soon task")
    with time_machine.travel(dt.datetime(2026, 3, 5, 15, 0, tzinfo=dt.UTC), tick=False):
        client = Client()
        client.force_login(t.ota)
        html = client.get("/messages/tasks/").content.decode()
    assert html.index("Soon task") < html.index("Later task")
    soon_row = html[html.rindex("<tr", 0, html.index("Soon task")) : html.index("Later task")]
    assert 'class="overdue"' in soon_row
    assert "overdue</span>" in soon_row
    later_row = html[html.index("Later task") :]
    assert "overdue</span>" not in later_row.split("</tr>")[0]


def test_the_team_tasks_are_the_clinic_admins(t: Team) -> None:
    _task(t, title="Team visible task")
    admin, ot = Client(), Client()
    admin.force_login(t.admin)
    ot.force_login(t.biller)
    assert "Team tasks" in admin.get("/messages/tasks/").content.decode()
    assert "Team visible task" in admin.get("/messages/tasks/").content.decode()
    biller_page = ot.get("/messages/tasks/").content.decode()
    assert "Team tasks" not in biller_page
    assert "Team visible task" not in biller_page
    with pytest.raises(PermissionDenied):
        tasks.team_tasks_for_user(user=t.biller)


def test_the_task_form_refuses_an_assignee_who_may_not_see_the_patient_on_the_thread(
    t: Team,
) -> None:
    thread = services.thread_start(user=t.ot, patient=t.patient, subject="Fall", body="Call?")
    client = Client()
    client.force_login(t.ot)
    response = client.post(
        f"/messages/threads/{thread.pk}/tasks/",
        {"title": "Call back", "assignee": str(t.stranger.pk), "due_on": ""},
    )
    assert response.status_code == 422
    assert f"Cannot assign to {t.stranger.username}" in response.content.decode()
    assert not Task.objects.exists()


def test_marking_done_from_the_page(t: Team) -> None:
    task = _task(t)
    client = Client()
    client.force_login(t.ota)
    response = client.post(f"/messages/tasks/{task.pk}/done/")
    assert response["Location"] == "/messages/tasks/"
    task.refresh_from_db()
    assert task.status == "done"
