"""API authentication: a signed-in clinic staff member, by session or HTTP basic."""

from typing import Any

from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja.security import HttpBasicAuth, SessionAuth

from otclinic.clinic.accounts.permissions import user_may
from otclinic.domain.access import Capability


def _staff_or_none(user: Any) -> Any:
    """The user when their role uses the API; None (401) when nobody signed in.

    A signed-in user whose role may not use the API (a portal account) is refused with 403,
    so that the answer says what is wrong rather than asking them to sign in again.
    """
    if user_may(user, Capability.USE_API):
        return user
    if getattr(user, "is_authenticated", False):
        raise PermissionDenied("your role may not use the API")
    return None


class ClinicSessionAuth(SessionAuth):
    """The browser's session (with its CSRF token), for a staff member whose role uses the API."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return _staff_or_none(request.user)


class ClinicBasicAuth(HttpBasicAuth):
    """HTTP basic, for other systems; failures count toward the login throttle."""

    def authenticate(self, request: HttpRequest, username: str, password: str) -> Any:
        user = authenticate(request, username=username, password=password)
        if user is not None:
            request.user = user
        return _staff_or_none(user)
