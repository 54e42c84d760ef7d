"""The audit trail in a real browser, on a portrait tablet: the demo OT opens a patient's chart,
and the clinic admin finds, by the patient's MRN, that the OT opened it."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.checks import (
    TABLET_PORTRAIT,
    go_to,
    horizontal_overflow_px,
    sign_in,
    unlabelled_controls,
    widest_elements,
)
from tests.browser.demo_data import DemoClinic, between_requests

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def _display_name(demo_clinic: DemoClinic, django_db_blocker: Any, role: str) -> str:
    from otclinic.clinic.accounts.models import User

    with between_requests(django_db_blocker):
        return str(User.objects.get(username=demo_clinic.login(role).username).display_name())


def test_the_admin_finds_who_opened_a_patients_chart(
    page: Page,
    demo_clinic: DemoClinic,
    django_db_blocker: Any,
    screenshot: Callable[[Page, str], Path],
) -> None:
    ot_name = _display_name(demo_clinic, django_db_blocker, "OT")
    page.set_viewport_size(TABLET_PORTRAIT)
    sign_in(page, demo_clinic.login("OT"))
    page.goto(f"/patients/?q={demo_clinic.search_last_name}")
    page.locator("#results tbody tr").first.get_by_role("link").click()
    mrn = page.locator("dt:text-is('MRN') + dd").first.inner_text().strip()
    assert mrn
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, demo_clinic.login("clinic_admin"))
    go_to(page, "Audit trail")
    expect(page.get_by_role("heading", name="Audit trail", exact=True)).to_be_visible()
    search = page.get_by_role("search", name="Search the audit trail")
    search.get_by_label("Patient (name or MRN)").fill(mrn)
    search.get_by_label("Action").select_option(label="Saw")
    search.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name=f"(MRN {mrn})")).to_be_visible()
    opened = page.locator("table.audit-entries tbody tr", has_text="patient-chart")
    expect(opened.first.locator("td[data-label='Who']")).to_contain_text(ot_name)
    expect(opened.first.locator("td[data-label='Did']")).to_have_text("Saw")
    screenshot(page, "audit-review-768x1024")
    assert horizontal_overflow_px(page) <= 0, widest_elements(page)
    assert unlabelled_controls(page) == []
