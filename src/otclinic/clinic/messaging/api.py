"""Messages and tasks over the JSON API: the caller's threads, one thread (read, as opening it
on the page marks it read), a new thread, a reply; the caller's tasks and completing one.

The same forms, selectors and services as the messaging pages: a thread another organization's
or one the caller may not read is 404, people the form would not offer are 422 on `people`, a
mention of someone unknown is 422 on `body`. Portal logins never reach the API.
"""

import datetime as dt
import uuid
from typing import Any

from ninja import Field, Router, Schema, Status

from otclinic.clinic.accounts.http import AuthenticatedHttpRequest
from otclinic.clinic.common.api_schemas import FieldProblems
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.messaging import selectors, services, tasks
from otclinic.clinic.messaging.forms import ThreadForm
from otclinic.clinic.messaging.models import BODY_MAX, TaskStatus, Thread
from otclinic.clinic.patients.selectors import patient_get_for_user
from otclinic.clinic.revenue.selectors import claim_get_for_user

threads_router = Router(tags=["messages"])
tasks_router = Router(tags=["tasks"])

THREAD_LIMIT = 100


class ThreadOut(Schema):
    id: uuid.UUID
    subject: str
    patient_id: uuid.UUID | None
    episode_id: uuid.UUID | None
    note_id: uuid.UUID | None
    claim_id: uuid.UUID | None
    started_by_id: uuid.UUID
    last_message_at: dt.datetime


class ThreadRowOut(ThreadOut):
    unread: int


class MessageOut(Schema):
    id: uuid.UUID
    author_id: uuid.UUID
    body: str
    created_at: dt.datetime


class ParticipantOut(Schema):
    user_id: uuid.UUID | None
    role: str


class ThreadDetailOut(ThreadOut):
    participants: list[ParticipantOut]
    messages: list[MessageOut]

    @staticmethod
    def resolve_participants(thread: Thread) -> list[Any]:
        return selectors.participants_of(thread=thread)

    @staticmethod
    def resolve_messages(thread: Thread) -> list[Any]:
        return list(selectors.messages_of(thread=thread))


class ThreadIn(Schema):
    subject: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=BODY_MAX)
    # What the thread is about: a patient, or a claim (which carries its patient); one at most.
    patient_id: uuid.UUID | None = None
    claim_id: uuid.UUID | None = None
    people: list[uuid.UUID] = Field(default_factory=list, max_length=50)
    # Teams by role ("biller": the billing team).
    roles: list[str] = Field(default_factory=list, max_length=10)


class MessageIn(Schema):
    # Checked by the service once the thread is found (another organization's id is 404
    # whatever the body holds): empty or longer than BODY_MAX is 422 on `body`.
    body: str = ""


class TaskOut(Schema):
    id: uuid.UUID
    title: str
    assignee_id: uuid.UUID
    created_by_id: uuid.UUID
    thread_id: uuid.UUID | None
    patient_id: uuid.UUID | None
    note_id: uuid.UUID | None
    due_on: dt.date | None
    status: str
    done_at: dt.datetime | None


@threads_router.get("/", response=list[ThreadRowOut])
def thread_list(
    request: AuthenticatedHttpRequest, patient_id: uuid.UUID | None = None, limit: int = 50
) -> Any:
    """The caller's threads, the latest message first, with their unread counts; one
    patient's with `patient_id`."""
    services.require_staff(request.user)
    patient = None
    if patient_id is not None:
        patient = patient_get_for_user(user=request.user, patient_id=patient_id)
    summaries = selectors.thread_summaries(
        user=request.user, patient=patient, limit=min(max(limit, 1), THREAD_LIMIT)
    )
    return [
        ThreadRowOut(**ThreadOut.model_validate(s.thread).model_dump(), unread=s.unread)
        for s in summaries
    ]


def _about(request: AuthenticatedHttpRequest, payload: ThreadIn) -> dict[str, Any]:
    if payload.claim_id is not None:
        return {"claim": claim_get_for_user(user=request.user, claim_id=payload.claim_id)}
    if payload.patient_id is not None:
        return {"patient": patient_get_for_user(user=request.user, patient_id=payload.patient_id)}
    return {}


@threads_router.post("/", response={201: ThreadDetailOut, 422: FieldProblems})
def thread_start(request: AuthenticatedHttpRequest, payload: ThreadIn) -> Any:
    """Start a thread (about a patient or a claim) with people and teams, and its first message."""
    services.require_staff(request.user)
    if payload.claim_id is not None and payload.patient_id is not None:
        return Status(422, {"errors": {"claim_id": ["A thread is about one record at most."]}})
    about = _about(request, payload)
    patient = about["claim"].patient if "claim" in about else about.get("patient")
    data = payload.dict()
    data["people"] = [str(p) for p in payload.people]
    form = ThreadForm(data, user=request.user, patient=patient)
    if not form.is_valid():
        return Status(422, {"errors": {k: list(v) for k, v in form.errors.items()}})
    try:
        thread = services.thread_start(
            user=request.user,
            subject=form.cleaned_data["subject"],
            body=form.cleaned_data["body"],
            people=form.cleaned_data["people"],
            roles=form.cleaned_data["roles"],
            **about,
        )
    except ValidationFailed as exc:
        return Status(422, {"errors": exc.errors})
    return Status(201, thread)


@threads_router.get("/{thread_id}", response=ThreadDetailOut)
def thread_get(request: AuthenticatedHttpRequest, thread_id: uuid.UUID) -> Any:
    """One thread with its participants and messages; reading it marks it read, as opening
    it on the page does."""
    services.require_staff(request.user)
    thread = selectors.thread_get_for_user(user=request.user, thread_id=thread_id)
    services.thread_mark_read(user=request.user, thread=thread)
    return thread


@threads_router.post("/{thread_id}/messages", response={201: MessageOut, 422: FieldProblems})
def message_send(
    request: AuthenticatedHttpRequest, thread_id: uuid.UUID, payload: MessageIn
) -> Any:
    """Reply in a thread; @username mentions notify (and add) people, as on the page."""
    services.require_staff(request.user)
    thread = selectors.thread_get_for_user(
        user=request.user, thread_id=thread_id, record_view=False
    )
    try:
        message = services.message_post(user=request.user, thread=thread, body=payload.body)
    except ValidationFailed as exc:
        return Status(422, {"errors": exc.errors})
    return Status(201, message)


@tasks_router.get("/", response=list[TaskOut])
def task_list(request: AuthenticatedHttpRequest, status: TaskStatus = TaskStatus.OPEN) -> Any:
    """The caller's own tasks, soonest due first (undated last): open ones, or `status=done`."""
    return list(tasks.tasks_for_user(user=request.user, status=status)[:THREAD_LIMIT])


@tasks_router.post("/{task_id}/complete", response=TaskOut)
def task_complete(request: AuthenticatedHttpRequest, task_id: uuid.UUID) -> Any:
    """Mark a task done (its assignee, whoever set it, or the clinic admin); once done, doing
    it again changes nothing."""
    task = tasks.task_get_for_user(user=request.user, task_id=task_id)
    return tasks.task_complete(user=request.user, task=task)
