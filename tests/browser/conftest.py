"""Browser tests: real Chromium, driven by Playwright, against a live Django server.

Chromium comes from the operating system (Debian's `/usr/bin/chromium`, or the path in
`OTCLINIC_CHROMIUM`), because `playwright install` cannot download browsers everywhere. Without
it the browser tests skip loudly on a workstation, and fail in CI (`CI=true`), where a skipped
browser test would hide a broken web shell.

Screenshots go to `test-output/screenshots/` at the repository root; every test that takes one
records its path as a test property, and the run ends with a list of them.
"""

import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import DEFAULT_DB_ALIAS
from django.test.utils import setup_databases, teardown_databases

# Playwright's sync API runs an asyncio loop in this thread; Django refuses database calls from a
# thread with a running loop unless told that this is deliberate (it is: the tests are synchronous).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from tests.browser.checks import TABLET_LANDSCAPE
from tests.browser.demo_data import (
    DemoClinic,
    DemoSnapshot,
    demo_server_running,
    is_test_database,
    restore_demo,
    seed_demo_snapshot,
)
from tests.browser.job_worker import JobWorker, job_worker_running

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = REPO_ROOT / "test-output" / "screenshots"
CHROMIUM = os.environ.get("OTCLINIC_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _chromium_or_skip() -> str:
    path = shutil.which(CHROMIUM) or (CHROMIUM if os.access(CHROMIUM, os.X_OK) else None)
    if path:
        return path
    message = (
        f"BROWSER TESTS NOT RUN: no Chromium at {CHROMIUM}. Install it with "
        "`sudo apt-get install chromium` (or set OTCLINIC_CHROMIUM to a Chromium binary)."
    )
    if _in_ci():
        pytest.fail(message + " In CI (CI=true) a missing browser is a failure, not a skip.")
    pytest.skip(message)


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    executable = _chromium_or_skip()
    chromium = playwright_driver.chromium.launch(
        executable_path=executable, headless=True, args=CHROMIUM_ARGS
    )
    yield chromium
    chromium.close()


@pytest.fixture(scope="session")
def browser_test_database(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The test database, even when no collected test asks for `db`.

    pytest-django creates test databases only for aliases that some collected test requests
    through `db`, `transactional_db`, `live_server` or the `django_db` mark. The browser tests
    use none of them (they restore a seeded copy instead), so a run of only browser tests would
    otherwise reach the configured database.
    """
    if is_test_database():
        yield
        return
    with django_db_blocker.unblock():
        created = setup_databases(verbosity=0, interactive=False, aliases={DEFAULT_DB_ALIAS})
    yield
    with django_db_blocker.unblock():
        teardown_databases(created, verbosity=0)


@pytest.fixture(scope="session")
def demo_snapshot(browser_test_database: None, django_db_blocker: Any) -> Iterator[DemoSnapshot]:
    """The demo clinic, seeded once per worker at the suite's clock, and a copy to restore."""
    _chromium_or_skip()  # do not spend time seeding for tests that cannot run
    snapshot = seed_demo_snapshot(django_db_blocker)
    yield snapshot
    if snapshot.database is not None:
        snapshot.database.close()


@pytest.fixture(scope="module")
def demo_server(demo_snapshot: DemoSnapshot, django_db_blocker: Any) -> Iterator[str]:
    """A live server for the module's tests (its URL); the database is emptied afterwards."""
    with demo_server_running(django_db_blocker) as url:
        yield url


@pytest.fixture
def demo_clinic(
    demo_server: str, demo_snapshot: DemoSnapshot, django_db_blocker: Any
) -> DemoClinic:
    """The freshly seeded demo clinic for this test alone: restored before every test, so no
    test sees what another one changed, whatever the order."""
    seeded = restore_demo(demo_snapshot, django_db_blocker)
    return DemoClinic(url=demo_server, **seeded)


@pytest.fixture
def job_worker(demo_clinic: DemoClinic, django_db_blocker: Any) -> Iterator[JobWorker]:
    """A worker for the jobs the test's pages queue, running outside the live server's
    requests (job_worker.py). Name it after the fixtures that build data: it shares their
    database connection, and starts polling the queue once they are done."""
    with django_db_blocker.unblock(), job_worker_running() as worker:
        yield worker


@pytest.fixture
def page(
    browser: Browser, demo_clinic: DemoClinic, request: pytest.FixtureRequest
) -> Iterator[Page]:
    """A fresh browser context (no cookies) at tablet landscape size, pointed at the demo clinic."""
    context = browser.new_context(viewport=TABLET_LANDSCAPE, base_url=demo_clinic.url)
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        path = _screenshot_path(request.node.name, "failure")
        tab.screenshot(path=str(path), full_page=True)
        request.node.user_properties.append(("screenshot", str(path)))
    context.close()


@pytest.fixture
def screenshot(
    request: pytest.FixtureRequest, record_property: Callable[[str, object], None]
) -> Callable[[Page, str], Path]:
    """`screenshot(page, "caseload-1024x768")` saves a full-page PNG and records its path."""

    def take(tab: Page, label: str) -> Path:
        module = request.node.module.__name__.rsplit(".", 1)[-1].removeprefix("test_")
        path = _screenshot_path(module, label)
        tab.screenshot(path=str(path), full_page=True)
        record_property("screenshot", str(path))
        print(f"screenshot: {path}")
        return path

    return take


def _screenshot_path(prefix: str, label: str) -> Path:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", f"{prefix}-{label}").strip("-")
    return SCREENSHOT_DIR / f"{slug}.png"


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    shots = {
        value: None
        for reports in terminalreporter.stats.values()
        for report in reports
        for name, value in getattr(report, "user_properties", [])
        if name == "screenshot"
    }
    if shots:
        terminalreporter.section("browser screenshots")
        for shot in shots:
            terminalreporter.write_line(str(shot))
