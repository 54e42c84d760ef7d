"""Throttling of the public forms: a count of attempts per key in a fixed window, in the cache.

Rates are `settings.OTCLINIC_THROTTLE_RATES` ("5/h": five per hour). A form is throttled by the
client address (accounts.client_address) and, where it names an account or an address, by that
too, so that neither many accounts from one client nor one account from many clients gets
through. The sign-in form itself is throttled by django-axes (settings.AXES_*).
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone

from otclinic.clinic.accounts.client_address import client_address

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    @classmethod
    def parse(cls, scope: str, text: str) -> "Rate":
        """'5/h' or '10/5m': a count per (a number of) seconds, minutes, hours or days."""
        try:
            count, period = text.split("/", 1)
            number, unit = period[:-1] or "1", period[-1]
            return cls(count=int(count), seconds=int(number) * _PERIODS[unit])
        except (ValueError, KeyError, IndexError):
            raise ImproperlyConfigured(
                f"throttle rate {scope!r} must look like 5/h or 10/5m, not {text!r}"
            ) from None


def rate_of(scope: str) -> Rate:
    return Rate.parse(scope, settings.OTCLINIC_THROTTLE_RATES[scope])


def attempt(*, scope: str, key: str, rate: Rate | None = None) -> bool:
    """Count one attempt under (scope, key); False once the window's count is used up."""
    rate = rate or rate_of(scope)
    window = int(timezone.now().timestamp()) // rate.seconds
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]  # no address or e-mail in the cache
    cache_key = f"throttle:{scope}:{window}:{digest}"
    if cache.add(cache_key, 1, timeout=rate.seconds):
        return True
    try:
        return cache.incr(cache_key) <= rate.count
    except ValueError:  # the entry expired between add and incr
        cache.add(cache_key, 1, timeout=rate.seconds)
        return True


def too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/throttled.html", status=429)


def throttle_posts(
    scope: str, *, also_by: Callable[[HttpRequest], str] | None = None
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """Refuse (429) a view's POSTs beyond the scope's rate from one client (and, with `also_by`,
    for one account or address named in the form)."""

    def decorate(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def throttled(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if request.method == "POST":
                keys = [f"client:{client_address(request)}"]
                if also_by is not None:
                    keys.append(f"named:{also_by(request)}")
                allowed = [attempt(scope=scope, key=key) for key in keys]
                if not all(allowed):
                    return too_many(request)
            return view(request, *args, **kwargs)

        return throttled

    return decorate
