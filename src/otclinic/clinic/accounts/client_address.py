"""The client address of a request, for lockout, throttling and the audit trail.

Behind a reverse proxy every request arrives from the proxy's address. X-Forwarded-For says
who the proxy was talking to, but anyone can send that header, so it is believed only when the
connection comes from a proxy named in `settings.TRUSTED_PROXIES`, and then read from the right:
each trusted proxy appended the address it saw, and the first address that is not a trusted
proxy is the client.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest

_Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def _parse(value: str) -> _Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(address: _Address) -> bool:
    return any(address in network for network in settings.TRUSTED_PROXIES)


def client_address(request: HttpRequest) -> str | None:
    """The address of the client behind any trusted proxies (None when the connection has none)."""
    peer = _parse(request.META.get("REMOTE_ADDR", ""))
    if peer is None:
        return None
    if not _trusted(peer):
        return str(peer)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed(forwarded.split(",")):
        address = _parse(hop)
        if address is None:
            # A hop that is not an address: what lies further left cannot be trusted.
            return str(peer)
        if not _trusted(address):
            return str(address)
        peer = address
    return str(peer)
