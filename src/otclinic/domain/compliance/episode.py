"""The episode check: a plan of care and its documents in, what is due out.

The one public function for contracts/episode-check.md. The CLI (`otclinic episode check`), the
HTTP API (`POST /api/v1/episodes/check`) and the clinic's own screens all call it, so the answer a
user sees is the answer the contract gives:

    result = check_episode(episode)                 # typed, for Python callers
    answer = check_episode_json(raw_bytes)          # the contract's JSON, for the two doors

The rules and their sources are in `episode_progress` (treatment days, progress reports; BPM ch.
15 sec. 220.3) and `episode_certification` (certification and recertification; BPM ch. 15 sec.
220.1.2-220.1.3, CY2025 PFS 89 FR 97710); their ids and citations are in `episode_rules`.
"""

from dataclasses import replace
from datetime import date
from typing import Any

from otclinic.domain.compliance.episode_certification import (
    certification_findings,
    certification_state,
    certified_spans,
    lapse_findings,
    span_findings,
)
from otclinic.domain.compliance.episode_input import parse_episode, parse_episode_json
from otclinic.domain.compliance.episode_model import (
    CertificationState,
    CertificationStatus,
    Episode,
    EpisodeDocument,
    EpisodeResult,
    PlanOfCare,
    ProgressReportState,
    Recertification,
    Referral,
)
from otclinic.domain.compliance.episode_progress import (
    authorization_findings,
    counted_documents,
    discharge_findings,
    document_findings,
    evaluation_findings,
    progress_findings,
    progress_state,
    qualifies_as_report,
    split_periods,
    treatment_days,
)
from otclinic.domain.compliance.findings import Severity, make_finding
from otclinic.domain.compliance.jsonio import dump_bytes
from otclinic.domain.compliance.payer_policy import PayerPolicy, resolve_policy

__all__ = [
    "CertificationState",
    "CertificationStatus",
    "Episode",
    "EpisodeDocument",
    "EpisodeResult",
    "PlanOfCare",
    "ProgressReportState",
    "Recertification",
    "Referral",
    "check_episode",
    "check_episode_json",
    "parse_episode",
    "result_as_json",
    "result_from_json",
]


def check_episode(episode: Episode, *, policy: PayerPolicy | None = None) -> EpisodeResult:
    """What is due for one episode on `episode.as_of`, with a finding for each rule that fired.

    `policy` is the payer's resolved policy (progress-report interval, authorised visits); by
    default the shipped policy for `episode.payer_plan`. The episode's own `authorized_visits`,
    when given, wins over the policy's.
    """
    policy = _with_episode_authorization(policy or resolve_policy(plan=episode.payer_plan), episode)
    documents = counted_documents(episode)
    days = treatment_days(documents)
    reports = [d.date for d in documents if qualifies_as_report(d, episode.discipline)]
    periods = split_periods(start=episode.plan_of_care.established_on, days=days, reports=reports)
    spans = certified_spans(episode)
    findings = [
        *document_findings(episode),
        *evaluation_findings(episode, documents),
        *progress_findings(periods=periods, policy=policy, episode=episode),
        *certification_findings(episode),
        *span_findings(episode=episode, spans=spans),
        *lapse_findings(spans=spans, days=days),
        *discharge_findings(documents),
        *authorization_findings(days=days, policy=policy),
    ]
    return EpisodeResult(
        treatment_days=len(days),
        progress_report=progress_state(periods, policy),
        certification=certification_state(episode=episode, spans=spans, documents=documents),
        findings=tuple(findings),
    )


def _with_episode_authorization(policy: PayerPolicy, episode: Episode) -> PayerPolicy:
    if episode.authorized_visits is None:
        return policy
    sources = {**policy.sources, "authorized_visits": "the episode's authorized_visits"}
    return replace(policy, authorized_visits=episode.authorized_visits, sources=sources)


def result_as_json(result: EpisodeResult) -> dict[str, Any]:
    """The contract's output object, keys in the contract's order."""
    progress, certification = result.progress_report, result.certification
    return {
        "treatment_days": result.treatment_days,
        "progress_report": {
            "period_start": _iso(progress.period_start),
            "treatment_days_in_period": progress.treatment_days_in_period,
            "due_by": _iso(progress.due_by),
            "overdue": progress.overdue,
        },
        "certification": {
            "status": certification.status.value,
            "through": certification.through.isoformat(),
            "recertification_due_by": _iso(certification.recertification_due_by),
        },
        "findings": [finding.as_json() for finding in result.findings],
    }


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def result_from_json(data: dict[str, Any]) -> EpisodeResult:
    """The result `result_as_json` wrote, read back: equal to the one it was written from (the
    clinic stores each episode's answer this way between the changes of its documents)."""
    progress, certification = data["progress_report"], data["certification"]
    return EpisodeResult(
        treatment_days=data["treatment_days"],
        progress_report=ProgressReportState(
            period_start=_day(progress["period_start"]),
            treatment_days_in_period=progress["treatment_days_in_period"],
            due_by=_day(progress["due_by"]),
            overdue=progress["overdue"],
        ),
        certification=CertificationState(
            status=CertificationStatus(certification["status"]),
            through=date.fromisoformat(certification["through"]),
            recertification_due_by=_day(certification["recertification_due_by"]),
        ),
        findings=tuple(
            make_finding(f["rule_id"], Severity(f["severity"]), f["message"], f["citation"])
            for f in data["findings"]
        ),
    )


def _day(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def check_episode_json(raw: bytes | str, *, policy: PayerPolicy | None = None) -> bytes:
    """The contract's answer, as bytes, for the contract's input; InputProblems on bad input."""
    episode = parse_episode_json(raw)
    return dump_bytes(result_as_json(check_episode(episode, policy=policy)))
