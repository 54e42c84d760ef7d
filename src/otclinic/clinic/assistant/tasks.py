"""The assistant's background task (Django's Tasks framework, through the django-tasks backport):
a draft is passed by its id, and the worker reads the rest from its `AssistantDraft`."""

import uuid

from django_tasks import task

from otclinic.clinic.assistant.services import draft_run
from otclinic.clinic.assistant.services_shorthand import shorthand_ask_run


@task()
def draft_narrative(draft_id: str) -> str:
    """Ask the organization's model for a note's narrative draft (`services.draft_run`)."""
    return draft_run(draft_id=uuid.UUID(draft_id))


@task()
def read_shorthand(ask_id: str) -> str:
    """Ask the organization's model to read a note's unread shorthand lines
    (`services_shorthand.shorthand_ask_run`)."""
    return shorthand_ask_run(ask_id=uuid.UUID(ask_id))
