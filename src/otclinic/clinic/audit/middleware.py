"""Sets the audit actor for each request from the signed-in user and the client address."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from otclinic.clinic.audit.context import _current, actor_for_user


def client_ip(request: HttpRequest) -> str | None:
    # Behind a proxy, configure it to set REMOTE_ADDR (we do not trust X-Forwarded-For blindly).
    return request.META.get("REMOTE_ADDR") or None


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _current.set(actor_for_user(getattr(request, "user", None), client_ip(request)))
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)
