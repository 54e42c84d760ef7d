"""The assistant reads a shorthand line the grammar could not, in a real browser: the OTA types
a line that stays unread, asks the assistant (pointed at a local chat-completions server), sees
its proposal, accepts it, the intervention row fills from it, and the note signs.

An Ohio practice (the revenue builders); the date of service is a fixed past day.
"""

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.assistant_walk import model_replying, ohio_with_assistant
from tests.browser.checks import sign_in
from tests.browser.demo_data import DemoClinic
from tests.browser.job_worker import JobWorker
from tests.chat_server import ChatServer

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

LINE = "did the stand pivot thing w/ walker"
REPLY = '{"entries": [{"line": 1, "code": "97530", "minutes": 23, "assist_level": "CGA"}]}'


@pytest.fixture
def model() -> Iterator[ChatServer]:
    yield from model_replying(REPLY)


@pytest.fixture
def ohio(demo_clinic: DemoClinic, model: ChatServer, django_db_blocker: Any) -> dict[str, Any]:
    # The assistant may only propose a code of the plan.
    planned = [("97530", "therapeutic_activity")]
    return ohio_with_assistant(model, django_db_blocker, planned=planned, streaming=False)


def test_an_unread_line_read_by_the_assistant_fills_its_row_once_accepted(
    page: Page, ohio: dict[str, Any], model: ChatServer, job_worker: JobWorker
) -> None:
    sign_in(page, ohio["ota"])
    page.goto(f"/patients/{ohio['patient_id']}/")
    page.get_by_label("Date of service").fill(ohio["day"])
    page.get_by_role("button", name="Start note").click()

    page.get_by_label("Shorthand: one intervention a line").fill(LINE)
    ask = page.get_by_role("button", name="Ask the assistant to read these lines")
    expect(ask).to_be_visible(timeout=10_000)
    ask.click()
    proposals = page.locator("#assistant-shorthand")
    expect(proposals).to_contain_text("97530", timeout=30_000)
    proposals.get_by_role("button", name="Accept").click()
    expect(proposals).to_contain_text("Accepted")

    box = page.get_by_label("Shorthand: one intervention a line")
    expect(box).to_have_value("97530 ota 23 CGA")
    expect(page.locator('[name="lines-0-code"]')).to_have_value("97530", timeout=10_000)
    expect(page.locator('[name="lines-0-assistant_minutes"]')).to_have_value("23")

    page.get_by_role("button", name="Sign note").click()
    expect(page.get_by_role("status")).to_contain_text("Signed")
    assert len(model.requests) == 1 and LINE in model.sent_text()
