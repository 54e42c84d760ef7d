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
    """The patient's episodes for the chart, each with everything its overview reads.
    Answered by `care.selectors_clinical.episodes_for_chart`."""
    raise NotImplementedError


@hook(provider="portal")
def portal_shared_patient_ids(*, user: Any, scope: str | None) -> list[uuid.UUID]:
    """The patients a portal user may see today, and with `scope` (a `PortalScope` value) only
    those whose consent shares that part of the record. The rules (consent in force, access not
    revoked, scopes) are the portal's (`portal.access`); answered by `portal.answers`."""
    raise NotImplementedError
