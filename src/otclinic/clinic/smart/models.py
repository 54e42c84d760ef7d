"""A SMART client registered by a clinic admin, and the Backend Services assertions used.

The OAuth side of a client (its client_id, redirect URIs, grant, tokens) is
django-oauth-toolkit's Application; a SmartClient ties it to one organization and says what
it may be granted.
"""

from django.conf import settings
from django.db import models

from otclinic.clinic.common.models import OrgOwned


class ClientKind(models.TextChoices):
    """SMART App Launch (a public app a person signs in to), or Backend Services (a system)."""

    APP = "app", "App a person launches (authorization code + PKCE)"
    BACKEND = "backend", "Backend service (client credentials, signed JWT)"


class SmartClient(OrgOwned):
    application = models.OneToOneField(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL,
        on_delete=models.CASCADE,
        related_name="smart_client",
    )
    kind = models.CharField(max_length=10, choices=ClientKind.choices)
    name = models.CharField(max_length=80)
    # The scopes it may be granted (`patient/*.rs`, `system/Patient.rs`, `launch/patient`).
    scopes = models.JSONField(default=list)
    # Backend Services: the public keys its assertions are signed with (a JWK Set).
    jwks = models.JSONField(default=dict, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=ClientKind.values), name="smart_client_kind_known"
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="backend") | ~models.Q(jwks={}),
                name="smart_backend_client_has_keys",
            ),
        ]

    def __str__(self) -> str:
        return f"SMART client {self.name}"


class UsedAssertion(OrgOwned):
    """A Backend Services assertion's `jti`, kept until the assertion expires: a second use
    of the same jti by the same client is refused."""

    client = models.ForeignKey(SmartClient, on_delete=models.CASCADE, related_name="+")
    jti = models.CharField(max_length=200)
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "jti"], name="smart_assertion_jti_once"),
        ]
