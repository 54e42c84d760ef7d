"""Messages and tasks: threads between staff (and a patient's portal users), tasks, notifications.

A thread may be about a patient, or about one of the patient's records (an episode, a treatment
note or a claim), in which case it carries that patient too: who may read it depends on who may
see the patient (`messaging.access`). Rows that belong to a thread answer `patient_id` from it,
so the audit trail's model signals (audit.signals.patient_id_of) record whose messages they are.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Q

from otclinic.clinic.common.models import OrgOwned
from otclinic.domain.codes import Role

STAFF_ROLE_CHOICES = [(r.value, r.label) for r in Role if not r.is_portal]
BODY_MAX = 5000


class Thread(OrgOwned):
    """A conversation with a subject, optionally about a patient or one of their records."""

    subject = models.CharField(max_length=200)
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    episode = models.ForeignKey(
        "care.Episode", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.ForeignKey(
        "care.TreatmentNote", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    claim = models.ForeignKey(
        "revenue.Claim", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    last_message_at = models.DateTimeField()

    class Meta:
        ordering = ["-last_message_at"]
        indexes = [models.Index(fields=["organization", "-last_message_at"])]
        constraints = [
            models.CheckConstraint(condition=~Q(subject=""), name="thread_subject_not_blank"),
            models.CheckConstraint(
                condition=Q(patient__isnull=False)
                | Q(episode__isnull=True, note__isnull=True, claim__isnull=True),
                name="thread_about_a_record_names_its_patient",
            ),
            models.CheckConstraint(
                condition=Q(episode__isnull=True, note__isnull=True)
                | Q(episode__isnull=True, claim__isnull=True)
                | Q(note__isnull=True, claim__isnull=True),
                name="thread_about_at_most_one_record",
            ),
        ]

    def __str__(self) -> str:
        return f"Thread {self.pk}"

    @property
    def about(self) -> str:
        """What the thread is attached to, for headings (no patient name)."""
        if self.note_id:
            return "treatment note"
        if self.episode_id:
            return "episode of care"
        if self.claim_id:
            return "claim"
        return "patient" if self.patient_id else "team"


class _InThread(OrgOwned):
    """A row that belongs to a thread and is about the thread's patient, if any."""

    class Meta:
        abstract = True

    @property
    def patient_id(self) -> uuid.UUID | None:
        # Read by the audit signals; a thread removed by a cascading delete has no patient left.
        try:
            return self.thread.patient_id  # type: ignore[attr-defined, no-any-return]
        except ObjectDoesNotExist:
            return None


class Participant(_InThread):
    """Someone a thread is addressed to: one user, or everyone with one staff role ("billing team")."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    role = models.CharField(max_length=20, choices=STAFF_ROLE_CHOICES, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(user__isnull=False) & Q(role=""))
                | (Q(user__isnull=True) & ~Q(role="")),
                name="participant_is_a_user_or_a_role",
            ),
            models.CheckConstraint(
                condition=Q(role="") | Q(role__in=[value for value, _ in STAFF_ROLE_CHOICES]),
                name="participant_role_is_a_staff_role",
            ),
            models.UniqueConstraint(
                fields=["thread", "user"],
                condition=Q(user__isnull=False),
                name="participant_user_once_per_thread",
            ),
            models.UniqueConstraint(
                fields=["thread", "role"],
                condition=~Q(role=""),
                name="participant_role_once_per_thread",
            ),
        ]


class Message(_InThread):
    """One message in a thread: part of the record, never edited or deleted by the services."""

    thread = models.ForeignKey(Thread, on_delete=models.PROTECT, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(max_length=BODY_MAX)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["thread", "created_at"])]
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="message_body_not_blank"),
        ]


class Mention(_InThread):
    """A user named in a message with @username."""

    thread = models.ForeignKey(Thread, on_delete=models.PROTECT, related_name="+")
    message = models.ForeignKey(Message, on_delete=models.PROTECT, related_name="mentions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["message", "user"], name="mention_once_per_message"),
        ]


class ThreadRead(_InThread):
    """How far one user has read one thread: messages after `read_at` are unread for them."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="thread_read_once_per_user"),
        ]


class TaskStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"


class Task(OrgOwned):
    """Something one person has to do by a date: "co-sign note", "call the physician's office"."""

    title = models.CharField(max_length=200)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    thread = models.ForeignKey(
        Thread, on_delete=models.PROTECT, null=True, blank=True, related_name="tasks"
    )
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.ForeignKey(
        "care.TreatmentNote", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=4, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["status", "due_on", "created_at"]
        indexes = [models.Index(fields=["organization", "assignee", "status"])]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="task_title_not_blank"),
            # Also keeps the status to the two known ones.
            models.CheckConstraint(
                condition=Q(status="open", done_by__isnull=True, done_at__isnull=True)
                | Q(status="done", done_by__isnull=False, done_at__isnull=False),
                name="task_done_has_who_and_when",
            ),
            models.CheckConstraint(
                condition=Q(note__isnull=True) | Q(patient__isnull=False),
                name="task_about_a_note_names_its_patient",
            ),
        ]

    def __str__(self) -> str:
        return f"Task {self.pk}"


class NotificationKind(models.TextChoices):
    MENTION = "mention", "Mentioned in a message"
    ADDED = "added", "Added to a conversation"
    TASK = "task", "Task assigned"
    TASK_DONE = "task_done", "Task completed"
    MESSAGE = "message", "New message"


class Notification(OrgOwned):
    """A line in one user's notifications. `text` never holds PHI: no patient names, no bodies."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=NotificationKind.choices)
    text = models.CharField(max_length=200)
    link = models.CharField(max_length=200)
    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in NotificationKind]),
                name="notification_kind_known",
            ),
            models.CheckConstraint(
                condition=Q(link__startswith="/"), name="notification_link_is_a_local_path"
            ),
        ]
