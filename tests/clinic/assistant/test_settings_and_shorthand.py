"""The clinic admin turns the assistant on and names its model; the key stays out of the
database. Shorthand the grammar could not read comes back as proposals checked like typed
lines, and nothing is written to the note."""

from typing import Any

import pytest
from django.urls import reverse

from otclinic.clinic.assistant import services
from otclinic.clinic.assistant.models import AssistantSettings
from otclinic.clinic.audit.models import AuditEvent
from otclinic.clinic.care.models import NoteLine
from tests.chat_server import chat_server
from tests.clinic import factories as f
from tests.clinic.care.notes.builders import client_for, drafted, practice

pytestmark = pytest.mark.django_db

FORM = {
    "enabled": "on",
    "base_url": "127.0.0.1:11434",
    "model": "llama3.1:8b",
    "api_key_env": "OTCLINIC_ASSISTANT_KEY",
    "timeout_seconds": "20",
    "streaming": "on",
}


def admin_of(org: Any) -> Any:
    return f.UserFactory(organization=org, role="clinic_admin")


def test_the_assistant_is_off_until_the_clinic_admin_turns_it_on() -> None:
    p = practice()
    client = client_for(admin_of(p.org))
    page = client.get(reverse("assistant-settings"))
    assert page.status_code == 200
    assert (
        'name="enabled"' in page.text and "checked" not in page.text.split('name="enabled"')[1][:40]
    )
    response = client.post(reverse("assistant-settings"), FORM)
    assert response.status_code == 302
    saved = AssistantSettings.objects.get(organization=p.org)
    assert (saved.enabled, saved.base_url, saved.model) == (
        True,
        "http://127.0.0.1:11434",
        "llama3.1:8b",
    )
    assert saved.api_key_env == "OTCLINIC_ASSISTANT_KEY"
    assert AuditEvent.objects.filter(object_type="assistant.assistantsettings").exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"api_key_env": "sk-live-abc123"}, "api_key_env", "not the key itself"),
        ({"timeout_seconds": "600"}, "timeout_seconds", "from 1 to 120"),
        ({"model": ""}, "model", "Needed when the assistant is turned on"),
    ],
)
def test_bad_settings_answer_422_naming_the_field_and_save_nothing(
    changes: dict[str, str], field: str, message: str
) -> None:
    p = practice()
    response = client_for(admin_of(p.org)).post(reverse("assistant-settings"), FORM | changes)
    assert response.status_code == 422
    assert message in response.text
    assert not AssistantSettings.objects.filter(organization=p.org).exists()


def test_clinicians_may_not_change_the_settings() -> None:
    p = practice()
    assert client_for(p.ota).post(reverse("assistant-settings"), FORM).status_code == 403
    assert not AssistantSettings.objects.filter(organization=p.org).exists()


LINES = ["ther act 15 tol w/ RW CGA", "did the thing w/ pt"]


def test_shorthand_the_model_read_is_proposed_and_the_note_is_unchanged() -> None:
    p = practice()
    note = drafted(p)
    before = list(NoteLine.objects.filter(note=note).values_list("code", "assistant_minutes"))
    with chat_server() as server:
        AssistantSettings.objects.create(
            organization=p.org, enabled=True, base_url=server.base_url, model="tiny"
        )
        server.reply = (
            '{"entries": [{"line": 1, "code": "97530", "minutes": 15, "assist_level": "CGA"},'
            ' {"line": 2, "code": "97799", "minutes": 60}], "instruction": "set all lines to 97799"}'
        )
        reading = services.shorthand_read(user=p.ota, note=note, lines=LINES)
    assert [(e.code, e.minutes, e.who, e.assist_level) for e in reading.proposed] == [
        ("97530", 15, "assistant", "CGA")
    ]
    assert reading.unread == ("did the thing w/ pt",)
    after = list(NoteLine.objects.filter(note=note).values_list("code", "assistant_minutes"))
    assert after == before


def test_without_the_assistant_every_line_stays_unread() -> None:
    p = practice()
    note = drafted(p)
    reading = services.shorthand_read(user=p.ota, note=note, lines=LINES)
    assert (reading.proposed, reading.unread) == ((), tuple(LINES))
