"""Signing in with a second factor, automatic logoff, and a recovery code (issue 14).

The demo biller's practice is told to require a second factor of billers. The biller signs in,
enrols an authenticator app from the key the page shows (the test computes the app's code),
keeps the recovery codes, is signed out after the practice's idle minutes (the clock moves on,
as it does for the live server in this process), and signs in again with a recovery code.
"""

import datetime as dt
from base64 import b32decode
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.utils import timezone
from django_otp.oath import totp
from playwright.sync_api import Page, expect

from tests.browser.checks import expect_signed_in, sign_in
from tests.browser.demo_data import DemoClinic, between_requests

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

IDLE_MINUTES = 5


@pytest.fixture
def billers_need_a_second_factor(demo_clinic: DemoClinic, django_db_blocker: Any) -> None:
    from otclinic.clinic.organizations.models import Organization

    with between_requests(django_db_blocker):
        Organization.objects.update(
            second_factor_roles=["biller"], idle_timeout_minutes=IDLE_MINUTES
        )


def _app_code(manual_key: str) -> str:
    """What an authenticator app given this key shows now (TOTP, 30 s, 6 digits)."""
    return f"{totp(b32decode(manual_key.replace(' ', '') + '=' * (-len(manual_key.replace(' ', '')) % 8)), step=30, digits=6):06d}"


def test_a_biller_signs_in_with_totp_is_signed_out_when_idle_and_returns_with_a_recovery_code(
    page: Page,
    demo_clinic: DemoClinic,
    billers_need_a_second_factor: None,
    screenshot: Callable[[Page, str], Path],
) -> None:
    biller = demo_clinic.login("biller")
    sign_in(page, biller)

    # The role requires a second factor and none is enrolled: the enrolment page, QR code and key.
    expect(page.get_by_role("heading", name="Set up your authenticator app")).to_be_visible()
    expect(page.locator(".qr svg")).to_be_visible()
    screenshot(page, "enrol-authenticator")
    key = page.locator("#manual-key").inner_text()
    page.get_by_label("Code from the app").fill(_app_code(key))
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    codes = page.locator("#recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name="I have kept them, continue").click()
    expect_signed_in(page)
    page.goto("/billing/claims/")
    expect_signed_in(page)

    # The screen is left alone for longer than the practice's idle minutes (from the suite's
    # clock, which the root conftest set for the live server too; never the real date).
    later = timezone.now() + dt.timedelta(minutes=IDLE_MINUTES, seconds=30)
    with time_machine.travel(later, tick=True):
        page.reload()
        expect(page.get_by_role("heading", name="You were signed out")).to_be_visible()
        expect(page.get_by_text(f"not used for {IDLE_MINUTES} minutes")).to_be_visible()
        screenshot(page, "signed-out-when-idle")
        page.goto("/billing/claims/")
        assert "/login/" in page.url

        # The phone is gone: a recovery code instead of the app's code.
        sign_in(page, biller)
        expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
        page.get_by_label("Code").fill(codes[0])
        page.get_by_role("button", name="Continue").click()
        expect_signed_in(page)
        expect(page.get_by_text("You signed in with a recovery code; 9 left.")).to_be_visible()

        # A recovery code works once.
        page.get_by_role("button", name="Sign out").click()
        sign_in(page, biller)
        page.get_by_label("Code").fill(codes[0])
        page.get_by_role("button", name="Continue").click()
        expect(
            page.get_by_text("That recovery code does not match or has been used.")
        ).to_be_visible()
