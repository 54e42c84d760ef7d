"""Which booked visit is the progress-report visit (BPM ch. 15 sec. 220.3; reference sec. 6).

The episode check says when the open reporting period's progress report falls due: on its 10th
treatment day for Medicare, or as the payer policy says. Booked visits are future treatment
days, so this asks the same check what it would answer once they have taken place: the booked
visits go in as treatment documents (a booked re-evaluation as a re-evaluation, which closes the
period), and the check's `progress_report.due_by` is the day the report falls due. The visit to
mark is the one on that day, or the first one after it when that day is past or has no open
visit. For a payer that counts calendar days, it is the last visit on or before the due date, or
the first after it when none comes before. Nothing here is counted a second way.
"""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from otclinic.domain.codes import DocumentType
from otclinic.domain.compliance.episode import check_episode
from otclinic.domain.compliance.episode_model import THERAPIST_FOR, Episode, EpisodeDocument
from otclinic.domain.compliance.payer_policy import PayerPolicy, ProgressInterval

_PLANNABLE = frozenset({DocumentType.EVALUATION, DocumentType.REEVALUATION, DocumentType.TREATMENT})


@dataclass(frozen=True, slots=True)
class BookedVisit:
    """A visit on the book that the episode's documents do not show yet."""

    day: date
    type: DocumentType = DocumentType.TREATMENT

    def __post_init__(self) -> None:
        if self.type not in _PLANNABLE:
            raise ValueError(f"a booked visit is a treatment day, not a {self.type}")


def report_due_day(
    episode: Episode, *, policy: PayerPolicy, booked: Iterable[BookedVisit]
) -> date | None:
    """The day the open period's progress report falls due once the booked visits take place.

    None when even the booked visits do not reach the interval (no report falls due yet).
    """
    visits = tuple(booked)
    therapist = THERAPIST_FOR[episode.discipline]
    planned = tuple(EpisodeDocument(v.day, v.type, therapist) for v in visits)
    horizon = max([episode.as_of, *(v.day for v in visits)])
    future = replace(episode, as_of=horizon, documents=(*episode.documents, *planned))
    return check_episode(future, policy=policy).progress_report.due_by


def progress_visit_day(
    episode: Episode,
    *,
    policy: PayerPolicy,
    booked: Iterable[BookedVisit],
    markable: Iterable[date],
) -> date | None:
    """The day of the open visit to mark as the progress-report visit, or None.

    `booked` are the episode's visits on the book (open or done but not yet documented);
    `markable` the days of the open visits that may carry the report.
    """
    due = report_due_day(episode, policy=policy, booked=booked)
    days = sorted(set(markable))
    if due is None or not days:
        return None
    if policy.progress_interval_kind is ProgressInterval.CALENDAR_DAYS:
        before = [d for d in days if d <= due]
        if before:
            return before[-1]
    return next((d for d in days if d >= due), None)
