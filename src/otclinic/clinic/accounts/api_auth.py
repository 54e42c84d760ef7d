"""API authentication: a clinic staff member, by API token (bearer), session or HTTP basic;
and the API's throttle.

Which login may write:
- an API token with the `write` scope (a browser never sends a bearer token by itself, so a
  token needs no CSRF check);
- the browser's session, with its CSRF token;
- never HTTP basic: a browser replays cached basic credentials to any page that asks, so a
  write by basic would be open to cross-site request forgery. Basic is for reads.
"""

from django.contrib.auth import authenticate
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBasicAuth, HttpBearer, SessionAuth
from ninja.throttling import SimpleRateThrottle

from otclinic.clinic.accounts import api_tokens, second_factor
from otclinic.clinic.accounts.client_address import client_address
from otclinic.clinic.accounts.models import ApiToken, User
from otclinic.clinic.accounts.permissions import user_may
from otclinic.clinic.accounts.throttle import rate_of
from otclinic.clinic.audit.context import actor_adopt
from otclinic.domain.access import Capability


def _staff_or_none(user: AbstractBaseUser | AnonymousUser | None) -> User | None:
    """The user when their role uses the API; None (401) when nobody signed in.

    A signed-in user whose role may not use the API (a portal account) is refused with 403,
    so that the answer says what is wrong rather than asking them to sign in again.
    """
    if isinstance(user, User) and user_may(user, Capability.USE_API):
        return user
    if getattr(user, "is_authenticated", False):
        raise PermissionDenied("your role may not use the API")
    return None


_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _writes(request: HttpRequest) -> bool:
    return request.method not in _SAFE_METHODS


class ClinicTokenAuth(HttpBearer):
    """`Authorization: Bearer <API token>`, for other programs (accounts.api_tokens).

    The token acts as its user, with the user's current role and organization; a write (any
    method but GET, HEAD and OPTIONS) needs the token's `write` scope, unless the operation
    is declared read-only (`ClinicTokenAuth(read_only=True)`: a check that computes and saves
    nothing). A bearer header that names no live token is 401 at once: the other logins are
    not tried, so that a revoked token never falls through to a session."""

    def __init__(self, *, read_only: bool = False) -> None:
        super().__init__()
        self.read_only = read_only

    def __call__(self, request: HttpRequest) -> User | None:
        # ninja's HttpBearer logs a header of another scheme when DEBUG is on: a basic
        # password. Read the header here and log nothing.
        scheme, _, secret = request.headers.get(self.header, "").partition(" ")
        if scheme.lower() != self.openapi_scheme:
            return None
        return self.authenticate(request, secret.strip())

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        found = api_tokens.token_authenticate(token)
        if found is None:
            raise AuthenticationError
        user = _staff_or_none(found.user)
        if user is None:
            raise AuthenticationError
        if _writes(request) and not self.read_only and not found.may_write:
            raise PermissionDenied("this API token may only read: it lacks the write scope")
        _signed_in(request, user, token=found)
        return user


def _signed_in(request: HttpRequest, user: User, *, token: ApiToken | None = None) -> None:
    """The login the API found is the request's user and the audit trail's actor."""
    request.user = user
    request.api_token = token  # type: ignore[attr-defined]
    actor_adopt(user, client_address(request))


class ClinicSessionAuth(SessionAuth):
    """The browser's session (with its CSRF token), for a staff member whose role uses the API.

    A request without the session cookie is not a session's: it skips the CSRF check (which
    would refuse every POST of a program that signs in another way) and the next login is
    tried."""

    def __call__(self, request: HttpRequest) -> User | None:
        if self.param_name not in request.COOKIES:
            return None
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        return _staff_or_none(request.user)


class ClinicBasicAuth(HttpBasicAuth):
    """HTTP basic, for other systems' reads; failures count toward the login throttle.

    A password alone is not enough for an account that signs in with a second factor: such an
    account reaches the API only through a session or an API token. Writes are refused, unless
    the operation is read-only (`read_only=True`: a check that computes and saves nothing)."""

    def __init__(self, *, read_only: bool = False) -> None:
        super().__init__()
        self.read_only = read_only

    def authenticate(self, request: HttpRequest, username: str, password: str) -> User | None:
        user = authenticate(request, username=username, password=password)
        if user is not None and second_factor.needs_second_factor(user):
            raise PermissionDenied(
                "this account signs in with a second factor: HTTP basic is refused for it"
            )
        staff = _staff_or_none(user)
        if staff is not None and _writes(request) and not self.read_only:
            raise PermissionDenied(
                "HTTP basic may only read: write with an API token (Authorization: Bearer)"
            )
        if staff is not None:
            _signed_in(request, staff)
        return staff


class ApiThrottle(SimpleRateThrottle):
    """settings.OTCLINIC_THROTTLE_RATES["api"] per API token, per signed-in user (session or
    basic), or per client address."""

    scope = "api"

    def get_rate(self) -> str | None:
        rate = rate_of("api")
        return f"{rate.count}/{rate.seconds}s"

    def parse_rate(self, rate: str | None) -> tuple[int | None, int | None]:
        parsed = rate_of("api")
        return parsed.count, parsed.seconds

    def allow_request(self, request: HttpRequest) -> bool:
        # The rate is read on each call, so that a changed setting applies without a restart.
        self.num_requests, self.duration = self.parse_rate(None)
        return bool(super().allow_request(request))

    def get_cache_key(self, request: HttpRequest) -> str | None:
        user = getattr(request, "user", None)
        token = getattr(request, "api_token", None)
        if token is not None:
            ident = f"token:{token.pk}"
        elif user is not None and user.is_authenticated:
            ident = f"user:{user.pk}"
        else:
            ident = f"client:{client_address(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


# The logins of an operation that a POST reaches but that saves nothing (the engine's checks):
# a read-only token or HTTP basic may call it.
READ_ONLY_AUTH = [
    ClinicTokenAuth(read_only=True),
    ClinicSessionAuth(),
    ClinicBasicAuth(read_only=True),
]
