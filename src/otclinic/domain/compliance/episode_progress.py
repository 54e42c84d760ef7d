"""Treatment days and progress-report periods (BPM ch. 15 sec. 220.3; reference sec. 6).

A treatment day is a calendar day with an evaluation, re-evaluation or treatment document of the
episode's discipline: two sessions in one day make one. The first reporting period starts on the
first day of the episode; a progress report or re-evaluation by the discipline's therapist closes
the period it falls in, and the next period starts on the next treatment day after it. How long
a period may run comes from the payer policy: 10 treatment days for Medicare, treatment days or
calendar days for other payers.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from otclinic.domain.codes import Discipline, DocumentType, PayerPlan
from otclinic.domain.compliance import episode_rules as rules
from otclinic.domain.compliance.episode_model import (
    ROLE_DISCIPLINE,
    THERAPIST_FOR,
    TREATMENT_DAY_TYPES,
    Episode,
    EpisodeDocument,
    ProgressReportState,
)
from otclinic.domain.compliance.findings import Finding
from otclinic.domain.compliance.payer_policy import PayerPolicy, ProgressInterval


@dataclass(frozen=True, slots=True)
class Period:
    """One reporting period: where it starts, its treatment days and the report that closed it."""

    start: date | None
    days: tuple[date, ...]
    closed_on: date | None = None


def counted_documents(episode: Episode) -> tuple[EpisodeDocument, ...]:
    """The documents the check reads: dated on or before `as_of`, of the episode's discipline."""
    return tuple(
        sorted(
            (
                d
                for d in episode.documents
                if d.date <= episode.as_of and _of_discipline(d, episode.discipline)
            ),
            key=_document_order,
        )
    )


def _document_order(document: EpisodeDocument) -> tuple[date, str, str]:
    """A total order, so the answer does not depend on the order documents were listed in."""
    return (document.date, document.type.value, document.author_role.value)


def _of_discipline(document: EpisodeDocument, discipline: Discipline) -> bool:
    # A student has no discipline of their own and writes under the episode's.
    return ROLE_DISCIPLINE.get(document.author_role, discipline) is discipline


def treatment_days(documents: Iterable[EpisodeDocument]) -> tuple[date, ...]:
    """The distinct calendar days with an evaluation, re-evaluation or treatment, in order."""
    return tuple(sorted({d.date for d in documents if d.type in TREATMENT_DAY_TYPES}))


def qualifies_as_report(document: EpisodeDocument, discipline: Discipline) -> bool:
    """A progress report or re-evaluation by the discipline's therapist (not an assistant)."""
    reporting = document.type in {DocumentType.PROGRESS_REPORT, DocumentType.REEVALUATION}
    return reporting and document.author_role is THERAPIST_FOR[discipline]


def split_periods(*, start: date, days: tuple[date, ...], reports: Iterable[date]) -> list[Period]:
    """The reporting periods: each closed by a qualifying report, the last one still open."""
    periods: list[Period] = []
    remaining = days
    period_start: date | None = start
    for report_day in sorted(set(reports)):
        inside = tuple(d for d in remaining if d <= report_day)
        remaining = tuple(d for d in remaining if d > report_day)
        periods.append(Period(period_start or _first(inside), inside, closed_on=report_day))
        period_start = None
    periods.append(Period(period_start or _first(remaining), remaining))
    return periods


def _first(days: tuple[date, ...]) -> date | None:
    return days[0] if days else None


def due_by(period: Period, policy: PayerPolicy) -> date | None:
    """The last day the period's report may carry: its Nth treatment day, or Nth calendar day."""
    n = policy.progress_interval
    if policy.progress_interval_kind is ProgressInterval.CALENDAR_DAYS:
        return None if period.start is None else period.start + timedelta(days=n - 1)
    return period.days[n - 1] if len(period.days) >= n else None


def days_past_due(period: Period, policy: PayerPolicy) -> tuple[date, ...]:
    """Treatment days in the period after its due date: each one treated without a report."""
    due = due_by(period, policy)
    return () if due is None else tuple(d for d in period.days if d > due)


def progress_state(periods: list[Period], policy: PayerPolicy) -> ProgressReportState:
    """The contract's `progress_report` object for the open (last) period."""
    current = periods[-1]
    return ProgressReportState(
        period_start=current.start,
        treatment_days_in_period=len(current.days),
        due_by=due_by(current, policy),
        overdue=bool(days_past_due(current, policy)),
    )


def progress_findings(
    *, periods: list[Period], policy: PayerPolicy, episode: Episode
) -> list[Finding]:
    """Late reports of closed periods, then the open period's due or overdue report."""
    therapist = THERAPIST_FOR[episode.discipline].value
    findings = [
        _late(period, policy, therapist) for period in periods[:-1] if days_past_due(period, policy)
    ]
    current = periods[-1]
    due = due_by(current, policy)
    if days_past_due(current, policy):
        findings.append(_overdue(current, policy, therapist))
    elif due is not None and due <= episode.as_of:
        findings.append(_due(current, policy, therapist))
    return findings


def _interval_words(period: Period, policy: PayerPolicy) -> str:
    n = policy.progress_interval
    kind = (
        "treatment"
        if policy.progress_interval_kind is ProgressInterval.TREATMENT_DAYS
        else "calendar"
    )
    source = policy.sources.get("progress_interval", "payer policy")
    start = period.start.isoformat() if period.start else "?"
    return (
        f"the {_ordinal(n)} {kind} day of the period that began {start} is "
        f"{_iso(due_by(period, policy))} ({_policy_words(source)}: a report every {n} {kind} days)"
    )


def _policy_words(source: str) -> str:
    """Whose policy set the interval, in words ("medicare_part_b": "Medicare Part B's policy")."""
    try:
        return f"{PayerPlan(source).label}'s policy"
    except ValueError:
        return "the payer's policy" if source in {"default", "payer policy"} else f"{source} policy"


def _late(period: Period, policy: PayerPolicy, therapist: str) -> Finding:
    late = days_past_due(period, policy)
    closed = _iso(period.closed_on)
    return rules.PROGRESS_LATE.finding(
        f"{_cap(_interval_words(period, policy))}; treatment went on on {_list(late)} before the "
        f"{therapist}'s progress report of {closed}: those days had no current report."
    )


def _overdue(period: Period, policy: PayerPolicy, therapist: str) -> Finding:
    late = days_past_due(period, policy)
    return rules.PROGRESS_OVERDUE.finding(
        f"{_cap(_interval_words(period, policy))}; treatment went on on {_list(late)} with no "
        f"progress report by the {therapist} dated on or before {_iso(due_by(period, policy))}: "
        f"write it now, before the next treatment day."
    )


def _due(period: Period, policy: PayerPolicy, therapist: str) -> Finding:
    return rules.PROGRESS_DUE.finding(
        f"{_cap(_interval_words(period, policy))}, so a progress report by the {therapist} is "
        f"due on or before {_iso(due_by(period, policy))} and none is on file: write it before "
        f"the next treatment day."
    )


def document_findings(episode: Episode) -> list[Finding]:
    """Documents that do not count: another discipline's, or written by the wrong role."""
    therapist = THERAPIST_FOR[episode.discipline]
    findings = []
    for document in sorted(episode.documents, key=_document_order):
        if document.date > episode.as_of:
            continue
        what = f"the {_words(document)} of {document.date.isoformat()}"
        if not _of_discipline(document, episode.discipline):
            findings.append(
                rules.OTHER_DISCIPLINE.finding(
                    f"{_cap(what)} was written by a {document.author_role}, not in this "
                    f"{episode.discipline} episode's discipline: it is not counted."
                )
            )
        elif document.author_role is not therapist:
            findings.extend(_role_finding(document, what, therapist.value))
    return findings


def _role_finding(document: EpisodeDocument, what: str, therapist: str) -> list[Finding]:
    role = document.author_role.value
    if document.type is DocumentType.PROGRESS_REPORT:
        message = (
            f"{_cap(what)} was written by the {role}: it does not satisfy the progress-report "
            f"requirement or start a new period; only the {therapist}'s report does."
        )
        return [rules.PROGRESS_NOT_QUALIFYING.finding(message)]
    if document.type in {
        DocumentType.EVALUATION,
        DocumentType.REEVALUATION,
        DocumentType.DISCHARGE,
    }:
        message = f"{_cap(what)} was written by the {role}; it is the {therapist}'s to write."
        return [rules.AUTHOR_NOT_PERMITTED.finding(message)]
    return []


def evaluation_findings(episode: Episode, documents: tuple[EpisodeDocument, ...]) -> list[Finding]:
    """The evaluation that establishes the plan should be on file for `established_on`."""
    start = episode.plan_of_care.established_on
    if any(d.type is DocumentType.EVALUATION and d.date == start for d in documents):
        return []
    return [
        rules.EVALUATION_MISSING.finding(
            f"No evaluation document dated {start.isoformat()}, the day the plan of care was "
            f"established (day 1 of the episode)."
        )
    ]


def discharge_findings(documents: tuple[EpisodeDocument, ...]) -> list[Finding]:
    """Treatment documented after the discharge note ended the episode."""
    discharges = [d.date for d in documents if d.type is DocumentType.DISCHARGE]
    if not discharges:
        return []
    after = tuple(d for d in treatment_days(documents) if d > discharges[0])
    if not after:
        return []
    return [
        rules.TREATMENT_AFTER_DISCHARGE.finding(
            f"The episode was discharged on {discharges[0].isoformat()}, but treatment is "
            f"documented on {_list(after)}: start a new episode or correct the discharge."
        )
    ]


def authorization_findings(*, days: tuple[date, ...], policy: PayerPolicy) -> list[Finding]:
    """Treatment days against the payer's authorised visits, when it sets a limit."""
    limit = policy.authorized_visits
    if limit is None or len(days) < limit:
        return []
    source = policy.sources.get("authorized_visits", "the episode's authorized_visits")
    if len(days) == limit:
        return [
            rules.AUTHORIZATION_REACHED.finding(
                f"{len(days)} treatment days used of {limit} authorised ({source}): "
                f"get a new authorisation before the next visit."
            )
        ]
    beyond = days[limit:]
    return [
        rules.AUTHORIZATION_EXCEEDED.finding(
            f"{len(days)} treatment days against {limit} authorised ({source}): "
            f"{_list(beyond)} went beyond the authorisation."
        )
    ]


def _words(document: EpisodeDocument) -> str:
    return document.type.value.replace("_", " ").replace("reevaluation", "re-evaluation")


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _iso(day: date | None) -> str:
    return day.isoformat() if day else "not yet reached"


def _list(days: tuple[date, ...]) -> str:
    shown = ", ".join(d.isoformat() for d in days[:5])
    return shown if len(days) <= 5 else f"{shown} and {len(days) - 5} more"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]
