"""Who is calling the FHIR server, and what they may read: `fhir_caller(request) -> FhirAccess`.
(The writes recognise a SMART token with `smart_token` and `smart_user` too: write_access.)

Every FHIR endpoint (read, search, and later bulk export) authorizes through this one function:

- `Authorization: Bearer <access token>`: a SMART token (django-oauth-toolkit, clinic.smart).
  A token issued to a person's app reads as that person (`fhir_access` with the token's
  scopes: `user/` scopes for staff, `patient/` and `user/` scopes for portal logins, both
  within what the login reaches); a Backend Services token reads every patient of the
  client's organization for the types its `system/` scopes name. An expired, revoked or
  unknown token, or one whose client was revoked, is NotSignedIn (401, `Bearer`): a bearer
  header never falls through to the session.
- `Authorization: Bearer otc_...`: an otclinic API token (as /api/v1/), read as its user; a
  method other than GET needs the token's write scope.
- Otherwise the browser's session, or HTTP basic for staff (as /api/v1/): the role's reach.

Raises NotSignedIn (answer 401 with `WWW-Authenticate: <challenge>`) or PermissionDenied (403).
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja.errors import AuthenticationError
from oauth2_provider.oauth2_backends import get_oauthlib_core

from otclinic.clinic.accounts.api_auth import ClinicBasicAuth, ClinicTokenAuth
from otclinic.clinic.accounts.api_tokens import TOKEN_PREFIX
from otclinic.clinic.accounts.client_address import client_address
from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import user_may
from otclinic.clinic.audit.context import Actor, actor_adopt
from otclinic.clinic.audit.reads import saw
from otclinic.clinic.fhir.access import FhirAccess, fhir_access, fhir_access_for_system
from otclinic.clinic.smart.models import SmartClient
from otclinic.clinic.smart.oauth import client_of
from otclinic.domain.access import Capability
from otclinic.domain.fhir import smart as rules

REALM = 'realm="otclinic FHIR"'


class NotSignedIn(Exception):
    """No caller (401). `challenge` is the WWW-Authenticate header's value."""

    def __init__(self, message: str = "", *, challenge: str = "") -> None:
        super().__init__(message or "sign in (a SMART access token, session or HTTP basic)")
        self.challenge = challenge or f"Basic {REALM}, Bearer {REALM}"


def _bearer_refused(description: str) -> NotSignedIn:
    return NotSignedIn(
        description,
        challenge=f'Bearer {REALM}, error="invalid_token", error_description="{description}"',
    )


def fhir_caller(request: HttpRequest) -> FhirAccess:
    """The caller's FhirAccess (organization, user or client, scopes); see the module."""
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer":
        if secret.strip().startswith(TOKEN_PREFIX):
            user = _api_token_user(request)
        else:
            return _token_access(request)
    else:
        user = _signed_in_user(request)
    if user.organization_id is None:
        raise PermissionDenied("your account belongs to no organization")
    return fhir_access(organization_id=user.organization_id, user=user, scopes=None)


def _api_token_user(request: HttpRequest) -> User:
    """The user of an otclinic API token (`otc_...`, as /api/v1/): a GET reads; other methods
    need the token's write scope. An unknown or revoked token is 401 (never the session)."""
    try:
        found = ClinicTokenAuth(read_only=request.method in ("GET", "HEAD"))(request)
    except AuthenticationError:
        raise _bearer_refused("the API token is expired, revoked or unknown") from None
    if found is None:
        raise _bearer_refused("the API token is expired, revoked or unknown")
    return found


def _signed_in_user(request: HttpRequest) -> User:
    """The signed-in user (session), or the one HTTP basic names (staff only, as the API)."""
    user = getattr(request, "user", None)
    if isinstance(user, User) and user.is_authenticated:
        return user
    if request.headers.get("Authorization"):
        found = ClinicBasicAuth()(request)
        if isinstance(found, User):
            return found
    raise NotSignedIn


def smart_token(request: HttpRequest) -> tuple[Any, SmartClient]:
    """The request's SMART access token and its client's registration; NotSignedIn (401) for
    an expired, revoked or unknown token, or one whose client was revoked."""
    valid, oauth_request = get_oauthlib_core().verify_request(request, scopes=[])
    token: Any = getattr(oauth_request, "access_token", None) if valid else None
    client = client_of(token.application) if token is not None else None
    if token is None or client is None:
        raise _bearer_refused("the access token is expired, revoked or unknown")
    return token, client


def smart_user(request: HttpRequest, token: Any, client: SmartClient) -> User:
    """The person a launched app's token acts for, made the request's user and audit actor
    (each entry's detail naming the client); 401 when they left the client's organization."""
    user: User = token.user
    if not user.is_active or user.organization_id != client.organization_id:
        raise _bearer_refused("the access token is not valid for this organization")
    request.user = user
    actor_adopt(user, client_address(request), via=by_client(token))
    return user


def by_client(token: Any) -> str:
    """The audit detail of what a token does."""
    return f"by SMART client {token.application.client_id}"


def _token_access(request: HttpRequest) -> FhirAccess:
    token, client = smart_token(request)
    granted = frozenset(token.scope.split())
    saw([], by_client(token))
    if token.user is None:
        request.audit_actor = Actor(  # type: ignore[attr-defined]
            None, "smart-client", client.organization_id, client_address(request)
        )
        return fhir_access_for_system(
            organization_id=client.organization_id,
            scopes=in_contexts(granted, "system"),
            client_id=client.pk,
        )
    user = smart_user(request, token, client)
    return fhir_access(
        organization_id=client.organization_id,
        user=user,
        scopes=in_contexts(granted, *token_contexts(user)),
    )


def token_contexts(user: User) -> tuple[str, ...]:
    """The scope contexts a person's token acts in: `user/` for staff (a staff member's app
    has no patient in context, so `patient/` scopes grant it nothing); both for portal logins."""
    return ("user",) if user_may(user, Capability.USE_API) else ("patient", "user")


def in_contexts(scopes: frozenset[str], *contexts: str) -> frozenset[str]:
    """The resource scopes of the given contexts (`system`, `user`, `patient`)."""
    kept = set()
    for scope in scopes:
        parsed = rules.parse_scope(scope)
        if parsed is not None and parsed.context in contexts:
            kept.add(scope)
    return frozenset(kept)
