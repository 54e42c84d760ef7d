"""The hiring pages: clinic admins only, the board's moves (htmx), 422 with the field's message."""

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client

from otclinic.clinic.audit.models import AuditEvent
from otclinic.clinic.hiring.models import Applicant, JobPosting
from tests.clinic import factories as f
from tests.clinic.hiring.builders import applied, before_hire_done, move, offered, practice

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 27)


@pytest.fixture(autouse=True)
def _today() -> object:
    with time_machine.travel(dt.datetime(2026, 11, 27, 15, tzinfo=dt.UTC)):
        yield


def _as(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def test_a_clinic_admin_opens_a_posting_and_sees_the_nav_link(client: Client) -> None:
    p = practice()
    c = _as(client, p.admin)
    assert 'href="/hiring/"' in c.get("/").content.decode()
    response = c.post(
        "/hiring/new/",
        {
            "title": "OTA, outpatient hand clinic",
            "clinic": str(p.posting.clinic.pk),
            "role": "OTA",
            "employment_type": "part_time",
            "posted_on": "2026-11-27",
            "closes_on": "2026-12-31",
        },
    )
    posting = JobPosting.objects.get(title="OTA, outpatient hand clinic")
    assert response.status_code == 302 and response["Location"] == f"/hiring/{posting.pk}/"
    assert "OTA, outpatient hand clinic" in c.get("/hiring/").content.decode()


def test_a_posting_closing_before_it_opens_is_refused_naming_the_field(client: Client) -> None:
    p = practice()
    response = _as(client, p.admin).post(
        "/hiring/new/",
        {
            "title": "OT",
            "clinic": str(p.posting.clinic.pk),
            "role": "OT",
            "employment_type": "full_time",
            "posted_on": "2026-11-27",
            "closes_on": "2026-11-01",
        },
    )
    assert response.status_code == 422
    assert (
        "Closes on: The closing date must be on or after 2026-11-27." in response.content.decode()
    )


def test_another_organizations_clinic_is_not_offered_nor_accepted(client: Client) -> None:
    p, other = practice(), practice()
    response = _as(client, p.admin).post(
        "/hiring/new/",
        {
            "title": "Sneaky",
            "clinic": str(other.posting.clinic.pk),
            "role": "OT",
            "employment_type": "full_time",
            "posted_on": "2026-11-27",
        },
    )
    assert response.status_code == 422
    assert not JobPosting.objects.filter(title="Sneaky").exists()


@pytest.mark.parametrize("role", ["OT", "OTA", "biller", "front_desk", "student"])
def test_other_roles_are_refused_every_hiring_page(client: Client, role: str) -> None:
    p = practice()
    applicant = applied(p)
    c = _as(client, f.staff_user(organization=p.org, role=role))
    assert 'href="/hiring/"' not in c.get("/").content.decode()
    for url in ("/hiring/", "/hiring/new/", "/hiring/settings/", f"/hiring/{p.posting.pk}/"):
        assert c.get(url).status_code == 403, url
    assert c.get(f"/hiring/applicants/{applicant.pk}/").status_code == 403
    response = c.post(f"/hiring/applicants/{applicant.pk}/move/", {"to": "screened"})
    assert response.status_code == 403
    applicant.refresh_from_db()
    assert applicant.stage == "applied"


def test_the_board_shows_a_column_per_stage_and_moves_with_htmx(client: Client) -> None:
    p = practice()
    applicant = applied(p)
    c = _as(client, p.admin)
    page = c.get(f"/hiring/{p.posting.pk}/").content.decode()
    for stage in ("Applied", "Screened", "Interviewed", "Offered", "Hired", "Declined"):
        assert f'id="stage-{stage.lower()}">{stage}' in page
    response = c.post(
        f"/hiring/applicants/{applicant.pk}/move/",
        {"to": "screened", "from": "board"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="board"')
    assert "<html" not in body
    assert "Move Avery to interviewed" in body
    applicant.refresh_from_db()
    assert applicant.stage == "screened"


def test_an_offer_from_the_board_before_verification_answers_422_with_the_reasons(
    client: Client,
) -> None:
    p = practice()
    applicant = move(p, applied(p), "screened", "interviewed")
    response = _as(client, p.admin).post(
        f"/hiring/applicants/{applicant.pk}/move/",
        {"to": "offered", "from": "board"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "NBCOT certification TEST-COTA-0001 is not verified yet." in body
    assert "2 favourable references are needed; 0 recorded." in body
    applicant.refresh_from_db()
    assert applicant.stage == "interviewed"


def test_the_applicant_page_shows_the_checklists_and_is_audited(client: Client) -> None:
    p = practice()
    applicant = applied(p)
    response = _as(client, p.admin).get(f"/hiring/applicants/{applicant.pk}/")
    body = response.content.decode()
    assert response.status_code == 200
    for text in (
        "NBCOT certification",
        "State licenses",
        "References",
        "Mark done: HIPAA training",
    ):
        assert text in body
    assert AuditEvent.objects.filter(
        action="view", object_type="hiring.applicant", object_id=str(applicant.pk)
    ).exists()
    assert "Avery" not in " ".join(AuditEvent.objects.values_list("detail", flat=True))


def test_a_lookup_without_the_expiry_answers_422_naming_the_field(client: Client) -> None:
    p = practice()
    applicant = applied(p)
    response = _as(client, p.admin).post(
        f"/hiring/applicants/{applicant.pk}/lookups/",
        {
            "license": str(applicant.licenses.get().pk),
            "result": "active",
            "source": "Ohio OT board",
            "looked_up_on": "2026-11-27",
        },
    )
    assert response.status_code == 422
    assert "Expiry found: Give the expiry date" in response.content.decode()


def test_another_applicants_onboarding_item_is_not_accepted(client: Client) -> None:
    p = practice()
    one, two = applied(p), applied(p, email="two@example.org")
    item = two.onboarding.first()
    response = _as(client, p.admin).post(
        f"/hiring/applicants/{one.pk}/onboarding/", {"item": str(item.pk)}
    )
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    item.refresh_from_db()
    assert item.done_at is None


def test_the_hire_button_hires_once_and_says_so_the_second_time(client: Client) -> None:
    p = practice()
    applicant = offered(p, on=TODAY)
    before_hire_done(p, applicant)
    c = _as(client, p.admin)
    url = f"/hiring/applicants/{applicant.pk}/hire/"
    assert c.post(url, {"username": "avery.sample"}).status_code == 302
    again = c.post(url, {"username": "avery.sample"})
    assert again.status_code == 422
    assert "Already hired on 2026-11-27 as avery.sample." in again.content.decode()
    assert Applicant.objects.get(pk=applicant.pk).staff_profile.user.username == "avery.sample"


def test_settings_change_the_references_and_the_checklist(client: Client) -> None:
    p = practice()
    c = _as(client, p.admin)
    assert "Background check" in c.get("/hiring/settings/").content.decode()
    response = c.post(
        "/hiring/settings/",
        {"references_required": "3", "before_hire": "Drug screen\n", "after_hire": "Badge\nKeys"},
    )
    assert response.status_code == 302
    applicant = applied(p)
    assert list(applicant.onboarding.values_list("label", flat=True)) == [
        "Drug screen",
        "Badge",
        "Keys",
    ]
    bad = c.post("/hiring/settings/", {"references_required": "11"})
    assert bad.status_code == 422
    assert "Favourable references an offer needs:" in bad.content.decode()


def test_declining_on_the_applicant_page_without_a_reason_answers_422(client: Client) -> None:
    p = practice()
    applicant = applied(p)
    c = _as(client, p.admin)
    url = f"/hiring/applicants/{applicant.pk}/move/"
    response = c.post(url, {"to": "declined", "reason": ""})
    assert response.status_code == 422
    assert "Reason (needed to decline): Give the reason the applicant is declined." in (
        response.content.decode()
    )
    done = c.post(url, {"to": "declined", "reason": "Accepted another offer"})
    assert done.status_code == 302
    applicant.refresh_from_db()
    assert (applicant.stage, applicant.declined_reason) == ("declined", "Accepted another offer")


def test_a_move_to_an_unknown_stage_answers_422_on_the_board(client: Client) -> None:
    p = practice()
    applicant = applied(p)
    response = _as(client, p.admin).post(
        f"/hiring/applicants/{applicant.pk}/move/", {"to": "promoted", "from": "board"}
    )
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()


def test_the_nbcot_claim_is_corrected_on_the_applicant_page(client: Client) -> None:
    p = practice()
    applicant = applied(p, nbcot_number="")
    response = _as(client, p.admin).post(
        f"/hiring/applicants/{applicant.pk}/nbcot/claim/",
        {"nbcot_credential": "COTA", "nbcot_number": "TEST-COTA-0042"},
    )
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert applicant.nbcot_number == "TEST-COTA-0042"
