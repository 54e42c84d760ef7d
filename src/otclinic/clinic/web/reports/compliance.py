"""Plan-of-care compliance: certification on time, progress reports and recertifications due.

The figures are the episode check's own answers (`domain.compliance.episode`: the initial
certification's status, the progress report due every 10 treatment days, the recertification
due at the end of the certified period), read where `care.episode_checks` keeps them: the
summary counts them in one aggregate query over the stored answers, and the page of episodes
below it asks for current answers of those episodes only.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.fields.json import KT

from otclinic.clinic.care.episode_checks import results_for
from otclinic.clinic.care.models import Episode, EpisodeCheck, EpisodeStatus
from otclinic.clinic.web.reports.filters import ReportFilter
from otclinic.clinic.web.reports.tables import Cell, Table
from otclinic.domain.compliance.episode_model import CertificationStatus, EpisodeResult

DUE_SOON_DAYS = 14  # "due": falls due within two weeks; earlier than today: overdue
ON_TIME = (CertificationStatus.TIMELY, CertificationStatus.EXEMPT_BY_REFERRAL)


def open_episodes(wanted: ReportFilter) -> QuerySet[Episode]:
    """Open episodes of the filter's therapist, discipline and payer, oldest first."""
    episodes = Episode.objects.for_org(wanted.organization_id).filter(
        wanted.staff_q("therapist"), wanted.payer_q(""), status=EpisodeStatus.OPEN
    )
    if wanted.discipline:
        episodes = episodes.filter(discipline=wanted.discipline)
    return episodes.order_by("started_on", "pk")


@dataclass(frozen=True)
class Compliance:
    episodes: int
    without_plan: int
    not_computed: int  # stored answers older than today (the nightly refresh brings them up)
    certified_on_time: int
    certified_late: int
    certification_pending: int
    certification_overdue: int
    progress_due: int
    progress_overdue: int
    recert_due: int
    recert_overdue: int


def compliance(wanted: ReportFilter, *, today: dt.date, episodes: int) -> Compliance:
    """The counts over the stored answers of the `episodes` open episodes, in one query; an
    episode with no answer computed for today is counted as not computed (and by its last
    answer, if it has one)."""
    soon = (today + dt.timedelta(days=DUE_SOON_DAYS)).isoformat()
    iso = today.isoformat()
    stored = EpisodeCheck.objects.filter(episode__in=open_episodes(wanted).values("pk")).annotate(
        cert=KT("result__certification__status"),
        recert=KT("result__certification__recertification_due_by"),
        progress=KT("result__progress_report__due_by"),
    )
    has = Q(no_plan=False, result__isnull=False)
    counts = stored.aggregate(
        without_plan=Count("pk", filter=Q(no_plan=True)),
        current=Count("pk", filter=Q(computed_for=today)),
        certified_on_time=Count("pk", filter=has & Q(cert__in=[s.value for s in ON_TIME])),
        certified_late=Count("pk", filter=has & Q(cert=CertificationStatus.DELAYED.value)),
        certification_pending=Count("pk", filter=has & Q(cert=CertificationStatus.PENDING.value)),
        certification_overdue=Count("pk", filter=has & Q(cert=CertificationStatus.OVERDUE.value)),
        progress_overdue=Count("pk", filter=has & Q(result__progress_report__overdue=True)),
        progress_due=Count(
            "pk", filter=has & ~Q(result__progress_report__overdue=True) & Q(progress__lte=soon)
        ),
        recert_overdue=Count("pk", filter=has & Q(recert__lt=iso)),
        recert_due=Count("pk", filter=has & Q(recert__gte=iso, recert__lte=soon)),
    )
    current = counts.pop("current")
    return Compliance(episodes=episodes, not_computed=episodes - current, **counts)


def compliance_table(c: Compliance) -> Table:
    table = Table("Plan-of-care compliance (open episodes)", ("Measure", "Episodes"))
    for label, value in [
        ("Open episodes", c.episodes),
        ("No plan of care yet", c.without_plan),
        ("Not yet checked today (counted as last checked)", c.not_computed),
        ("Plan certified on time (or exempt by the referral)", c.certified_on_time),
        ("Plan certified late", c.certified_late),
        ("Certification pending (within its 30 days)", c.certification_pending),
        ("Certification overdue", c.certification_overdue),
        (f"Progress report due (within {DUE_SOON_DAYS} days)", c.progress_due),
        ("Progress report overdue", c.progress_overdue),
        (f"Recertification due (within {DUE_SOON_DAYS} days)", c.recert_due),
        ("Recertification overdue", c.recert_overdue),
    ]:
        table.add(label, Cell(value))
    return table


def episode_rows(page: list[Episode], *, today: dt.date) -> list[dict[str, Any]]:
    """Each episode of a page with its current answer (computed for those that are stale)."""
    answers = results_for(page, as_of=today)
    return [{"episode": e, "result": answers.get(e.pk)} for e in page]


def episode_table(rows: list[dict[str, Any]], *, today: dt.date) -> Table:
    table = Table(
        "Open episodes",
        (
            "Patient",
            "Discipline",
            "Therapist",
            "Certification",
            "Progress report due",
            "Recertification due",
        ),
    )
    for row in rows:
        episode: Episode = row["episode"]
        result: EpisodeResult | None = row["result"]
        patient = episode.patient
        name = f"{patient.last_name}, {patient.first_name} ({patient.mrn})"
        if result is None:
            table.add(
                name, episode.discipline, str(episode.therapist), "no plan of care", None, None
            )
            continue
        progress = result.progress_report
        due = progress.due_by.isoformat() if progress.due_by else None
        table.add(
            name,
            episode.discipline,
            str(episode.therapist),
            result.certification.status.value.replace("_", " "),
            f"{due} (overdue)" if due and progress.overdue else due,
            _day(result.certification.recertification_due_by, today),
        )
    return table


def _day(day: dt.date | None, today: dt.date) -> str | None:
    if day is None:
        return None
    return f"{day.isoformat()} (overdue)" if day < today else day.isoformat()
