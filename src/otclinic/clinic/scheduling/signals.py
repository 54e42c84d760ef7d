"""Care documents move the progress-report mark: the schedule listens, care does not call it.

Scheduling depends on care (booking reads the plan and the certification), not the other way
round, so a signed note, evaluation, progress report or discharge tells the schedule through
Django's `post_save` rather than through a call from the care services. The receivers only
recompute a computed mark (`progress_visits`); drafts and episodes without appointments cost
one cheap query.
"""

from typing import Any

from django.db.models.signals import post_save

from otclinic.clinic.care.models import (
    DischargeSummary,
    DocumentStatus,
    Episode,
    EpisodeStatus,
    Evaluation,
    NoteStatus,
    ProgressReport,
    TreatmentNote,
)
from otclinic.clinic.scheduling.models import Appointment
from otclinic.clinic.scheduling.progress_visits import progress_visit_mark


def _remark(episode_id: Any) -> None:
    if Appointment.objects.filter(episode_id=episode_id).exists():
        progress_visit_mark(episode=Episode.objects.get(pk=episode_id))


def _counts(instance: Any) -> bool:
    """Whether the saved document is one the episode check reads (signed, not a draft)."""
    if isinstance(instance, TreatmentNote):
        return bool(instance.status != NoteStatus.DRAFT)
    if isinstance(instance, ProgressReport | DischargeSummary):
        return bool(instance.status == DocumentStatus.SIGNED)
    return True


def on_document_saved(sender: type, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw and _counts(instance):
        _remark(instance.episode_id)


def on_episode_saved(sender: type, instance: Episode, raw: bool = False, **kwargs: Any) -> None:
    if not raw and instance.status != EpisodeStatus.OPEN:
        _remark(instance.pk)


def connect() -> None:
    for model in (TreatmentNote, Evaluation, ProgressReport, DischargeSummary):
        post_save.connect(
            on_document_saved, sender=model, dispatch_uid=f"schedule_mark_{model.__name__}"
        )
    post_save.connect(on_episode_saved, sender=Episode, dispatch_uid="schedule_mark_episode")
