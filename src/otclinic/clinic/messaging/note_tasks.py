"""Tasks that follow a treatment note through co-signature, without the care app knowing.

- A note waiting for co-signature gives the author's supervising OT (or fieldwork educator) a
  task "Co-sign note"; answering a return (the note goes back to waiting) closes the author's
  task "Answer the co-signer's comments".
- A note returned with comments closes the co-sign task and gives the author a task to answer
  with an addendum.
- A co-signed note closes the co-sign task.

The care services change the note's status; these receivers of the note's own save signals
(connected in MessagingConfig.ready) follow the transition, so the care app needs no call into
messaging. Neither the co-signature rules (`rules/supervision_cosign.yaml` and the payer and state
rules it cites) nor a payer sets a deadline for co-signing, so these tasks carry no due date. Bulk
writes (the demo seed) send no signals and make no tasks.
"""

from typing import Any

from django.db.models import QuerySet
from django.db.models.signals import post_save, pre_save
from django.urls import reverse
from django.utils import timezone

from otclinic.clinic.accounts.models import User
from otclinic.clinic.audit.context import current_actor
from otclinic.clinic.care.models import NoteStatus, TreatmentNote
from otclinic.clinic.messaging.models import NotificationKind, Task, TaskStatus
from otclinic.clinic.messaging.notify import notify

COSIGN_TITLE = "Co-sign note"
ANSWER_TITLE = "Answer the co-signer's comments with an addendum"


def connect() -> None:
    pre_save.connect(_remember_status, sender=TreatmentNote, dispatch_uid="messaging_note_pre")
    post_save.connect(_follow_status, sender=TreatmentNote, dispatch_uid="messaging_note_post")


def _remember_status(sender: Any, instance: TreatmentNote, raw: bool, **kwargs: Any) -> None:
    if raw or instance._state.adding:
        instance._messaging_old_status = None  # type: ignore[attr-defined]
        return
    old = sender.objects.filter(pk=instance.pk).values_list("status", flat=True).first()
    instance._messaging_old_status = old  # type: ignore[attr-defined]


def _follow_status(sender: Any, instance: TreatmentNote, raw: bool, **kwargs: Any) -> None:
    old = getattr(instance, "_messaging_old_status", None)
    if raw or old == instance.status:
        return
    note_status_changed(note=instance)


def note_status_changed(*, note: TreatmentNote) -> None:
    """Open or close the note's co-signature tasks for the status it now has."""
    author = note.author.user
    supervising_ot = note.author.supervising_ot
    supervisor = supervising_ot.user if supervising_ot is not None else None
    actor = _actor() or supervisor or author
    if note.status == NoteStatus.COSIGN_PENDING:
        _close(note, ANSWER_TITLE, by=actor)
        if supervisor is not None:
            _open(note, COSIGN_TITLE, assignee=supervisor, by=author)
    elif note.status == NoteStatus.RETURNED:
        _close(note, COSIGN_TITLE, by=actor)
        _open(note, ANSWER_TITLE, assignee=author, by=supervisor or actor)
    elif note.status == NoteStatus.COSIGNED:
        _close(note, COSIGN_TITLE, by=actor)


def _actor() -> User | None:
    from django.contrib.auth import get_user_model

    user_id = current_actor().user_id
    return get_user_model().objects.filter(pk=user_id).first() if user_id else None


def _open_tasks(note: TreatmentNote, title: str) -> QuerySet[Task]:
    return Task.objects.filter(note=note, title=title, status=TaskStatus.OPEN)


def _open(note: TreatmentNote, title: str, *, assignee: Any, by: Any) -> None:
    if _open_tasks(note, title).exists():
        return
    task = Task.objects.create(
        organization_id=note.organization_id,
        title=title,
        assignee=assignee,
        created_by=by,
        note=note,
        patient_id=note.episode.patient_id,
    )
    notify(
        recipient=assignee,
        kind=NotificationKind.TASK,
        text=f"New task: {title.lower()}",
        link=reverse("note-detail", kwargs={"note_id": note.pk}),
        task=task,
    )


def _close(note: TreatmentNote, title: str, *, by: Any) -> None:
    for task in _open_tasks(note, title):
        task.status, task.done_by, task.done_at = TaskStatus.DONE, by, timezone.now()
        task.save(update_fields=["status", "done_by", "done_at", "updated_at"])
