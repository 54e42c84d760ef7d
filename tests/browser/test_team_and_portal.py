"""The care team and the portal in a real browser, on the demo clinic (issue 6).

The demo OTA writes to the demo OT about a patient on the OTA's caseload and the OT answers;
the OT returns one of the OTA's notes from the co-sign queue with a comment; the OTA answers
the comment with an addendum on the note page; and the demo caregiver signs in to the portal,
on a phone-sized screen, and opens the home program the therapist shared.
"""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.checks import sign_in, unlabelled_controls
from tests.browser.demo_data import DemoClinic, between_requests

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PHONE = {"width": 390, "height": 844}
SUBJECT = "Transfers at home"
QUESTION = "Her spouse asks whether she may use the tub bench alone yet. Your view?"
ANSWER = "Not alone yet: supervised tub transfers until we reassess next week."
RETURN_COMMENT = "Add the patient's response to the transfer training."
ADDENDUM = "Patient tolerated the transfer training well; needed two verbal cues."


def _records(demo_clinic: DemoClinic, django_db_blocker: Any) -> dict[str, str]:
    """The OTA's note waiting in the OT's co-sign queue, its patient, and the OT's user id."""
    from otclinic.clinic.accounts.models import User
    from otclinic.clinic.care.selectors import cosign_queue_for_user

    with between_requests(django_db_blocker):
        ot = User.objects.get(username=demo_clinic.login("OT").username)
        ota_name = demo_clinic.login("OTA").username
        waiting = [n for n in cosign_queue_for_user(user=ot) if n.author.user.username == ota_name]
        # The suite's clock is a Thursday (tests/clock.py): the demo OTA's Monday notes wait.
        assert waiting, f"none of {ota_name}'s notes waits for {ot.username}'s co-signature"
        note = waiting[0]
        patient = note.episode.patient
        return {
            "ot_user_id": str(ot.pk),
            "note_id": str(note.pk),
            "patient_id": str(patient.pk),
            "patient_last_name": patient.last_name,
        }


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def test_the_team_talks_returns_a_note_and_the_caregiver_sees_the_home_program(
    page: Page,
    browser: Browser,
    demo_clinic: DemoClinic,
    django_db_blocker: Any,
    screenshot: Callable[[Page, str], Path],
) -> None:
    records = _records(demo_clinic, django_db_blocker)

    # The OTA writes to the OT about the patient.
    sign_in(page, demo_clinic.login("OTA"))
    page.goto(f"/messages/new/patient/{records['patient_id']}/")
    page.locator("[name=subject]").fill(SUBJECT)
    page.locator("[name=people]").select_option(records["ot_user_id"])
    page.locator("[name=body]").fill(QUESTION)
    page.get_by_role("button", name="Start conversation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SUBJECT)
    expect(page.locator("#conversation")).to_contain_text(QUESTION)
    _sign_out(page)

    # The OT finds it in the inbox and answers.
    sign_in(page, demo_clinic.login("OT"))
    page.goto("/messages/")
    page.get_by_role("link", name=SUBJECT).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SUBJECT)
    expect(page.locator("#conversation")).to_contain_text(QUESTION)
    page.locator("#compose [name=body]").fill(ANSWER)
    page.locator("#compose").get_by_role("button", name="Send").click()
    expect(page.locator("#conversation")).to_contain_text(ANSWER)

    # The OT returns the OTA's note from the co-sign queue with a comment.
    page.goto("/care/cosign/")
    row = page.locator("tr", has_text=records["patient_last_name"]).filter(
        has=page.locator(f"a[href='/care/notes/{records['note_id']}/']")
    )
    row.get_by_role("link", name="Review").click()
    page.get_by_label("Comments for the author").fill(RETURN_COMMENT)
    page.get_by_role("button", name="Return with comments").click()
    page.goto(f"/care/notes/{records['note_id']}/")
    expect(page.locator("body")).to_contain_text("Returned with comments")
    expect(page.locator("body")).to_contain_text(RETURN_COMMENT)
    _sign_out(page)

    # The OTA reads the answer, then answers the comment with an addendum on the note page.
    sign_in(page, demo_clinic.login("OTA"))
    page.goto("/messages/")
    page.get_by_role("link", name=SUBJECT).first.click()
    expect(page.locator("#conversation")).to_contain_text(ANSWER)
    page.goto(f"/care/notes/{records['note_id']}/")
    expect(page.locator("body")).to_contain_text(RETURN_COMMENT)
    amend = page.locator(f"form[action='/care/notes/{records['note_id']}/addenda/']")
    amend.locator("[name=reason]").fill("Answering the co-signer's comment")
    amend.locator("[name=text]").fill(ADDENDUM)
    page.get_by_role("button", name="Sign addendum").click()
    addenda = page.locator("section", has=page.get_by_role("heading", name="Addenda"))
    expect(addenda).to_contain_text(ADDENDUM)
    screenshot(page, "note-returned-and-amended")
    _sign_out(page)

    # The caregiver, on a phone, signs in and opens the shared home program.
    phone = browser.new_context(viewport=PHONE, base_url=demo_clinic.url)
    phone.set_default_timeout(10_000)
    tab = phone.new_page()
    try:
        sign_in(tab, demo_clinic.login("caregiver"))
        expect(tab).to_have_url(f"{demo_clinic.url}/portal/")
        tab.locator("ul.tiles a").first.click()
        tab.get_by_role("link", name="Home program and handouts").click()
        expect(tab.get_by_role("heading", level=1)).to_have_text("Home program and handouts")
        link = tab.get_by_role("link", name="Open home program (PDF)").first
        expect(link).to_be_visible()
        pdf = tab.request.get(link.get_attribute("href") or "")
        assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
        assert tab.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert not unlabelled_controls(tab)
        screenshot(tab, "caregiver-home-program-390")
        tab.get_by_role("link", name="Back to").first.click()
        tab.get_by_role("link", name="Goals and progress").click()
        expect(tab.locator("svg.goal-plot").first).to_be_visible()
        screenshot(tab, "caregiver-goals-390")
    finally:
        phone.close()
