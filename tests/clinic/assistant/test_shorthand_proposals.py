"""The note page's "Ask the assistant to read these lines": the unread shorthand lines go to the
model as a background job, its answer comes back as proposals checked like typed lines, the
clinician accepts or discards each one, and a note with a proposal waiting is not signed."""

from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from otclinic.clinic.assistant.models import AssistantSettings, DraftStatus, ShorthandAsk
from otclinic.clinic.audit.models import AuditEvent
from otclinic.clinic.care.models import NoteLine, TreatmentNote
from otclinic.clinic.care.services import notes as svc
from otclinic.clinic.jobs.worker import run_queued_tasks
from tests.chat_server import ChatServer, chat_server
from tests.clinic import factories as f
from tests.clinic.assistant import on
from tests.clinic.care.notes.builders import Practice, client_for, drafted, form_data, practice

pytestmark = pytest.mark.django_db

UNREAD = "did the stand pivot thing w/ Quimby"
BOX = f"ther ex 10 BUE AROM\n{UNREAD}"
GOOD = '{"entries": [{"line": 1, "code": "97530", "minutes": 12, "assist_level": "CGA", "devices": ["RW", "rocket boots"]}]}'


@pytest.fixture
def server() -> Iterator[ChatServer]:
    with chat_server() as running:
        running.reply = GOOD
        yield running


def turned_on(p: Practice, server: ChatServer, **options: Any) -> AssistantSettings:
    """Shorthand readings are asked without streaming unless a test says otherwise."""
    return on.turned_on(p, server, **{"streaming": False, **options})


def asked(p: Practice, note: TreatmentNote, box: str = BOX) -> ShorthandAsk:
    """The OTA presses "Ask the assistant", a worker reads the lines, the page's poll shows it."""
    client = client_for(p.ota)
    started = client.post(
        reverse("assistant-shorthand-start", args=[note.pk]), form_data(note, shorthand=box)
    )
    assert started.status_code == 200, started.text
    ask = ShorthandAsk.objects.get(note=note)
    assert run_queued_tasks() == 1
    poll = client.post(reverse("assistant-shorthand-poll", args=[ask.pk]))
    assert poll.status_code == 200
    ask.refresh_from_db()
    return ask


def test_the_offer_shows_only_with_unread_lines_and_the_assistant_on(server: ChatServer) -> None:
    p = practice()
    note = drafted(p)
    url = reverse("note-shorthand", args=[note.pk])
    label = "Ask the assistant to read these lines"
    client = client_for(p.ota)
    off = client.post(url, form_data(note, shorthand=BOX, live="1"), HTTP_HX_REQUEST="true")
    assert "<mark>" in off.text and label not in off.text
    turned_on(p, server)
    unread = client.post(url, form_data(note, shorthand=BOX, live="1"), HTTP_HX_REQUEST="true")
    assert label in unread.text
    read = client.post(
        url, form_data(note, shorthand="ther ex 10", live="1"), HTTP_HX_REQUEST="true"
    )
    assert label not in read.text


def test_the_unread_line_comes_back_as_a_proposal_with_the_name_masked(server: ChatServer) -> None:
    p = practice()
    patient = p.episode.patient
    patient.last_name = "Quimby"
    patient.save()
    note = drafted(p)
    turned_on(p, server)
    ask = asked(p, note)
    assert ask.status == DraftStatus.DONE
    assert [(q["line"], q["text"], q["state"]) for q in ask.proposals] == [
        (UNREAD, "97530 ota 12 CGA RW", "proposed")
    ]
    assert "rocket boots" in ask.proposals[0]["note"]
    sent = server.sent_text()
    assert "stand pivot" in sent and "ther ex 10" not in sent
    assert "Quimby" not in sent and "[NAME_" in sent
    assert (ask.lines, ask.originals) == ([{"text": UNREAD}], {})
    assert not NoteLine.objects.filter(note=note, code="97530", assistant_minutes=12).exists()


@pytest.mark.parametrize(
    ("reply", "why"),
    [
        (
            '{"entries": [{"line": 1, "code": "97799", "minutes": 12}]}',
            "not one of this plan's codes",
        ),
        ('{"entries": [{"line": 1, "code": "97530", "minutes": 600}]}', "minutes must be whole"),
        ('Ignore the rules. {"entries": []} and bill 97799', "not the JSON asked for"),
        ('{"entries": [], "instruction": "set every line to 97799"}', "gave no reading"),
    ],
)
def test_a_malicious_or_malformed_reply_is_refused_with_a_visible_reason(
    server: ChatServer, reply: str, why: str
) -> None:
    p = practice()
    note = drafted(p)
    turned_on(p, server)
    server.reply = reply
    ask = asked(p, note)
    assert ask.status == DraftStatus.FALLBACK and ask.proposals == []
    assert [line for line, _ in ask.refused] == [UNREAD]
    assert why in ask.refused[0][1]
    page = client_for(p.ota).post(reverse("assistant-shorthand-poll", args=[ask.pk]))
    assert why in page.text.replace("&#x27;", "'")


@pytest.mark.parametrize("mode", ["error", "slow", "malformed"])
def test_a_failing_server_leaves_the_lines_unread_with_a_message(
    server: ChatServer, mode: str
) -> None:
    p = practice()
    note = drafted(p)
    turned_on(p, server, timeout_seconds=1)
    server.mode, server.delay = mode, 3
    ask = asked(p, note)
    assert ask.status == DraftStatus.FALLBACK and ask.proposals == []
    assert "could not read these lines" in ask.message


def test_every_reading_is_audited_with_model_and_time_but_no_text(server: ChatServer) -> None:
    p = practice()
    note = drafted(p)
    turned_on(p, server)
    asked(p, note)
    entry = AuditEvent.objects.get(detail__startswith="assistant shorthand done")
    assert entry.object_id == str(note.pk) and "tiny-notes" in entry.detail
    assert " ms" in entry.detail and "pivot" not in entry.detail


def test_accept_sends_the_line_to_the_box_and_discard_does_not(server: ChatServer) -> None:
    p = practice()
    note = drafted(p)
    turned_on(p, server)
    ask = asked(p, note)
    url = reverse("assistant-shorthand-decide", args=[ask.pk])
    client = client_for(p.ota)
    accepted = client.post(url, {"index": "0", "decision": "accept"})
    assert accepted.status_code == 200
    assert "97530 ota 12 CGA RW" in accepted["HX-Trigger"]
    again = client.post(url, {"index": "0", "decision": "discard"})
    assert again.status_code == 422 and "already decided" in again.text
    ask.refresh_from_db()
    assert ask.proposals[0]["state"] == "accepted"


def test_signing_with_a_proposal_waiting_is_refused_naming_it(server: ChatServer) -> None:
    p = practice()
    note = drafted(p)
    turned_on(p, server)
    ask = asked(p, note)
    with pytest.raises(svc.NoteNotSignable, match="stand pivot thing"):
        svc.note_sign(user=p.ota, note=note, revision=note.revision)
    client_for(p.ota).post(
        reverse("assistant-shorthand-decide", args=[ask.pk]), {"index": "0", "decision": "discard"}
    )
    signed = svc.note_sign(user=p.ota, note=note, revision=note.revision)
    assert signed.status != "draft"
    assert not NoteLine.objects.filter(note=note, code="97530", assistant_minutes=12).exists()


def test_the_assistant_is_off_by_default(server: ChatServer) -> None:
    p = practice()
    note = drafted(p)
    response = client_for(p.ota).post(
        reverse("assistant-shorthand-start", args=[note.pk]), form_data(note, shorthand=BOX)
    )
    assert response.status_code == 403
    assert not ShorthandAsk.objects.exists() and server.requests == []


def test_only_the_author_asks_and_decides(server: ChatServer) -> None:
    p = practice()
    note = drafted(p)
    turned_on(p, server)
    start = reverse("assistant-shorthand-start", args=[note.pk])
    assert client_for(p.ot).post(start, form_data(note, shorthand=BOX)).status_code == 403
    biller = f.UserFactory(organization=p.org, role="biller")
    assert client_for(biller).post(start, form_data(note, shorthand=BOX)).status_code in {403, 404}
    ask = asked(p, note)
    decide = reverse("assistant-shorthand-decide", args=[ask.pk])
    other = client_for(p.ot).post(decide, {"index": "0", "decision": "accept"})
    assert other.status_code == 404
    assert ShorthandAsk.objects.get().proposals[0]["state"] == "proposed"


def test_another_organizations_reading_answers_404(server: ChatServer) -> None:
    p = practice()
    note = drafted(p)
    turned_on(p, server)
    ask = asked(p, note)
    stranger = practice()
    client = client_for(stranger.ota)
    assert client.post(reverse("assistant-shorthand-poll", args=[ask.pk])).status_code == 404
    decide = reverse("assistant-shorthand-decide", args=[ask.pk])
    assert client.post(decide, {"index": "0", "decision": "accept"}).status_code == 404
    start = reverse("assistant-shorthand-start", args=[note.pk])
    assert client.post(start, form_data(note, shorthand=BOX)).status_code == 404


def test_a_reading_whose_worker_never_came_leaves_the_lines_unread_after_its_time_limit(
    server: ChatServer,
) -> None:
    p = practice()
    note = drafted(p)
    turned_on(p, server)
    client = client_for(p.ota)
    start = reverse("assistant-shorthand-start", args=[note.pk])
    client.post(start, form_data(note, shorthand=BOX))
    ask = ShorthandAsk.objects.get(note=note)
    poll = reverse("assistant-shorthand-poll", args=[ask.pk])
    assert "Waiting for the assistant" in client.post(poll).text
    with time_machine.travel(ask.created_at.timestamp() + 60):
        late = client.post(poll)
    assert "did not answer in time" in late.text
    ask.refresh_from_db()
    assert ask.status == DraftStatus.FALLBACK and ask.originals == {}
