"""Questions the patients app asks of apps above it (common.hooks); each must be answered."""

import uuid
from typing import Any

from otclinic.clinic.common.hooks import hook


@hook(provider="care")
def chart_recent_notes(*, organization_id: uuid.UUID, patient: Any) -> list[Any]:
    """The patient's latest treatment notes for the chart (at most ten), with their author,
    episode and lines. Answered by `care.selectors_notes.recent_notes_for_chart`."""
    raise NotImplementedError


@hook(provider="care")
def chart_episodes(*, user: Any, patient: Any) -> list[Any]:
    """The patient's episodes as the chart lists them, with their therapist and clinic.
    Answered by `care.selectors_clinical.episode_list_for_chart`."""
    raise NotImplementedError
