"""Writes for conversations: start a thread, post a message, add participants, mark read.

Every write checks that its author may read the thread (messaging.access: a thread they may
not read is answered like a missing one, 404) and refuses, naming
the person and the reason, anyone added, mentioned or written to who may not see the thread's
patient. Each runs in one transaction: a refusal leaves nothing half-written. Rows are recorded
in the audit trail by the model signals (with the thread's patient).

`message_post` and `thread_mark_read` serve staff and portal users alike; the portal's own
entry points are in `messaging.portal`.
"""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import organization_id_of
from otclinic.clinic.common.access import require_same_organization
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.common.services import validated_save
from otclinic.clinic.messaging.access import (
    get_visible_thread,
    participant_rows,
    readers_of,
    why_cannot_see_patient,
    why_cannot_take_part,
    why_role_cannot_see_patient,
)
from otclinic.clinic.messaging.mentions import mentioned_usernames
from otclinic.clinic.messaging.models import (
    BODY_MAX,
    STAFF_ROLE_CHOICES,
    Mention,
    Message,
    Notification,
    NotificationKind,
    Participant,
    TaskStatus,
    Thread,
    ThreadRead,
)
from otclinic.clinic.messaging.notify import notify
from otclinic.domain.codes import Role

STAFF_ROLES = frozenset(value for value, _ in STAFF_ROLE_CHOICES)


def require_staff(user: User) -> None:
    """Refuse (403) portal users and anyone without an organization and a staff role."""
    if not getattr(user, "is_clinic_staff", False) or not user.is_active:
        raise PermissionDenied("your role may not use the staff messages")


def thread_link(thread: Thread, person: Any = None) -> str:
    """Where `person` reads the thread: the staff page, or the portal for a portal login."""
    if person is None or not person.is_portal_user:
        return reverse("thread-detail", kwargs={"thread_id": thread.pk})
    try:
        kwargs = {"patient_id": thread.patient_id, "thread_id": thread.pk}
        return reverse("portal-thread", kwargs=kwargs)
    except NoReverseMatch:
        return reverse("portal-home")


@transaction.atomic
def thread_start(
    *,
    user: User,
    subject: str,
    body: str,
    patient: Any = None,
    episode: Any = None,
    note: Any = None,
    claim: Any = None,
    people: Iterable[Any] = (),
    roles: Iterable[str] = (),
) -> Thread:
    """A staff member starts a thread, optionally about a patient or one of their records.

    A thread about an episode, note or claim carries that record's patient. The starter is a
    participant; `people` (users) and `roles` (e.g. "biller" for the billing team) are added,
    each refused with its reason when they may not see the patient.
    """
    require_staff(user)
    record = episode or note or claim
    if sum(r is not None for r in (episode, note, claim)) > 1:
        raise ValidationFailed({"subject": ["A thread is about one record at most."]})
    if record is not None:
        patient = note.episode.patient if note is not None else record.patient
    require_same_organization(user, patient, record)
    if patient is not None:
        reason = why_cannot_see_patient(user, patient)
        if reason:
            raise PermissionDenied(f"your role may not write about this patient: {reason}")
    thread = validated_save(
        Thread(
            organization_id=organization_id_of(user),
            subject=subject.strip(),
            patient=patient,
            episode=episode,
            note=note,
            claim=claim,
            started_by=user,
            last_message_at=timezone.now(),
        )
    )
    Participant.objects.create(
        organization_id=thread.organization_id, thread=thread, user=user, added_by=user
    )
    _add(user, thread, list(people), list(roles))
    message_post(user=user, thread=thread, body=body)
    return thread


@transaction.atomic
def participants_add(
    *, user: User, thread: Thread, people: Iterable[Any] = (), roles: Iterable[str] = ()
) -> list[Participant]:
    """Add people and roles to a thread; those already in it are left as they are."""
    require_staff(user)
    _require_reader(user, thread)
    return _add(user, thread, list(people), list(roles))


def _add(user: User, thread: Thread, people: list[Any], roles: list[str]) -> list[Participant]:
    errors: dict[str, list[str]] = {}
    for person in people:
        reason = _why_not_addable(person, thread)
        if reason:
            errors.setdefault("people", []).append(f"Cannot add {person.username}: {reason}")
    for role in roles:
        reason = why_role_cannot_see_patient(role) if thread.patient_id else None
        if role not in STAFF_ROLES:
            reason = f"{role!r} is not a staff role; add patients and caregivers by name."
        if reason:
            errors.setdefault("roles", []).append(f"Cannot add the role {role}: {reason}")
    if errors:
        raise ValidationFailed(errors)
    added = [_add_person(user, thread, person) for person in people]
    added += [_add_role(user, thread, role) for role in roles]
    return [row for row in added if row is not None]


def _why_not_addable(person: User, thread: Thread) -> str | None:
    if thread.patient is not None:
        return why_cannot_see_patient(person, thread.patient)
    reason = why_cannot_take_part(person, thread.organization_id)
    if reason is None and person.is_portal_user:
        reason = f"{person.display_name()} (@{person.username}) is a portal login; "
        reason += "portal logins take part only in conversations about their patient."
    return reason


def _add_person(user: User, thread: Thread, person: User) -> Participant | None:
    if thread.participants.filter(user=person).exists():
        return None
    row = Participant.objects.create(
        organization_id=thread.organization_id, thread=thread, user=person, added_by=user
    )
    if person.pk != user.pk:
        notify(
            recipient=person,
            kind=NotificationKind.ADDED,
            text=f"{user.display_name()} added you to a conversation",
            link=thread_link(thread, person),
            thread=thread,
        )
    return row


def _add_role(user: User, thread: Thread, role: str) -> Participant | None:
    if thread.participants.filter(role=role).exists():
        return None
    return Participant.objects.create(
        organization_id=thread.organization_id, thread=thread, role=role, added_by=user
    )


def _require_reader(user: Any, thread: Thread) -> None:
    """A thread the user may not read is answered like a missing one (messaging.access)."""
    get_visible_thread(user, thread.pk)


@transaction.atomic
def message_post(*, user: User, thread: Thread, body: str) -> Message:
    """Post a message (staff or portal user); @mentions notify and, if needed, add people.

    Mentions are read in staff messages only (a portal user cannot look up staff usernames).
    A mention of someone unknown or who may not see the thread's patient refuses the message.
    """
    _require_reader(user, thread)
    text = body.strip()
    if not text:
        raise ValidationFailed({"body": ["Write a message."]})
    if len(text) > BODY_MAX:
        raise ValidationFailed({"body": [f"Keep a message under {BODY_MAX} characters."]})
    mentioned = [] if user.is_portal_user else _mentioned_users(thread, text)
    message = validated_save(
        Message(organization_id=thread.organization_id, thread=thread, author=user, body=text)
    )
    for person in mentioned:
        _mention(user, thread, message, person)
    _notify_new_message(user, thread)
    thread.last_message_at = message.created_at
    thread.save(update_fields=["last_message_at", "updated_at"])
    thread_mark_read(user=user, thread=thread)
    return message


def _notify_new_message(author: Any, thread: Thread) -> None:
    """Tell the thread's other readers in the app (no e-mail) that there is a new message.

    Without spamming: someone who still has an unread notification about this thread (of any
    kind, this one included) gets no second one; opening the thread reads them all.
    """
    for person in readers_of(thread):
        if person.pk == author.pk:
            continue
        if Notification.objects.filter(
            recipient=person, thread=thread, read_at__isnull=True
        ).exists():
            continue
        # A portal author's name is a patient's (or their caregiver's): never in the text.
        who = "Someone in the portal" if author.is_portal_user else author.display_name()
        notify(
            recipient=person,
            kind=NotificationKind.MESSAGE,
            text=f"{who} wrote a new message in a conversation",
            link=thread_link(thread, person),
            thread=thread,
        )


def _mentioned_users(thread: Thread, text: str) -> list[Any]:
    names = mentioned_usernames(text)
    if not names:
        return []
    named = Q()
    for name in names:
        named |= Q(username__iexact=name)
    users = get_user_model().objects.filter(named, organization_id=thread.organization_id)
    found = {u.username.lower(): u for u in users}
    errors = []
    people = []
    for name in names:
        person = found.get(name.lower())
        reason = _why_not_addable(person, thread) if person else "no one here signs in as that."
        if reason:
            errors.append(f"Cannot mention @{name}: {reason}")
        else:
            people.append(person)
    if errors:
        raise ValidationFailed({"body": errors})
    return people


def _mention(user: User, thread: Thread, message: Message, person: User) -> None:
    Mention.objects.create(
        organization_id=thread.organization_id, thread=thread, message=message, user=person
    )
    if person.pk == user.pk:
        return
    if not participant_rows(person).filter(thread=thread).exists():
        Participant.objects.create(
            organization_id=thread.organization_id, thread=thread, user=person, added_by=user
        )
    notify(
        recipient=person,
        kind=NotificationKind.MENTION,
        text=f"{user.display_name()} mentioned you in a message",
        link=thread_link(thread, person),
        thread=thread,
    )


@transaction.atomic
def thread_mark_read(*, user: User, thread: Thread) -> None:
    """Everything in the thread so far is read by `user`, with its notifications.

    Writes only when there is something new, so the open thread's polling adds no rows.
    """
    _require_reader(user, thread)
    now = timezone.now()
    seen = ThreadRead.objects.filter(thread=thread, user=user).first()
    if seen is None:
        ThreadRead.objects.create(
            organization_id=thread.organization_id, thread=thread, user=user, read_at=now
        )
    elif seen.read_at < thread.last_message_at:
        seen.read_at = now
        seen.save(update_fields=["read_at", "updated_at"])
    for row in Notification.objects.filter(recipient=user, thread=thread, read_at__isnull=True):
        row.read_at = now
        row.save(update_fields=["read_at", "updated_at"])


@transaction.atomic
def notification_mark_read(*, user: User, notification: Notification) -> None:
    """One of the user's own notifications is read (once)."""
    if notification.recipient_id != user.pk:
        raise PermissionDenied("your role may not read someone else's notifications")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at", "updated_at"])


@transaction.atomic
def notifications_mark_all_read(*, user: User) -> int:
    """Every unread notification of the user is read; how many were."""
    rows = list(Notification.objects.filter(recipient=user, read_at__isnull=True))
    for row in rows:
        notification_mark_read(user=user, notification=row)
    return len(rows)


def may_remove_participants(user: User, thread: Thread) -> bool:
    """The thread's starter and the practice's clinic admins manage who is in a thread."""
    if user.is_portal_user or user.organization_id != thread.organization_id:
        return False
    return user.pk == thread.started_by_id or user.role == Role.CLINIC_ADMIN


@transaction.atomic
def participant_remove(
    *, user: User, thread: Thread, person: Any = None, role: str = ""
) -> Participant | None:
    """Take a person (by name) or a team (by role) out of a thread; they lose access at once.

    Only the starter and clinic admins who can read the thread may. Refused, with the reason,
    for the last remaining participant, for a person who would still read the thread as a
    member of a team in it, and while someone who would lose access holds an open task on the
    thread (the task is named: reassign or finish it first). Removing someone who is no longer
    in the thread does nothing (None). The delete is recorded in the audit trail by the model
    signals; the removed person's unread notifications about the thread are marked read.
    """
    require_staff(user)
    _require_reader(user, thread)
    if not may_remove_participants(user, thread):
        raise PermissionDenied(
            "only the conversation's starter or a clinic admin may remove participants"
        )
    if (person is None) == (not role):
        raise ValidationFailed({"participant": ["Choose one person or one team to remove."]})
    rows = thread.participants.select_for_update()
    row = rows.filter(user=person).first() if person is not None else rows.filter(role=role).first()
    if row is None:
        return None
    field = "participant"
    if thread.participants.count() <= 1:
        raise ValidationFailed(
            {field: ["This is the conversation's last participant; a conversation needs one."]}
        )
    if person is not None and person.role and thread.participants.filter(role=person.role).exists():
        raise ValidationFailed(
            {
                field: [
                    f"{person.display_name()} (@{person.username}) would still read this"
                    f" conversation as a member of the {Role(person.role).label} team in it;"
                    " remove the team as well."
                ]
            }
        )
    losing = _losing_access(thread, row)
    task = (
        thread.tasks.filter(status=TaskStatus.OPEN, assignee__in=losing)
        .select_related("assignee")
        .first()
    )
    if task is not None:
        raise ValidationFailed(
            {
                field: [
                    f"{task.assignee.display_name()} (@{task.assignee.username}) holds the open"
                    f" task \u201c{task.title}\u201d on this conversation; reassign it or mark it"
                    " done first."
                ]
            }
        )
    row.delete()
    now = timezone.now()
    for notification in Notification.objects.filter(
        recipient__in=losing, thread=thread, read_at__isnull=True
    ):
        notification.read_at = now
        notification.save(update_fields=["read_at", "updated_at"])
    return row


def _losing_access(thread: Thread, row: Participant) -> list[Any]:
    """Who reads the thread only through `row`: its person, or its team's unnamed members."""
    if row.user_id is not None:
        return [row.user]
    named = thread.participants.filter(user__isnull=False).values("user_id")
    members = get_user_model().objects.filter(organization_id=thread.organization_id, role=row.role)
    return list(members.exclude(pk__in=named))
