"""Demo conversations and tasks between the demo OT, OTA, biller, clinic admin and caregiver.

Written once per demo clinic, after the seed's rows are flushed and before its single audit
entry (bulk inserts send no per-row signals; the counts join that entry). A clinic that already
has any conversation gets none: running the seed again adds nothing.
"""

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db.models import Model

from otclinic.clinic.accounts.models import User
from otclinic.clinic.care.models import Episode, EpisodeStatus, TreatmentNote
from otclinic.clinic.demo.context import Context
from otclinic.clinic.messaging.models import (
    Mention,
    Message,
    Notification,
    NotificationKind,
    Participant,
    Task,
    Thread,
)
from otclinic.clinic.patients.models import PortalAccess
from otclinic.domain.codes import Role

M = TypeVar("M", bound=Model)

WRITE_ORDER: tuple[type[Model], ...] = (Thread, Participant, Message, Mention, Task, Notification)


@dataclass
class _Batch:
    ctx: Context
    people: dict[str, Any]
    rows: list[Model] = field(default_factory=list)
    stamps: dict[uuid.UUID, dt.datetime] = field(default_factory=dict)

    def row(self, model: type[M], **values: Any) -> M:
        obj = model(id=self.ctx.new_id(), organization_id=self.ctx.organization_id, **values)
        self.rows.append(obj)
        return obj

    def thread(self, starter: str, subject: str, at: dt.datetime, **about: Any) -> Thread:
        return self.row(
            Thread, subject=subject, started_by=self.people[starter], last_message_at=at, **about
        )

    def join(
        self, thread: Thread, *, users: tuple[str, ...] = (), roles: tuple[str, ...] = ()
    ) -> None:
        for name in users:
            self.row(Participant, thread=thread, user=self.people[name], added_by=thread.started_by)
        for role in roles:
            self.row(Participant, thread=thread, role=role, added_by=thread.started_by)

    def say(self, thread: Thread, author: str, body: str, at: dt.datetime) -> Message:
        message = self.row(Message, thread=thread, author=self.people[author], body=body)
        self.stamps[message.id] = at
        thread.last_message_at = max(thread.last_message_at, at)
        return message

    def mention(self, thread: Thread, message: Message, name: str) -> None:
        person = self.people[name]
        self.row(Mention, thread=thread, message=message, user=person)
        text = f"{message.author.display_name()} mentioned you in a message"
        link = f"/messages/threads/{thread.id}/"
        self.row(
            Notification,
            recipient=person,
            kind=NotificationKind.MENTION,
            text=text,
            link=link,
            thread=thread,
        )

    def task(self, setter: str, assignee: str, title: str, due_on: dt.date, **about: Any) -> None:
        task = self.row(
            Task,
            title=title,
            assignee=self.people[assignee],
            created_by=self.people[setter],
            due_on=due_on,
            **about,
        )
        if setter == assignee:
            return
        self.row(
            Notification,
            recipient=task.assignee,
            kind=NotificationKind.TASK,
            text=f"{task.created_by.display_name()} gave you a task, due {due_on.isoformat()}",
            link="/messages/tasks/",
            task=task,
        )


def add_conversations(ctx: Context) -> None:
    """The demo's conversations and tasks, once per clinic (see the module docstring)."""
    org = ctx.organization_id
    if Thread.objects.filter(organization_id=org).exists():
        return
    names = ("ot.demo", "ota.demo", "biller.demo", "admin.demo", "caregiver.demo")
    people = {u.username: u for u in User.objects.filter(organization_id=org, username__in=names)}
    patients = dict(
        PortalAccess.objects.filter(organization_id=org, user__username__in=names).values_list(
            "user__username", "patient_id"
        )
    )
    own = PortalAccess.objects.filter(organization_id=org, user__username="patient.demo").first()
    if len(people) < len(names) or own is None or "caregiver.demo" not in patients:
        return  # not the demo clinic as the seed builds it
    batch = _Batch(ctx, people)
    _about_the_featured_patient(batch, own.patient_id)
    _with_the_caregiver(batch, patients["caregiver.demo"])
    _team(batch)
    _write(ctx, batch)


def _moment(ctx: Context, days_ago: int, minutes: int) -> dt.datetime:
    """A moment `minutes` after 8:00, `days_ago` days ago; never later than just before now
    (a message from the future would stay unread after it is read)."""
    at = ctx.at(ctx.today - dt.timedelta(days=days_ago), 8 * 60 + minutes)
    return min(at, ctx.now - dt.timedelta(minutes=10 + days_ago))


def _about_the_featured_patient(batch: _Batch, patient_id: uuid.UUID) -> None:
    ctx = batch.ctx
    episode = Episode.objects.filter(patient_id=patient_id, status=EpisodeStatus.OPEN).first()
    note = (
        TreatmentNote.objects.filter(episode=episode, author__user=batch.people["ota.demo"])
        .exclude(status="draft")
        .order_by("-date_of_service")
        .first()
    )
    if episode is None or note is None:
        return
    thread = batch.thread(
        "ot.demo", "Grip strength goal in the note", _moment(ctx, 1, 30), note=note
    )
    thread.patient_id = patient_id
    batch.join(thread, users=("ot.demo", "ota.demo"))
    first = batch.say(
        thread,
        "ot.demo",
        "@ota.demo the goal line should give the grip target in pounds (goal 2). "
        "Could you add it as an addendum before I co-sign?",
        _moment(ctx, 1, 30),
    )
    batch.mention(thread, first, "ota.demo")
    batch.say(thread, "ota.demo", "Yes, I'll add it after my 2 pm visit.", _moment(ctx, 1, 45))
    tomorrow = ctx.today + dt.timedelta(days=1)
    batch.task(
        "ot.demo",
        "ota.demo",
        "Addendum: grip target in pounds",
        tomorrow,
        thread=thread,
        patient_id=patient_id,
        note=note,
    )
    batch.task(
        "ot.demo",
        "ot.demo",
        "Co-sign note after the addendum",
        tomorrow,
        thread=thread,
        patient_id=patient_id,
        note=note,
    )
    billing = batch.thread(
        "biller.demo", "Visits past the authorization", _moment(ctx, 2, 90), episode=episode
    )
    billing.patient_id = patient_id
    batch.join(billing, users=("biller.demo", "ot.demo"), roles=(Role.BILLER,))
    ask = batch.say(
        billing,
        "biller.demo",
        "@ot.demo the plan runs past the authorized visits. Can you finish the progress "
        "report so I can ask the payer for more?",
        _moment(ctx, 2, 90),
    )
    batch.mention(billing, ask, "ot.demo")
    batch.say(
        billing,
        "ot.demo",
        "It's due this week; I'll send it when it's signed.",
        _moment(ctx, 1, 15),
    )
    batch.task(
        "biller.demo",
        "ot.demo",
        "Progress report for the authorization request",
        ctx.today + dt.timedelta(days=3),
        thread=billing,
        patient_id=patient_id,
    )


def _with_the_caregiver(batch: _Batch, patient_id: uuid.UUID) -> None:
    ctx = batch.ctx
    thread = batch.thread("caregiver.demo", "Home exercises", _moment(ctx, 3, 600))
    thread.patient_id = patient_id
    batch.join(thread, users=("caregiver.demo", "ot.demo", "ota.demo"))
    batch.say(
        thread,
        "caregiver.demo",
        "Is it all right to do the hand exercises twice a day instead of once?",
        _moment(ctx, 3, 600),
    )
    batch.say(
        thread,
        "ot.demo",
        "Yes, twice a day is fine. Stop if the hand swells or hurts more than usual.",
        _moment(ctx, 2, 20),
    )
    batch.task(
        "admin.demo",
        "ot.demo",
        "Call the physician's office for the plan signature",
        ctx.today - dt.timedelta(days=1),
        patient_id=patient_id,
    )


def _team(batch: _Batch) -> None:
    ctx = batch.ctx
    thread = batch.thread("admin.demo", "Friday coverage", _moment(ctx, 0, 0))
    batch.join(thread, users=("admin.demo",), roles=(Role.OT, Role.OTA))
    batch.say(
        thread,
        "admin.demo",
        "The north clinic is short one OTA on Friday afternoon. Who can cover?",
        _moment(ctx, 0, 0),
    )


def _write(ctx: Context, batch: _Batch) -> None:
    for model in WRITE_ORDER:
        objs = [row for row in batch.rows if type(row) is model]
        model._default_manager.bulk_create(objs)
        ctx.rows.inserted[model._meta.label] += len(objs)
    # created_at is set at insert; the conversation's own times come after (no signals).
    for message_id, at in batch.stamps.items():
        Message.objects.filter(pk=message_id).update(created_at=at)
