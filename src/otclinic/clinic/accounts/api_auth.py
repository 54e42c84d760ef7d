"""API authentication: a signed-in clinic staff member, by session or HTTP basic; and the
API's throttle."""

from django.contrib.auth import authenticate
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja.security import HttpBasicAuth, SessionAuth
from ninja.throttling import SimpleRateThrottle

from otclinic.clinic.accounts import second_factor
from otclinic.clinic.accounts.client_address import client_address
from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import user_may
from otclinic.clinic.accounts.throttle import rate_of
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


class ClinicSessionAuth(SessionAuth):
    """The browser's session (with its CSRF token), for a staff member whose role uses the API."""

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        return _staff_or_none(request.user)


class ClinicBasicAuth(HttpBasicAuth):
    """HTTP basic, for other systems; failures count toward the login throttle.

    A password alone is not enough for an account that signs in with a second factor: such an
    account reaches the API only through a fully signed-in browser session."""

    def authenticate(self, request: HttpRequest, username: str, password: str) -> User | None:
        user = authenticate(request, username=username, password=password)
        if user is not None and second_factor.needs_second_factor(user):
            raise PermissionDenied(
                "this account signs in with a second factor: HTTP basic is refused for it"
            )
        if user is not None:
            request.user = user
        return _staff_or_none(user)


class ApiThrottle(SimpleRateThrottle):
    """settings.OTCLINIC_THROTTLE_RATES["api"] per signed-in user, or per client address."""

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
        if user is not None and user.is_authenticated:
            ident = f"user:{user.pk}"
        else:
            ident = f"client:{client_address(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
