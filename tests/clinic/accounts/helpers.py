"""Staff who sign in with a second factor, and the codes their authenticator app would show."""

from typing import Any

from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from otclinic.clinic.accounts import second_factor
from tests.clinic import factories as f


def organization(*, roles: list[str] | None = None, idle_minutes: int = 15) -> Any:
    """A practice whose policy asks `roles` (clinic admins and billers by default) for a code."""
    return f.OrganizationFactory(
        second_factor_roles=["clinic_admin", "biller"] if roles is None else roles,
        idle_timeout_minutes=idle_minutes,
    )


def enrolled(user: Any) -> TOTPDevice:
    device: TOTPDevice = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    return device


def code_now(device: TOTPDevice) -> str:
    """The code the app shows at this moment (the suite's clock)."""
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return str(value).zfill(device.digits)


def recovery_codes(user: Any) -> list[str]:
    return second_factor.recovery_codes_replace(user=user)


def sign_in(client: Client, user: Any, *, next_url: str = "") -> Any:
    data = {"username": user.username, "password": f.PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post("/login/", data)
