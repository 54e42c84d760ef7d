"""Writes of the SMART side: registering and revoking clients, spending an assertion's jti,
recording each token issued."""

import datetime as dt
import json
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from jwcrypto import jwk
from jwcrypto.common import JWException
from oauth2_provider.models import AccessToken, Application, RefreshToken
from oauth2_provider.settings import oauth2_settings

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import organization_id_of, require, user_may
from otclinic.clinic.audit.context import Actor, current_actor
from otclinic.clinic.audit.models import AuditAction
from otclinic.clinic.audit.services import audit_record
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.patients.access import portal_grants
from otclinic.clinic.smart.models import ClientKind, SmartClient, UsedAssertion
from otclinic.domain.access import Capability
from otclinic.domain.fhir import smart as rules

_KEY_TYPES = {"RSA", "EC"}


def _scopes_checked(kind: str, scopes: Iterable[str]) -> list[str]:
    chosen = sorted({s.strip() for s in scopes if s.strip()})
    system = kind == ClientKind.BACKEND
    wrong = [s for s in chosen if not rules.scope_fits(s, system=system)]
    if wrong or not chosen:
        allowed = (
            "system/... (read)"
            if system
            else "patient/..., user/..., launch/patient, openid or fhirUser"
        )
        refused = f"; not {', '.join(wrong)}" if wrong else ""
        problems = [f"Give {allowed} scopes{refused}."]
        if system and any(rules.scope_writes(s) for s in wrong):
            problems.append(
                "A backend service only reads: every record written names the person who "
                "wrote it. Register an app a member of staff launches to write."
            )
        raise ValidationFailed({"scopes": problems})
    _identity_checked(chosen)
    return chosen


def _identity_checked(scopes: list[str]) -> None:
    """`openid` and `fhirUser` only while this server issues id_tokens, `fhirUser` with
    `openid`."""
    identity = sorted(rules.IDENTITY_SCOPES.intersection(scopes))
    if identity and not oauth2_settings.OIDC_ENABLED:
        off = f"This server issues no id_token (SMART_OPENID is off): not {', '.join(identity)}."
        raise ValidationFailed({"scopes": [off]})
    problem = rules.identity_problem(scopes)
    if problem:
        raise ValidationFailed({"scopes": [problem]})


def _jwks_checked(jwks: str | dict[str, Any] | None) -> dict[str, Any]:
    """A JWK Set of public RSA or EC keys, as pasted at registration."""
    problem = {"jwks": ['Paste the service\'s public keys as a JWK Set ({"keys": [...]}).']}
    try:
        keyset = json.loads(jwks) if isinstance(jwks, str) else jwks
        parsed = jwk.JWKSet.from_json(json.dumps(keyset))
    except (JWException, ValueError, TypeError):
        raise ValidationFailed(problem) from None
    keys = list(parsed["keys"])
    if not keys or any(k.get("kty") not in _KEY_TYPES or k.has_private for k in keys):
        problem["jwks"].append("Only public RSA or EC keys (never the private key).")
        raise ValidationFailed(problem)
    return {"keys": [json.loads(k.export_public()) for k in keys]}


def _redirects_checked(kind: str, redirect_uris: str) -> str:
    uris = redirect_uris.split()
    if kind == ClientKind.APP and not uris:
        raise ValidationFailed({"redirect_uris": ["An app needs at least one redirect URI."]})
    return " ".join(uris)


@transaction.atomic
def client_register(
    *,
    user: User,
    kind: str,
    name: str,
    scopes: Iterable[str],
    redirect_uris: str = "",
    jwks: str | dict[str, Any] | None = None,
) -> SmartClient:
    """Register an app or a backend service for the admin's organization."""
    require(user, Capability.MANAGE_STAFF)
    if kind not in ClientKind.values:
        raise ValidationFailed({"kind": ["Choose an app or a backend service."]})
    if not name.strip():
        raise ValidationFailed({"name": ["Name the app."]})
    checked_scopes = _scopes_checked(kind, scopes)
    keys = _jwks_checked(jwks) if kind == ClientKind.BACKEND else {}
    application = Application(
        name=name.strip()[:80],
        user=user,
        client_type=(
            Application.CLIENT_CONFIDENTIAL
            if kind == ClientKind.BACKEND
            else Application.CLIENT_PUBLIC
        ),
        authorization_grant_type=(
            Application.GRANT_CLIENT_CREDENTIALS
            if kind == ClientKind.BACKEND
            else Application.GRANT_AUTHORIZATION_CODE
        ),
        redirect_uris=_redirects_checked(kind, redirect_uris),
        # An app given `openid` gets id_tokens signed with the server's RSA key (RS256).
        algorithm=(
            Application.RS256_ALGORITHM if "openid" in checked_scopes else Application.NO_ALGORITHM
        ),
    )
    try:
        application.full_clean(exclude=["client_secret"])
    except Exception as exc:  # noqa: BLE001 (Django's ValidationError: shown on the form)
        raise ValidationFailed({"redirect_uris": [str(exc)]}) from None
    application.save()
    return SmartClient.objects.create(
        organization_id=organization_id_of(user),
        application=application,
        kind=kind,
        name=application.name,
        scopes=checked_scopes,
        jwks=keys,
        registered_by=user,
    )


@transaction.atomic
def client_revoke(*, user: User, client_id: uuid.UUID) -> SmartClient:
    """Revoke a client of the admin's organization: its tokens stop working at once."""
    require(user, Capability.MANAGE_STAFF)
    client = SmartClient.objects.for_org(organization_id_of(user)).get(pk=client_id)
    if client.revoked_at is None:
        client.revoked_at = timezone.now()
        client.save(update_fields=["revoked_at", "updated_at"])
        RefreshToken.objects.filter(application=client.application).delete()
        AccessToken.objects.filter(application=client.application).delete()
    return client


def assertion_use(*, client: SmartClient, jti: str, expires_at: dt.datetime) -> None:
    """Spend an assertion's jti; AssertionRefused when the client used it before."""
    UsedAssertion.objects.filter(client=client, expires_at__lt=timezone.now()).delete()
    try:
        with transaction.atomic():
            UsedAssertion.objects.create(
                organization_id=client.organization_id,
                client=client,
                jti=jti[:200],
                expires_at=expires_at,
            )
    except IntegrityError:
        raise rules.AssertionRefused("this jti was used before") from None


def token_issued(*, client: SmartClient, user: User | None, scopes: str) -> None:
    """One audit entry per access token issued: the client, the user (none for a backend
    service) and the scopes granted."""
    ip = current_actor().ip_address
    if user is not None:
        actor = Actor(user.pk, user.role, client.organization_id, ip)
    else:
        actor = Actor(None, "smart-client", client.organization_id, ip)
    audit_record(
        action=AuditAction.CREATE,
        object_type="smart.accesstoken",
        object_id=client.pk,
        organization_id=client.organization_id,
        detail=f"token for {client.kind} {client.application.client_id}: {scopes}",
        actor=actor,
    )


def launch_patient(*, user: User | None, scopes: list[str]) -> uuid.UUID | None:
    """The patient a portal login reaches, when it reaches exactly one and the token carries a
    `patient/` scope (or `launch/patient`); None otherwise."""
    if user is None or user_may(user, Capability.USE_API):
        return None
    if not any(s == "launch/patient" or s.startswith("patient/") for s in scopes):
        return None
    patients = {grant.patient.pk for grant in portal_grants(user)}
    return patients.pop() if len(patients) == 1 else None
