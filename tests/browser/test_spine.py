"""The spine in a real browser: the demo OTA signs in, sees today's caseload, opens a chart."""

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.checks import TABLET_PORTRAIT, expect_signed_in, sign_in
from tests.browser.demo_data import DemoClinic, Login

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

CHART_SECTIONS = (
    "Demographics",
    "Coverage",
    "Diagnoses (ICD-10-CM)",
    "Episodes of care",
    "Recent notes",
)
CPT_CODE = re.compile(r"\b97\d{3}\b")
ICD_10_CM = re.compile(r"\b[A-TV-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?\b")


def _section(page: Page, heading: str):  # type: ignore[no-untyped-def]
    return page.locator("section").filter(has=page.get_by_role("heading", name=heading, exact=True))


def test_the_demo_ota_signs_in_sees_todays_caseload_and_opens_a_chart(
    page: Page, demo_clinic: DemoClinic, screenshot: Callable[[Page, str], Path]
) -> None:
    sign_in(page, demo_clinic.login("OTA"))

    expect_signed_in(page)
    expect(page).to_have_url(f"{demo_clinic.url}/")
    caseload = _section(page, "My schedule today")
    appointments = caseload.locator("tbody tr")
    expect(appointments.first).to_be_visible()
    assert appointments.count() >= 1
    screenshot(page, "caseload-1024x768")

    # Each row links the appointment (its time) and the patient (their name).
    patient_link = appointments.first.get_by_role("cell").nth(1).get_by_role("link")
    last_name = patient_link.inner_text().split(",")[0].strip()
    patient_link.click()

    expect(page).to_have_url(re.compile(r"/patients/[0-9a-f-]{36}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(last_name)
    for heading in CHART_SECTIONS:
        expect(_section(page, heading)).to_be_visible()
    expect(_section(page, "Demographics")).to_contain_text("MRN")
    expect(_section(page, "Coverage").locator("tbody tr").first).to_be_visible()
    expect(_section(page, "Diagnoses (ICD-10-CM)").locator("li").first).to_contain_text(ICD_10_CM)
    expect(_section(page, "Episodes of care").locator("li").first).to_contain_text("OT")
    # An assistant's caseload is treatment visits, so the patient has been seen before.
    expect(_section(page, "Recent notes").locator("tbody tr").first).to_contain_text(CPT_CODE)
    screenshot(page, "chart-1024x768")

    page.set_viewport_size(TABLET_PORTRAIT)
    screenshot(page, "chart-768x1024")
    page.get_by_role("link", name="Today").click()
    expect(_section(page, "My schedule today").locator("tbody tr").first).to_be_visible()
    screenshot(page, "caseload-768x1024")


def test_a_wrong_password_gets_a_clear_message_and_no_session(
    page: Page, demo_clinic: DemoClinic
) -> None:
    ota = demo_clinic.login("OTA")
    sign_in(page, Login(ota.username, ota.password + "-wrong"))

    expect(page.get_by_role("alert")).to_have_text(
        "That username and password do not match. Check both and try again."
    )
    expect(page).to_have_url(re.compile(r"/login/$"))
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))


def test_the_patient_search_finds_a_patient_as_you_type(
    page: Page, demo_clinic: DemoClinic
) -> None:
    sign_in(page, demo_clinic.login("OTA"))
    page.get_by_role("link", name="Patients").click()
    expect(page.locator("#results")).to_contain_text("Type a name, MRN, birth date or phone number")

    wanted = demo_clinic.search_last_name
    page.get_by_role("searchbox").press_sequentially(wanted[:4], delay=60)

    # No Enter pressed and no page load: htmx swapped the results in place.
    match = page.locator("#results").get_by_role("link", name=re.compile(re.escape(wanted)))
    expect(match.first).to_be_visible()
    expect(page).to_have_url(re.compile(r"/patients/$"))
    match.first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(wanted)
