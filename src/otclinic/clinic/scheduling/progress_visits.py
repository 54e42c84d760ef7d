"""The progress-report mark on appointments: which booked visit carries the episode's report.

`Appointment.progress_report_due` is computed, never typed in: after every booking,
cancellation, check-in or completion the schedule's services call `progress_visit_mark`, and
signing a note, evaluation or progress report triggers it too (`signals.py`), because each
moves the count. The rule is the domain's (`domain.scheduling.progress_visit`), which asks the
episode check when the open period's report falls due once the booked visits have taken place.
The mark sits on a treatment (or progress) visit; the booked kind is left as the desk chose it.
`otclinic schedule progress-visits` recomputes every open episode (e.g. nightly, since the day
moving on turns yesterday's unclosed bookings into history).
"""

import datetime as dt
import logging
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from otclinic.clinic.care.adapters import EPISODE_PREFETCH, EPISODE_SELECT, episode_facts
from otclinic.clinic.care.models import Episode, EpisodeStatus
from otclinic.clinic.care.selectors_clinical import reload_episode
from otclinic.clinic.payers.adapters import policy_for_payer
from otclinic.clinic.scheduling.models import Appointment, AppointmentKind, AppointmentStatus
from otclinic.domain.codes import DocumentType
from otclinic.domain.scheduling.progress_visit import BookedVisit, progress_visit_day

log = logging.getLogger(__name__)

_OPEN = frozenset({AppointmentStatus.SCHEDULED, AppointmentStatus.CHECKED_IN})
_MARKABLE_KINDS = frozenset({AppointmentKind.TREATMENT, AppointmentKind.PROGRESS})
_DOCUMENT_FOR_KIND: dict[str, DocumentType] = {
    AppointmentKind.EVALUATION: DocumentType.EVALUATION,
    AppointmentKind.REEVALUATION: DocumentType.REEVALUATION,
}


def _day(appointment: Appointment) -> dt.date:
    return timezone.localdate(appointment.starts_at)


def _booked(rows: Iterable[Appointment], today: dt.date) -> list[BookedVisit]:
    """Open visits from today on, and completed ones (their notes may not be signed yet)."""
    return [
        BookedVisit(_day(a), _DOCUMENT_FOR_KIND.get(a.kind, DocumentType.TREATMENT))
        for a in rows
        if a.status == AppointmentStatus.COMPLETED or (a.status in _OPEN and _day(a) >= today)
    ]


def _markable(rows: Iterable[Appointment], today: dt.date) -> list[Appointment]:
    return [a for a in rows if a.status in _OPEN and a.kind in _MARKABLE_KINDS and _day(a) >= today]


def _target(full: Episode, rows: list[Appointment], today: dt.date) -> Appointment | None:
    """The appointment to mark; `full` carries the episode check's prefetches (no queries)."""
    if full.status != EpisodeStatus.OPEN:
        return None
    facts = episode_facts(full, as_of=today)
    if facts is None:
        return None
    markable = _markable(rows, today)
    day = progress_visit_day(
        facts,
        policy=policy_for_payer(full.coverage.payer if full.coverage else None),
        booked=_booked(rows, today),
        markable=[_day(a) for a in markable],
    )
    return next((a for a in markable if _day(a) == day), None)


def _changes(rows: list[Appointment], target: Appointment | None) -> list[Appointment]:
    """The rows whose mark changes, with the new mark set on them."""
    changed = []
    for row in rows:
        wanted = row.pk == (target.pk if target else None)
        if row.progress_report_due != wanted:
            row.progress_report_due = wanted
            changed.append(row)
    return changed


def _apply(episode: Episode, rows: list[Appointment], target: Appointment | None) -> None:
    """Save only the rows whose mark changes (so the audit trail records each move)."""
    for row in _changes(rows, target):
        row.save(update_fields=["progress_report_due", "updated_at"])
    if target is not None:
        log.info("progress-report visit episode=%s appointment=%s", episode.pk, target.pk)


@transaction.atomic
def progress_visit_mark(*, episode: Episode, today: dt.date | None = None) -> Appointment | None:
    """Mark the episode's progress-report visit and clear any other mark; the marked one or None.

    Running it again changes nothing.
    """
    today = today or timezone.localdate()
    rows = list(
        Appointment.objects.for_org(episode.organization_id)
        .select_for_update()
        .filter(episode_id=episode.pk)
        .order_by("starts_at")
    )
    target = _target(reload_episode(episode), rows, today)
    _apply(episode, rows, target)
    return target


def progress_visits_mark_all(
    *,
    today: dt.date | None = None,
    episodes: QuerySet[Episode] | None = None,
    bulk: bool = False,
) -> int:
    """Recompute the mark of every episode with appointments (or of `episodes`); how many marked.

    A closed episode loses its mark. Episodes are read in batches with everything the episode
    check needs, so this costs a few queries per batch, not per episode. A booking racing this
    run recomputes its own episode's mark when it commits. `bulk` writes the changes without
    per-row audit entries, for a caller that records the whole operation (the demo seed).
    """
    today = today or timezone.localdate()
    chosen = episodes if episodes is not None else Episode.objects.all()
    batch = (
        chosen.filter(appointments__isnull=False)
        .distinct()
        .select_related(*EPISODE_SELECT)
        .prefetch_related(
            *EPISODE_PREFETCH,
            Prefetch("appointments", queryset=Appointment.objects.order_by("starts_at")),
        )
    )
    marked = 0
    for episode in batch.iterator(chunk_size=200):
        rows = list(episode.appointments.all())
        target = _target(episode, rows, today)
        if bulk:
            Appointment.objects.bulk_update(_changes(rows, target), ["progress_report_due"])
        else:
            with transaction.atomic():
                _apply(episode, rows, target)
        marked += target is not None
    return marked


def progress_visits_mark_for(*, appointments: Iterable[Appointment]) -> None:
    """Recompute the mark of each episode these appointments belong to (after a write)."""
    seen = set()
    for appointment in appointments:
        if appointment.episode_id and appointment.episode_id not in seen:
            seen.add(appointment.episode_id)
            episode = Episode.objects.get(pk=appointment.episode_id)
            progress_visit_mark(episode=episode)
