"""The optional language model, in a real browser: with the organization's assistant pointed at
a local chat-completions server, the OTA fills an intervention, asks for a draft, sees it arrive
in the narrative to edit, signs, and the signed note says it was drafted with assistance and
reviewed by them.

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
from tests.browser.note_steps import note_line
from tests.chat_server import ChatServer

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

REPLY = "Pt engaged in skilled therapeutic activity (97530) for 23 minutes with verbal cues."


@pytest.fixture
def model() -> Iterator[ChatServer]:
    yield from model_replying(REPLY)


@pytest.fixture
def ohio(demo_clinic: DemoClinic, model: ChatServer, django_db_blocker: Any) -> dict[str, Any]:
    return ohio_with_assistant(model, django_db_blocker)


def test_the_assistants_draft_arrives_for_editing_and_the_signed_note_says_so(
    page: Page, ohio: dict[str, Any], model: ChatServer, job_worker: JobWorker
) -> None:
    sign_in(page, ohio["ota"])
    page.goto(f"/patients/{ohio['patient_id']}/")
    page.get_by_label("Date of service").fill(ohio["day"])
    page.get_by_role("button", name="Start note").click()
    note_line(page, 0, "97530", "therapeutic_activity", 23)

    page.get_by_role("button", name="Draft with assistant").click()
    narrative = page.locator("#id_narrative")
    expect(narrative).to_have_value(REPLY, timeout=30_000)
    expect(page.locator("#assistant-status")).to_contain_text("read and edit it before signing")
    narrative.fill(REPLY + " Reviewed with the patient.")

    page.get_by_role("button", name="Sign note").click()
    expect(page.get_by_role("status")).to_contain_text("Signed")
    expect(page.locator("#assistance-attestation")).to_have_text(
        f"Drafted with assistance, reviewed by {ohio['ota_name']}"
    )
    expect(page.get_by_text("Reviewed with the patient.")).to_be_visible()
    assert model.requests and ohio["patient_name"] not in model.sent_text()
