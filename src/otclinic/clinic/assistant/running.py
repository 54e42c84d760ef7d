"""How the assistant's background requests (a narrative draft, a shorthand reading) run: a
worker claims a queued request once, the model's answer is timed, and the page stops waiting for
a request whose worker never finished it."""

import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.utils import timezone

from otclinic.clinic.assistant import selectors
from otclinic.clinic.assistant.models import AssistantDraft, DraftStatus, ShorthandAsk

# A request still unfinished this long after its time limit lost its worker: the page stops
# waiting and takes what it would have had without the model.
GRACE_SECONDS = 30

T = TypeVar("T")


def claim(model: type[AssistantDraft | ShorthandAsk], pk: Any) -> bool:
    """Mark a queued request running; False when it is not queued (another run took it)."""
    queued = model.objects.filter(pk=pk, status=DraftStatus.QUEUED)
    return bool(queued.update(status=DraftStatus.RUNNING))


def timed(call: Callable[[], T]) -> tuple[T, int]:
    """What `call` returns, and how long it took in whole milliseconds."""
    started = time.monotonic()
    result = call()
    return result, round((time.monotonic() - started) * 1000)


def lost(request: AssistantDraft | ShorthandAsk) -> bool:
    """Unfinished past the organization's time limit and the grace: no worker will finish it."""
    limit = selectors.settings_for(request.organization_id).timeout_seconds + GRACE_SECONDS
    return (timezone.now() - request.created_at).total_seconds() > limit
