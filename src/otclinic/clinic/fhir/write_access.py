"""Who may write which FHIR types: one function of (organization, user, scopes).

`write_access` is the one door every FHIR write goes through, as `fhir_access` is for reads.
The callers: staff by session (with its CSRF token), by API token with the `write` scope
(accounts.ApiToken), or by the SMART access token of an app they launched, whose `user/`
scopes must name the interaction too (`user/ServiceRequest.c`, `user/Patient.cu`, v1
`user/*.write`). Each writes what their role writes on the pages (WRITE_CAPABILITY), never
more. A Backend Services token (no person) does not write: the services record a person as
the author of each row, and this server does not make one up for a client (403).
"""

import uuid
from dataclasses import dataclass
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.middleware.csrf import CsrfViewMiddleware
from ninja.errors import AuthenticationError

from otclinic.clinic.accounts.api_auth import ClinicTokenAuth
from otclinic.clinic.accounts.api_tokens import TOKEN_PREFIX
from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import user_may
from otclinic.clinic.fhir.access import FhirAccess, fhir_access
from otclinic.clinic.fhir.auth import NotSignedIn, in_contexts, smart_token, smart_user
from otclinic.domain.access import Capability
from otclinic.domain.fhir import smart as rules

Interaction = Literal["c", "u"]  # create, update (the SMART v2 letters)

# The capability the page that writes the same record requires.
WRITE_CAPABILITY: dict[str, Capability] = {
    "Patient": Capability.EDIT_DEMOGRAPHICS,
    "Coverage": Capability.EDIT_COVERAGE,
    "Appointment": Capability.SCHEDULE,
    "ServiceRequest": Capability.INTAKE_REFERRAL,
}

SYSTEM_WRITES_REFUSED = (
    "a backend service does not write on this server: every row written names the person who "
    "wrote it, and a client is not a person. Write with an app a staff member launches "
    "(user/ scopes) or with an otclinic API token"
)
_VERBS = {"c": "create", "u": "update"}


def scopes_allow(
    scopes: frozenset[str] | None, resource_type: str, interaction: Interaction
) -> bool:
    """Whether SMART scopes allow `interaction` on `resource_type` (None: not limited).

    v1 `write` and `*` allow both; the v2 letters must include `c` (create) or `u` (update)."""
    if scopes is None:
        return True
    for scope in scopes:
        parsed = rules.parse_scope(scope)
        if (
            parsed is not None
            and parsed.resource in {"*", resource_type}
            and interaction in parsed.verbs
        ):
            return True
    return False


@dataclass(frozen=True)
class Writer:
    """Who writes: a member of staff, and the `user/` scopes of their app's token (None: a
    session or an API token, limited by the role alone)."""

    user: User
    scopes: frozenset[str] | None


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
    access = writer_access(organization_id=organization_id, user=user)
    entry_allowed(Writer(user, scopes), resource_type, interaction)
    return access


def writer_access(*, organization_id: uuid.UUID, user: Any) -> FhirAccess:
    """The reach of someone who writes (their role's, whatever their token reads); 403 for a
    portal login or a user of another organization."""
    access = fhir_access(organization_id=organization_id, user=user, scopes=None)
    if not access.staff:
        raise PermissionDenied("only the practice's staff write FHIR resources")
    return access


def entry_allowed(writer: Writer, resource_type: str, interaction: Interaction) -> None:
    """Whether this writer may make this one write (a request, or one entry of a Bundle):
    their token's scopes must name it, and their role must have what the page requires;
    PermissionDenied (403) naming what is missing otherwise."""
    capability = WRITE_CAPABILITY.get(resource_type)
    if capability is None:
        raise PermissionDenied(f"{resource_type} is read-only on this server")
    if not scopes_allow(writer.scopes, resource_type, interaction):
        raise PermissionDenied(
            f"the token's scopes do not allow {_VERBS[interaction]} on {resource_type}: "
            f"it needs user/{resource_type}.{interaction} (or user/{resource_type}.write)"
        )
    if not user_may(writer.user, capability):
        raise PermissionDenied(
            f"your role may not {_VERBS[interaction]} {resource_type} "
            f"(the page requires {capability.value})"
        )


def request_writer(request: HttpRequest) -> Writer:
    """Who writes: a SMART access token of a person's app, a bearer API token with the write
    scope, or the browser's session with its CSRF token. HTTP basic may only read (a browser
    replays it to any page: accounts.api_auth)."""
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    scheme = scheme.lower()
    if scheme == "bearer" and not secret.strip().startswith(TOKEN_PREFIX):
        return _smart_writer(request)
    if scheme == "bearer":
        try:
            user = ClinicTokenAuth()(request)
        except AuthenticationError as exc:  # no live token by that secret
            raise NotSignedIn from exc
        if user is None:
            raise NotSignedIn
        return Writer(user, None)
    if scheme == "basic":
        raise PermissionDenied("HTTP basic may only read: write with an API token (Bearer)")
    user = getattr(request, "user", None)
    if not (isinstance(user, User) and user.is_authenticated):
        raise NotSignedIn
    refused = CsrfViewMiddleware(lambda r: None).process_view(request, _needs_csrf, (), {})  # type: ignore[arg-type]
    if refused is not None:
        raise PermissionDenied("a session's write needs its CSRF token")
    return Writer(user, None)


def _smart_writer(request: HttpRequest) -> Writer:
    """The person whose app's token this is, with its `user/` scopes (a staff member's app
    has no patient in context: `patient/` scopes write nothing); 403 for a backend service."""
    token, client = smart_token(request)
    if token.user is None:
        raise PermissionDenied(SYSTEM_WRITES_REFUSED)
    user = smart_user(request, token, client)
    return Writer(user, in_contexts(frozenset(token.scope.split()), "user"))


def _needs_csrf(request: HttpRequest) -> None:
    """A stand-in view without `csrf_exempt`, so the CSRF check runs for sessions."""


def request_write_access(
    request: HttpRequest, *, resource_type: str, interaction: Interaction
) -> FhirAccess:
    """The one function a FHIR write asks: who the request is, and may they do this."""
    writer = request_writer(request)
    access = writer_access_of(writer)
    entry_allowed(writer, resource_type, interaction)
    return access


def writer_access_of(writer: Writer) -> FhirAccess:
    """`writer_access` of a request's writer (403 for an account of no organization)."""
    if writer.user.organization_id is None:
        raise PermissionDenied("your account belongs to no organization")
    return writer_access(organization_id=writer.user.organization_id, user=writer.user)
