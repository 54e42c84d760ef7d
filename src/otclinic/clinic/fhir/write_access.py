"""Who may write which FHIR types: one function of (organization, user or client, scopes).

`write_access` is the one door every FHIR write goes through, as `fhir_access` is for reads.
The callers of today are staff by session (with its CSRF token) or by API token with the
`write` scope (accounts.ApiToken); they pass no SMART scopes and write what their role writes
on the pages. A SMART token will pass its scopes (`user/ServiceRequest.c`, `system/*.cu`), and
`request_write_access` is where its kind of login is to be recognised.
"""

import re
import uuid
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.middleware.csrf import CsrfViewMiddleware
from ninja.errors import AuthenticationError

from otclinic.clinic.accounts.api_auth import ClinicTokenAuth
from otclinic.clinic.accounts.api_tokens import TOKEN_PREFIX
from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.fhir.access import FhirAccess, fhir_access
from otclinic.clinic.fhir.auth import NotSignedIn
from otclinic.domain.access import Capability

Interaction = Literal["c", "u"]  # create, update (the SMART v2 letters)

# The capability the page that writes the same record requires.
WRITE_CAPABILITY: dict[str, Capability] = {
    "Patient": Capability.EDIT_DEMOGRAPHICS,
    "Coverage": Capability.EDIT_COVERAGE,
    "Appointment": Capability.SCHEDULE,
    "ServiceRequest": Capability.INTAKE_REFERRAL,
}

_SCOPE = re.compile(r"^(patient|user|system)/(\*|[A-Za-z]+)\.(write|\*|[cruds]+)$")


def scopes_allow(
    scopes: frozenset[str] | None, resource_type: str, interaction: Interaction
) -> bool:
    """Whether SMART scopes allow `interaction` on `resource_type` (None: not limited).

    v1 `write` and `*` allow both; the v2 letters must include `c` (create) or `u` (update)."""
    if scopes is None:
        return True
    for scope in scopes:
        match = _SCOPE.match(scope)
        if match is None or match.group(2) not in {"*", resource_type}:
            continue
        verbs = match.group(3)
        if verbs in {"write", "*"} or interaction in verbs:
            return True
    return False


def write_access(
    *,
    organization_id: uuid.UUID,
    user: Any,
    scopes: frozenset[str] | None,
    resource_type: str,
    interaction: Interaction,
) -> FhirAccess:
    """The caller's reach for one write; PermissionDenied (403) for a portal login, a role
    the page would refuse, or scopes without the interaction."""
    access = fhir_access(organization_id=organization_id, user=user, scopes=None)
    if not access.staff:
        raise PermissionDenied("only the practice's staff write FHIR resources")
    if not scopes_allow(scopes, resource_type, interaction):
        raise PermissionDenied(f"the token's scopes do not allow this on {resource_type}")
    capability = WRITE_CAPABILITY.get(resource_type)
    if capability is None:
        raise PermissionDenied(f"{resource_type} is read-only on this server")
    require(user, capability)
    return access


def request_writer(request: HttpRequest) -> tuple[User, frozenset[str] | None]:
    """Who writes: a bearer API token with the write scope, or the browser's session with
    its CSRF token. HTTP basic may only read (a browser replays it to any page: accounts.api_auth)."""
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    scheme = scheme.lower()
    if scheme == "bearer" and not secret.strip().startswith(TOKEN_PREFIX):
        raise PermissionDenied("SMART access tokens do not write yet: use an otclinic API token")
    if scheme == "bearer":
        try:
            user = ClinicTokenAuth()(request)
        except AuthenticationError as exc:  # no live token by that secret
            raise NotSignedIn from exc
        if user is None:
            raise NotSignedIn
        return user, None
    if scheme == "basic":
        raise PermissionDenied("HTTP basic may only read: write with an API token (Bearer)")
    user = getattr(request, "user", None)
    if not (isinstance(user, User) and user.is_authenticated):
        raise NotSignedIn
    refused = CsrfViewMiddleware(lambda r: None).process_view(request, _needs_csrf, (), {})  # type: ignore[arg-type]
    if refused is not None:
        raise PermissionDenied("a session's write needs its CSRF token")
    return user, None


def _needs_csrf(request: HttpRequest) -> None:
    """A stand-in view without `csrf_exempt`, so the CSRF check runs for sessions."""


def request_write_access(
    request: HttpRequest, *, resource_type: str, interaction: Interaction
) -> FhirAccess:
    """The one function a FHIR write asks: who the request is, and may they do this."""
    user, scopes = request_writer(request)
    if user.organization_id is None:
        raise PermissionDenied("your account belongs to no organization")
    return write_access(
        organization_id=user.organization_id,
        user=user,
        scopes=scopes,
        resource_type=resource_type,
        interaction=interaction,
    )
