"""Questions the care app asks of apps above it (common.hooks); each must be answered.

The allowed amounts of a note's visit (`billing_adapter.note_amounts`, answered by revenue) are
declared beside the billing check that asks them.
"""

import datetime as dt
from typing import Any

from otclinic.clinic.common.hooks import hook


@hook(provider="supervision")
def supervision_plan_cosign(*, ota: Any, day: dt.date) -> bool | None:
    """Whether the assistant's written supervision plan in force on `day` has their notes
    co-signed (True) or initialed (False); None when no plan is in force (8 NYCRR 76.8).
    Answered by `supervision.plans.plan_cosign_on`."""
    raise NotImplementedError


@hook(provider="messaging")
def staff_task_create(
    *, user: Any, title: str, assignee: Any, due_on: dt.date | None = None, patient: Any = None
) -> Any:
    """Give `assignee` a task about `patient`, set by `user`; refuses with PermissionDenied or
    ValidationFailed as the task list does. Answered by `messaging.tasks.task_create`."""
    raise NotImplementedError


@hook(provider="assistant")
def note_assistant_offered(*, note: Any, user: Any) -> bool:
    """Whether the note page offers `user` a language model's draft of `note`'s narrative (the
    organization turned it on). Answered by `assistant.selectors.assistant_offered`."""
    raise NotImplementedError


@hook(provider="assistant")
def note_pending_proposals(*, note: Any) -> list[str]:
    """The shorthand lines of `note` whose language-model proposal still waits for the
    clinician's Accept or Discard (signing is refused while any does). Answered by
    `assistant.selectors.pending_proposals`."""
    raise NotImplementedError
