"""The documentation assistant's browser walks: a local chat-completions server as the
organization's language model (tests/chat_server.py), and the assistant turned on at it."""

from collections.abc import Iterator, Sequence
from typing import Any

from tests.browser.demo_data import Login, between_requests
from tests.chat_server import ChatServer, chat_server


def model_replying(reply: str) -> Iterator[ChatServer]:
    """The body of a walk's `model` fixture (`yield from`): a chat server answering `reply`."""
    with chat_server() as server:
        server.reply = reply
        yield server


def assistant_on(organization: Any, model: ChatServer, **options: Any) -> None:
    """The organization's assistant turned on at `model`, with a browser's time limit (options,
    such as `streaming`, override)."""
    from otclinic.clinic.assistant.models import AssistantSettings

    values = {"enabled": True, "base_url": model.base_url, "model": "local-test"}
    values.update({"timeout_seconds": 10, **options})
    AssistantSettings.objects.create(organization=organization, **values)


def ohio_with_assistant(
    model: ChatServer,
    django_db_blocker: Any,
    *,
    planned: Sequence[tuple[str, str]] = (),
    **options: Any,
) -> dict[str, Any]:
    """An Ohio practice (the revenue builders) with its assistant on at `model`; `planned` adds
    (code, category) interventions to its plan. The OTA's login and name, the patient's id and
    last name, and the fixed past date of service, for the page."""
    from django.test import override_settings

    from otclinic.clinic.care.models import PlannedIntervention
    from tests.browser.demo_data import FAST_HASHER
    from tests.clinic import factories as f
    from tests.clinic.revenue.claims.builders import DAY, billing_practice

    with between_requests(django_db_blocker), override_settings(PASSWORD_HASHERS=[FAST_HASHER]):
        b = billing_practice()
        for code, category in planned:
            PlannedIntervention.objects.create(
                organization=b.org, plan=b.plan, code=code, category=category
            )
        assistant_on(b.org, model, **options)
        return {
            "ota": Login(b.ota.user.username, f.PASSWORD),
            "ota_name": b.ota.user.get_full_name(),
            "patient_id": str(b.patient.pk),
            "patient_name": b.patient.last_name,
            "day": DAY.isoformat(),
        }
