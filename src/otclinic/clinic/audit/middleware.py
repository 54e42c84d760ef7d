"""Sets the audit actor for each request from the signed-in user and the client address, and
records the patients a GET showed in one entry when it answers (audit.reads)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from otclinic.clinic.accounts.client_address import client_address
from otclinic.clinic.audit.context import _current, actor_for_user
from otclinic.clinic.audit.reads import collecting, record_reads

_READS = {"GET", "HEAD"}


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: X-Forwarded-For counts only from settings.TRUSTED_PROXIES."""
    return client_address(request)


def _where(request: HttpRequest) -> str:
    """The page, for the entry: its URL name and path (ids only; the query string, which may
    hold a searched name, is left out)."""
    match = request.resolver_match
    return f"{match.view_name} {request.path}" if match else request.path


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        ip = client_ip(request)
        token = _current.set(actor_for_user(getattr(request, "user", None), ip))
        try:
            with collecting() as reads:
                response = self.get_response(request)
                if request.method in _READS and 200 <= response.status_code < 300:
                    # The API signs in by HTTP basic inside the view: the reader is the user
                    # the request ended with (or the client a view names: a SMART backend
                    # service reads as no user).
                    actor = getattr(request, "audit_actor", None) or actor_for_user(
                        getattr(request, "user", None), ip
                    )
                    record_reads(reads, actor=actor, where=_where(request))
            return response
        finally:
            _current.reset(token)
