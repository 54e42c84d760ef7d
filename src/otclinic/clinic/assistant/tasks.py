"""The assistant's background task (Django's Tasks framework, through the django-tasks backport):
a draft is passed by its id, and the worker reads the rest from its `AssistantDraft`."""

import uuid

from django_tasks import task

from otclinic.clinic.assistant.services import draft_run


@task()
def draft_narrative(draft_id: str) -> str:
    """Ask the organization's model for a note's narrative draft (`services.draft_run`)."""
    return draft_run(draft_id=uuid.UUID(draft_id))
