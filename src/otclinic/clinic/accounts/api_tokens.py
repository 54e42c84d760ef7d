"""API tokens: made and revoked by their user, looked up by the API's bearer authentication.

A token is `otc_` and 43 URL-safe characters (256 random bits); only its SHA-256 digest is
stored, so neither the database nor a backup gives a working token away. Tokens are never
logged: the audit trail names a token by its id and prefix only.
"""

import datetime as dt
import hashlib
import secrets
import uuid
from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from otclinic.clinic.accounts.models import ApiScope, ApiToken, User
from otclinic.clinic.accounts.permissions import organization_id_of, require
from otclinic.clinic.audit.models import AuditAction
from otclinic.clinic.audit.services import audit_record
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.domain.access import Capability

TOKEN_PREFIX = "otc_"  # noqa: S105 (a marker that names the kind of secret, not a secret)
PREFIX_SHOWN = 12
# What a user may choose for a token's life, in days; a token never lives for ever.
LIFETIMES = (30, 90, 365)
# `last_used_at` is written at most this often per token, not on every call.
LAST_USED_GRANULARITY = dt.timedelta(minutes=1)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _scopes_checked(scopes: Iterable[str]) -> list[str]:
    chosen = set(scopes)
    unknown = sorted(chosen - set(ApiScope.values))
    if unknown or not chosen:
        known = ", ".join(ApiScope.values)
        raise ValidationFailed({"scopes": [f"Choose one or more of: {known}."]})
    # Writing implies reading: a write token can read what it writes.
    if ApiScope.WRITE in chosen:
        chosen.add(ApiScope.READ)
    return sorted(chosen)


@transaction.atomic
def token_create(
    *, user: User, name: str, scopes: Iterable[str], lifetime_days: int
) -> tuple[ApiToken, str]:
    """Make a token for `user`: the row and the secret, which is shown once and kept nowhere."""
    require(user, Capability.USE_API)
    name = name.strip()
    if not name:
        raise ValidationFailed({"name": ["Name the token after the program that will use it."]})
    if lifetime_days not in LIFETIMES:
        choices = ", ".join(str(days) for days in LIFETIMES)
        raise ValidationFailed({"lifetime_days": [f"Choose {choices} days."]})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        organization_id=organization_id_of(user),
        user=user,
        name=name[:80],
        prefix=secret[:PREFIX_SHOWN],
        digest=_digest(secret),
        scopes=_scopes_checked(scopes),
        expires_at=now + dt.timedelta(days=lifetime_days),
    )
    _audit(token, AuditAction.CREATE, fields=["name", "scopes", "expires_at"])
    return token, secret


@transaction.atomic
def token_revoke(*, user: User, token_id: uuid.UUID) -> ApiToken:
    """Revoke one of `user`'s own tokens (at once, for every call after this one); idempotent."""
    token = ApiToken.objects.select_for_update().get(pk=token_id, user=user)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        _audit(token, AuditAction.UPDATE, fields=["revoked_at"])
    return token


def tokens_for_user(*, user: User) -> QuerySet[ApiToken]:
    """The user's own tokens, newest first (revoked and expired ones too, marked so)."""
    return ApiToken.objects.filter(user=user)


def token_authenticate(secret: str) -> ApiToken | None:
    """The live token whose secret this is (not revoked, not expired, its user active), or None.

    Marks the token used, at most once a minute."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=_digest(secret), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if token.user.organization_id != token.organization_id:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_GRANULARITY:
        # A plain queryset: the time a token was last used is bookkeeping, not a change the
        # audit trail records (OrgQuerySet.update would write an entry each minute).
        QuerySet(ApiToken).filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def _audit(token: ApiToken, action: AuditAction, *, fields: list[str]) -> None:
    audit_record(
        action=action,
        object_type="accounts.apitoken",
        object_id=token.pk,
        organization_id=token.organization_id,
        fields=fields,
        detail=f"API token {token.prefix}",
    )
