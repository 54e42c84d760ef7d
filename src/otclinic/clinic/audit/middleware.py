"""Sets the audit actor for each request from the signed-in user and the client address."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from otclinic.clinic.accounts.client_address import client_address
from otclinic.clinic.audit.context import _current, actor_for_user


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: X-Forwarded-For counts only from settings.TRUSTED_PROXIES."""
    return client_address(request)


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _current.set(actor_for_user(getattr(request, "user", None), client_ip(request)))
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)
