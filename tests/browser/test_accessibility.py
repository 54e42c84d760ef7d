"""Every page of every role passes axe-core with no violation of any impact, on a tablet in
portrait (768 px) and on a phone (390 px).

Each role's pages are found by following the links that role sees from its home page
(tests/browser/accessibility.py), so a page added to the navigation is checked without
being listed here.
"""

import pytest
from playwright.sync_api import Browser

from tests.browser.accessibility import axe_violations, walk_pages
from tests.browser.checks import sign_in
from tests.browser.demo_data import DemoClinic

# A group of their own: the walks are the longest browser tests, and run on the other worker
# beside the rest of the browser tests (each worker seeds its own demo clinic).
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-a11y")]

ROLES = [
    "OT",
    "OTA",
    "PT",
    "SLP",
    "student",
    "biller",
    "front_desk",
    "clinic_admin",
    "patient",
    "caregiver",
]
WIDTHS = {"tablet": {"width": 768, "height": 1024}, "phone": {"width": 390, "height": 844}}
# Each role reaches between a handful and a few dozen routes; the cap only stops a runaway walk.
MOST_ROUTES = 120


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_the_role_passes_axe(
    browser: Browser, demo_clinic: DemoClinic, role: str
) -> None:
    context = browser.new_context(viewport=WIDTHS["tablet"], base_url=demo_clinic.url)
    context.set_default_timeout(30_000)
    page = context.new_page()
    try:
        sign_in(page, demo_clinic.login(role))
        paths, on_tablet = walk_pages(page, limit=MOST_ROUTES)
        assert len(paths) >= 3, f"the walk found only {paths} for {role}"
        assert len(paths) < MOST_ROUTES, f"{role} reaches {MOST_ROUTES}+ routes: raise the cap"
        found = [f"tablet: {v}" for v in on_tablet]
        page.set_viewport_size(WIDTHS["phone"])
        for path in paths:
            found += [f"phone: {v}" for v in axe_violations(page, path)]
        assert not found, f"{len(found)} axe violations for {role}:\n" + "\n".join(found)
    finally:
        context.close()
