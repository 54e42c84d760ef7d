"""Users: one login, one organization, one role."""

import uuid
from typing import ClassVar, Self

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models

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
