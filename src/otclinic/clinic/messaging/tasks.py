"""Tasks: something one member of staff has to do, by a date, perhaps about a patient.

"Co-sign note", "call the physician's office for the signature", "answer the billing question
on claim 123". Assigning a task about a patient to someone who may not see that patient is
refused, naming them and why. The assignee is notified in the app and by e-mail (without PHI).
"""

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import organization_id_of, user_may
from otclinic.clinic.common.access import require_same_organization
from otclinic.clinic.common.errors import NotFoundForUser, ValidationFailed
from otclinic.clinic.common.services import validated_save
from otclinic.clinic.messaging.access import (
    get_visible_thread,
    why_cannot_see_patient,
    why_cannot_take_part,
)
from otclinic.clinic.messaging.models import NotificationKind, Task, TaskStatus, Thread
from otclinic.clinic.messaging.notify import notify
from otclinic.clinic.messaging.services import require_staff
from otclinic.clinic.patients.models import Patient
from otclinic.domain.access import Capability


@transaction.atomic
def task_create(
    *,
    user: User,
    title: str,
    assignee: Any,
    due_on: dt.date | None = None,
    thread: Thread | None = None,
    patient: Any = None,
    note: Any = None,
) -> Task:
    """Give `assignee` a task; about a thread's or a note's patient, or a patient directly."""
    require_staff(user)
    if thread is not None:
        patient = get_visible_thread(user, thread.pk).patient
    if note is not None:
        patient = note.episode.patient
    require_same_organization(user, patient, note)
    errors = _task_errors(user, title, assignee, due_on, patient)
    if errors:
        raise ValidationFailed(errors)
    task = validated_save(
        Task(
            organization_id=organization_id_of(user),
            title=title.strip(),
            assignee=assignee,
            created_by=user,
            thread=thread,
            patient=patient,
            note=note,
            due_on=due_on,
        )
    )
    if assignee.pk != user.pk:
        due = f", due {due_on.isoformat()}" if due_on else ""
        notify(
            recipient=assignee,
            kind=NotificationKind.TASK,
            text=f"{user.display_name()} gave you a task{due}",
            link=reverse("tasks"),
            task=task,
        )
    return task


def _task_errors(
    user: User, title: str, assignee: Any, due_on: dt.date | None, patient: Patient
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = ["Say what is to be done."]
    reason = why_cannot_take_part(assignee, organization_id_of(user))
    if reason is None and assignee.is_portal_user:
        reason = f"{assignee.display_name()} is a portal login; tasks are for staff."
    if reason is None and patient is not None:
        reason = why_cannot_see_patient(assignee, patient)
    if reason:
        errors["assignee"] = [f"Cannot assign to {assignee.username}: {reason}"]
    if due_on is not None and due_on < timezone.localdate():
        errors["due_on"] = [f"The due date cannot be in the past ({due_on.isoformat()})."]
    return errors


def may_complete(user: User, task: Task) -> bool:
    """The assignee, whoever set the task, and the clinic admin (who sees the team's tasks)."""
    return user.pk in {task.assignee_id, task.created_by_id} or user_may(
        user, Capability.MANAGE_STAFF
    )


@transaction.atomic
def task_complete(*, user: User, task: Task) -> Task:
    """Mark a task done, once: completing a done task again changes nothing."""
    require_staff(user)
    task = Task.objects.select_for_update().get(pk=task.pk)
    if not may_complete(user, task):
        raise PermissionDenied("your role may not complete someone else's task")
    if task.status == TaskStatus.DONE:
        return task
    task.status, task.done_by, task.done_at = TaskStatus.DONE, user, timezone.now()
    validated_save(task)
    if task.created_by_id != user.pk:
        notify(
            recipient=task.created_by,
            kind=NotificationKind.TASK_DONE,
            text=f"{user.display_name()} completed a task you set",
            link=reverse("tasks"),
            task=task,
        )
    return task


def tasks_for_user(*, user: User, status: str = TaskStatus.OPEN) -> QuerySet[Task]:
    """The user's own tasks, soonest due first (undated last)."""
    require_staff(user)
    return _tasks(user).filter(assignee=user, status=status)


def team_tasks_for_user(*, user: User) -> QuerySet[Task]:
    """Every open task of the practice, for the clinic admin."""
    require_staff(user)
    if not user_may(user, Capability.MANAGE_STAFF):
        raise PermissionDenied("your role may not view the team's tasks")
    return _tasks(user).filter(status=TaskStatus.OPEN)


def tasks_set_by_user(*, user: User) -> QuerySet[Task]:
    require_staff(user)
    return _tasks(user).filter(created_by=user, status=TaskStatus.OPEN).exclude(assignee=user)


def _tasks(user: User) -> QuerySet[Task]:
    from django.db.models import F

    return (
        Task.objects.for_org(user.organization_id)
        .select_related("assignee", "created_by", "patient", "thread", "note")
        .order_by(F("due_on").asc(nulls_last=True), "created_at")
    )


def task_get_for_user(*, user: User, task_id: uuid.UUID | str) -> Task:
    """A task of the user's practice (404 otherwise) that they may complete (403 otherwise)."""
    require_staff(user)
    try:
        task = _tasks(user).get(pk=task_id)
    except (Task.DoesNotExist, ValueError) as exc:
        raise NotFoundForUser("no such task") from exc
    if not may_complete(user, task):
        raise PermissionDenied("your role may not change someone else's task")
    return task
