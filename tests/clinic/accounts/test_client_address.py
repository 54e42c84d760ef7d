"""The client address behind trusted proxies only, for lockout, throttling and the audit."""

from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client, RequestFactory

from otclinic.clinic.accounts.client_address import client_address
from otclinic.clinic.audit.models import AuditEvent
from otclinic.config.settings import _networks
from tests.clinic import factories as f

PROXY = "10.0.0.5"


@pytest.fixture
def behind_proxy(settings: Any) -> None:
    settings.TRUSTED_PROXIES = _networks("10.0.0.0/24, 2001:db8::1")


def _address(remote: str, forwarded: str | None = None) -> str | None:
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **meta))


@pytest.mark.parametrize(
    ("remote", "forwarded", "client"),
    [
        ("198.51.100.7", "203.0.113.9", "198.51.100.7"),  # not a proxy: the header is ignored
        (PROXY, "203.0.113.9", "203.0.113.9"),
        (PROXY, "1.2.3.4, 203.0.113.9", "203.0.113.9"),  # the client may forge what is left
        (PROXY, "203.0.113.9, 10.0.0.7", "203.0.113.9"),  # two trusted proxies in a row
        (PROXY, "garbage", PROXY),
        (PROXY, None, PROXY),
        ("2001:db8::1", "2001:db8::99", "2001:db8::99"),
    ],
)
def test_x_forwarded_for_counts_only_from_trusted_proxies(
    behind_proxy: None, remote: str, forwarded: str | None, client: str
) -> None:
    assert _address(remote, forwarded) == client


def test_no_proxy_is_trusted_unless_configured() -> None:
    assert django_settings.TRUSTED_PROXIES == ()
    assert _address(PROXY, "203.0.113.9") == PROXY


@pytest.mark.django_db
def test_lockout_and_audit_name_the_client_behind_the_proxy(behind_proxy: None) -> None:
    user = f.staff_user(organization=f.OrganizationFactory(), role="OT")
    mallory = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.66")
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        mallory.post("/login/", {"username": user.username, "password": "wrong"})
    locked = mallory.post("/login/", {"username": user.username, "password": f.PASSWORD})
    assert locked.status_code in {403, 429}
    alice = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.20")
    signed_in = alice.post("/login/", {"username": user.username, "password": f.PASSWORD})
    assert signed_in.status_code == 302
    failed = AuditEvent.objects.filter(action="login_failed").values_list("ip_address", flat=True)
    assert set(failed) == {"203.0.113.66"}
    assert AuditEvent.objects.get(action="login").ip_address == "198.51.100.20"
