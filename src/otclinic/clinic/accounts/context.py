from typing import Any

from django.conf import settings
from django.http import HttpRequest

from otclinic.clinic.accounts import second_factor
from otclinic.clinic.accounts.middleware import idle_seconds


def idle_timeout(request: HttpRequest) -> dict[str, Any]:
    """The session's idle timeout, for the page's warning before automatic logoff, and whether
    it still owes the second factor (the page then shows no navigation)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "idle_timeout_seconds": idle_seconds(request),
        "idle_warning_seconds": settings.OTCLINIC_IDLE_WARNING_SECONDS,
        "second_factor_owed": second_factor.session_state(request) == second_factor.NEEDED,
    }
