"""Users: one login, one organization, one role."""

import uuid
from typing import ClassVar, Self

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models

from otclinic.clinic.common.models import OrgOwned
from otclinic.domain.codes import Role

ROLE_CHOICES = [(r.value, r.label) for r in Role]


class User(AbstractUser):
    """A person who signs in: staff of one organization, or a patient or caregiver (portal).

    Platform superusers have no organization; everyone else has exactly one, and a role that
    decides what they may see and do (see accounts.permissions).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    role = models.CharField(max_length=20, choices=ROLE_CHOICES, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[UserManager[Self]] = UserManager()

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_superuser=True)
                | (models.Q(organization__isnull=False) & ~models.Q(role="")),
                name="user_has_organization_and_role",
            ),
            models.CheckConstraint(
                condition=models.Q(role="") | models.Q(role__in=[r.value for r in Role]),
                name="user_role_known",
            ),
        ]

    @property
    def role_enum(self) -> Role | None:
        return Role(self.role) if self.role else None

    @property
    def is_portal_user(self) -> bool:
        return self.role in {Role.PATIENT, Role.CAREGIVER}

    @property
    def is_clinic_staff(self) -> bool:
        return bool(self.organization_id) and bool(self.role) and not self.is_portal_user

    def display_name(self) -> str:
        return self.get_full_name() or self.username


class RecoveryCode(models.Model):
    """A one-time code that stands in for the authenticator app (a lost phone).

    Only a SHA-256 digest is kept: the codes carry 79 random bits each, so the digest cannot be
    reversed by trying, and the code itself is shown once, when it is made.
    """

    id = models.BigAutoField(primary_key=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "digest"], name="recovery_code_unique")
        ]

    def __str__(self) -> str:
        return f"Recovery code made {self.created_at:%Y-%m-%d}" + (
            " (used)" if self.used_at else ""
        )


class Invitation(models.Model):
    """A link that lets a new login (staff, patient, caregiver) set its first password.

    Only a SHA-256 digest of the link's token is kept: the token itself travels once, in the
    email. A link works once (`used_at`), until `expires_at`, and only while it is the login's
    newest: inviting again stamps the earlier links `superseded_at`.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="invitation_expires_after_it_is_made",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(used_at__isnull=True, superseded_at__isnull=True),
                name="invitation_one_open_per_user",
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation {self.pk}"


class EmailStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to be sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Not sent"


class OutboundEmail(models.Model):
    """One email on its way out, sent by a background job (accounts.email).

    The body is kept only until the email is sent or given up on: it may hold a one-time link.
    `last_error` is the mail error's class name only (its text may quote an address).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    to = models.JSONField(default=list)
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=EmailStatus.choices, default=EmailStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organization", "status", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=EmailStatus.values),
                name="outbound_email_status_known",
            ),
        ]

    def __str__(self) -> str:
        return f"Email {self.pk} ({self.get_status_display()})"


class ApiScope(models.TextChoices):
    """What an API token may do, on top of what its user's role may do."""

    READ = "read", "Read"
    WRITE = "write", "Read and write"


class ApiToken(OrgOwned):
    """A key another program sends as `Authorization: Bearer <token>` to act as its user.

    Only a SHA-256 digest is kept: the token carries 256 random bits, so the digest cannot be
    reversed by trying, and the token itself is shown once, when it is made. `prefix` (the
    token's first characters) lets its owner tell tokens apart without holding the secret.
    A token acts with its user's current role and organization, limited by its scopes.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80)
    prefix = models.CharField(max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="api_token_expires_after_it_is_made",
            ),
        ]

    def __str__(self) -> str:
        return f"API token {self.prefix}… ({self.name})"

    @property
    def may_write(self) -> bool:
        return ApiScope.WRITE in self.scopes
