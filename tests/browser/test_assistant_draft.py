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

from tests.browser.checks import sign_in
from tests.browser.demo_data import DemoClinic, Login, between_requests
from tests.browser.job_worker import JobWorker
from tests.browser.note_steps import note_line
from tests.chat_server import ChatServer, chat_server
from tests.clinic import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

REPLY = "Pt engaged in skilled therapeutic activity (97530) for 23 minutes with verbal cues."


@pytest.fixture
def model() -> Iterator[ChatServer]:
    with chat_server() as server:
        server.reply = REPLY
        yield server


@pytest.fixture
def ohio(demo_clinic: DemoClinic, model: ChatServer, django_db_blocker: Any) -> dict[str, Any]:
    from django.test import override_settings

    from otclinic.clinic.assistant.models import AssistantSettings
    from tests.browser.demo_data import FAST_HASHER
    from tests.clinic.revenue.claims.builders import DAY, billing_practice

    with between_requests(django_db_blocker), override_settings(PASSWORD_HASHERS=[FAST_HASHER]):
        b = billing_practice()
        AssistantSettings.objects.create(
            organization=b.org,
            enabled=True,
            base_url=model.base_url,
            model="local-test",
            timeout_seconds=10,
        )
        return {
            "ota": Login(b.ota.user.username, f.PASSWORD),
            "ota_name": b.ota.user.get_full_name(),
            "patient_id": str(b.patient.pk),
            "patient_name": b.patient.last_name,
            "day": DAY.isoformat(),
        }


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
