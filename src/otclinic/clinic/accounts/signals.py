"""What happens at sign-in: the session's idle clock and whether it owes a second factor."""

from typing import Any

from otclinic.clinic.accounts import second_factor
from otclinic.clinic.accounts.middleware import session_begin


def on_sign_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    session_begin(request=request, user=user)
    second_factor.session_start(request=request, user=user)
