"""Starting a conversation from the chart, an episode, a note or a claim ("Message about this")."""

from typing import Any

import pytest
from django.test import Client

from otclinic.clinic.messaging.models import Thread
from tests.clinic import factories as f
from tests.clinic.messaging.helpers import Team, team
from tests.clinic.revenue.remittance.helpers import make_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def t() -> Team:
    return team()


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _start(client: Client, url: str, t: Team, **extra: Any) -> Any:
    data = {"subject": "Question", "body": "Please have a look.", "people": [str(t.ota.pk)]}
    return client.post(url, data | extra)


def test_each_record_page_links_to_a_conversation_about_it(t: Team) -> None:
    note = f.TreatmentNoteFactory(episode=t.episode)
    client = _client(t.ot)
    pages = {
        f"/patients/{t.patient.pk}/": f"/messages/new/patient/{t.patient.pk}/",
        f"/care/episodes/{t.episode.pk}/": f"/messages/new/episode/{t.episode.pk}/",
        f"/care/notes/{note.pk}/": f"/messages/new/note/{note.pk}/",
    }
    for page, link in pages.items():
        html = client.get(page).content.decode()
        assert f'<a href="{link}">Message about this</a>' in html, page


def test_a_conversation_about_a_note_carries_the_note_and_its_patient(t: Team) -> None:
    note = f.TreatmentNoteFactory(episode=t.episode)
    client = _client(t.ot)
    form = client.get(f"/messages/new/note/{note.pk}/").content.decode()
    assert "<h1>New conversation</h1>" in form
    assert f"@{t.ota.username}" in form  # offered in the People picker
    assert f"@{t.stranger.username}" not in form  # another patient's caregiver is not
    response = _start(client, f"/messages/new/note/{note.pk}/", t)
    thread = Thread.objects.get()
    assert response["Location"] == f"/messages/threads/{thread.pk}/"
    assert (thread.note, thread.patient, thread.episode) == (note, t.patient, None)
    page = _client(t.ota).get(response["Location"]).content.decode()
    assert f'href="/care/notes/{note.pk}/"' in page


def test_a_biller_asks_about_a_claim_and_the_therapist_reads_it(t: Team) -> None:
    coverage = f.CoverageFactory(patient=t.patient)
    claim = make_claim(
        organization=t.org, control_number="CLM123", coverage=coverage, episode=t.episode
    )
    biller = _client(t.biller)
    assert "Message about this" in biller.get(f"/billing/claims/{claim.pk}/").content.decode()
    data = {
        "subject": "Units on claim 123",
        "body": "Were these 3 units?",
        "people": [str(t.ot.pk)],
    }
    response = biller.post(f"/messages/new/claim/{claim.pk}/", data)
    thread = Thread.objects.get()
    assert (thread.claim, thread.patient) == (claim, t.patient)
    page = _client(t.ot).get(response["Location"]).content.decode()
    assert "Were these 3 units?" in page


def test_an_invalid_new_conversation_answers_422_naming_the_fields(t: Team) -> None:
    response = _client(t.ot).post(f"/messages/new/patient/{t.patient.pk}/", {"subject": ""})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Subject: This field is required." in html
    assert "Message: This field is required." in html
    # Each error is tied to its field: the list's id is the one the field's
    # aria-describedby names.
    assert 'aria-describedby="id_subject_error"' in html
    assert '<ul class="errorlist" id="id_subject_error" role="alert">' in html
    assert not Thread.objects.exists()


def test_a_team_conversation_about_no_patient(t: Team) -> None:
    response = _client(t.admin).post(
        "/messages/new/",
        {"subject": "Friday staffing", "body": "Who covers?", "roles": ["OT", "OTA"]},
    )
    thread = Thread.objects.get()
    assert thread.patient is None
    assert _client(t.ota).get(response["Location"]).status_code == 200
    assert _client(t.biller).get(response["Location"]).status_code == 404
