"""An organization's assistant turned on against a local chat server (tests/chat_server.py)."""

from typing import Any

from otclinic.clinic.assistant.models import AssistantSettings
from tests.chat_server import ChatServer
from tests.clinic.care.notes.builders import Practice


def turned_on(p: Practice, server: ChatServer, **options: Any) -> AssistantSettings:
    """The practice's assistant on, at `server`, with a short time limit (options override)."""
    values = {"enabled": True, "base_url": server.base_url, "model": "tiny-notes"}
    values.update({"timeout_seconds": 5, **options})
    return AssistantSettings.objects.create(organization=p.org, **values)
