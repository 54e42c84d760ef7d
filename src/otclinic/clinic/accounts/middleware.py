"""Sessions: automatic logoff when idle, the second factor before anything else, and no caching
of what a signed-in user is shown."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode

from otclinic.clinic.accounts import second_factor

LAST_ACTIVITY = "_last_activity"
IDLE_SECONDS = "_idle_seconds"
# Requests a page makes by itself (htmx polling) say so with this header (otclinic/session.js):
# they are answered, and end an idle session, but do not count as the user being active.
BACKGROUND_HEADER = "HTTP_X_OTCLINIC_BACKGROUND"
# The last activity is written at most this often, so that most requests leave the session as
# it was; the timeout may run this much later than its minutes.
ACTIVITY_GRANULARITY = 15


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(("/api/", "/fhir/"))


def _go(request: HttpRequest, url: str, *, api_detail: str) -> HttpResponse:
    """Send the browser to `url`: htmx swaps in nothing and follows, the API answers 401
    (the FHIR server with an OperationOutcome, as its every refusal)."""
    if request.path.startswith("/fhir/"):
        issue = {"severity": "error", "code": "login", "diagnostics": api_detail}
        body = {"resourceType": "OperationOutcome", "issue": [issue]}
        return JsonResponse(body, status=401, content_type="application/fhir+json")
    if _is_api(request):
        return JsonResponse({"detail": api_detail}, status=401)
    if request.headers.get("HX-Request"):
        return HttpResponse(status=204, headers={"HX-Redirect": url})
    return redirect(url)


def session_begin(*, request: HttpRequest, user: Any) -> None:
    """At sign-in: the organization's idle timeout and the first moment of activity."""
    minutes = (
        user.organization.idle_timeout_minutes
        if getattr(user, "organization_id", None)
        else settings.OTCLINIC_IDLE_TIMEOUT_MINUTES
    )
    request.session[IDLE_SECONDS] = int(minutes) * 60
    request.session[LAST_ACTIVITY] = int(timezone.now().timestamp())


def idle_seconds(request: HttpRequest) -> int:
    return int(request.session.get(IDLE_SECONDS, settings.OTCLINIC_IDLE_TIMEOUT_MINUTES * 60))


def activity_record(request: HttpRequest, *, now: int, force: bool = False) -> None:
    last = int(request.session.get(LAST_ACTIVITY, 0))
    if force or now - last >= ACTIVITY_GRANULARITY:
        request.session[LAST_ACTIVITY] = now


class IdleTimeoutMiddleware:
    """Ends a session after the organization's minutes without use (HIPAA 164.312(a)(2)(iii))."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.get_response(request)
        now = int(timezone.now().timestamp())
        timeout = idle_seconds(request)
        last = int(request.session.get(LAST_ACTIVITY, now))
        if now - last > timeout:
            logout(request)
            url = reverse("signed-out") + "?" + urlencode({"idle": timeout // 60})
            return _go(request, url, api_detail="signed out after inactivity: sign in again")
        if not request.META.get(BACKGROUND_HEADER):
            activity_record(request, now=now)
        return self.get_response(request)


# The pages a signed-in user who still owes the second factor may open.
_OPEN_BEFORE_SECOND_FACTOR = {
    "login",
    "logout",
    "signed-out",
    "second-factor-verify",
    "second-factor-enrol",
    "session-keepalive",
}


class SecondFactorMiddleware:
    """Keeps a user who still owes the second factor on its pages (and out of the API)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if not request.user.is_authenticated:
            return None
        if second_factor.session_state(request) != second_factor.NEEDED:
            return None
        match = request.resolver_match
        if match is not None and match.url_name in _OPEN_BEFORE_SECOND_FACTOR:
            return None
        if request.path.startswith(settings.STATIC_URL):
            return None
        if request.META.get(BACKGROUND_HEADER) and not _is_api(request):
            return HttpResponse(status=204)  # a poll: nothing to show, and no navigation
        target = reverse("second-factor-verify")
        if request.method == "GET" and not request.headers.get("HX-Request"):
            target += "?" + urlencode({"next": request.get_full_path()})
        return _go(request, target, api_detail="sign in with your second factor first")


class NoStoreMiddleware:
    """Nothing shown to a signed-in user, and no API answer, is kept by a browser or a proxy
    cache: such pages may carry patients' records."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        signed_in = getattr(request, "user", None) is not None and request.user.is_authenticated
        if signed_in or _is_api(request):
            add_never_cache_headers(response)
        return response
