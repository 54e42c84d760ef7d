"""Certification of the plan of care and recertification (BPM ch. 15 sec. 220.1.2-220.1.3).

- The initial certification is due within 30 days of the evaluation (`established_on`): signed
  by then it is `timely`; signed later it is `delayed`; unsigned it is `pending` inside the 30
  days and `overdue` after them. BPM 220.1.3.D accepts a certification without justification
  for 30 days after it is due: a late or missing signature is a warning inside that window, and
  an error after it unless the reason for the delay is recorded.
- A documented verbal certification holds if the signature follows within 14 days.
- From 2025-01-01 (CY2025 PFS, 89 FR 97710, "likely"): no signature is needed for the initial
  certification when a signed referral naming the discipline is on file and the plan was sent
  to the physician/NPP within 30 days of the evaluation (`exempt_by_referral`).
- A certification covers the plan's duration or 90 days, whichever is less, counting the
  evaluation day as day 1 (the conservative reading the reference marks "check"); each
  recertification continues from the day after the previous one ends, for at most 90 days.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

from otclinic.domain.codes import DocumentType
from otclinic.domain.compliance import episode_rules as rules
from otclinic.domain.compliance.episode_model import (
    CertificationState,
    CertificationStatus,
    Episode,
    EpisodeDocument,
    PlanOfCare,
    Recertification,
)
from otclinic.domain.compliance.findings import Finding, Severity

SIGNATURE_WINDOW = timedelta(days=30)
DELAYED_ACCEPTANCE_WINDOW = timedelta(days=30)  # BPM ch. 15 sec. 220.1.3.D
VERBAL_SIGNATURE_WINDOW = timedelta(days=14)
REFERRAL_SENT_WINDOW = timedelta(days=30)
MAX_CERTIFIED_DAYS = 90


@dataclass(frozen=True, slots=True)
class CertifiedSpan:
    """One certification's days: the initial one (no recertification) or a recertification."""

    start: date
    through: date
    recertification: Recertification | None = None


def signature_due_by(plan: PlanOfCare) -> date:
    """The last day of the 30 days the initial signature has."""
    return plan.established_on + SIGNATURE_WINDOW


def verbal_holds_until(plan: PlanOfCare) -> date | None:
    """The day a verbal certification given inside the 30 days must be signed by, if any."""
    verbal = plan.verbal_certification_on
    if verbal is None or verbal > signature_due_by(plan):
        return None
    return verbal + VERBAL_SIGNATURE_WINDOW


def initial_through(plan: PlanOfCare) -> date:
    """The plan's duration or 90 days, whichever is less, with `established_on` as day 1."""
    return plan.established_on + timedelta(days=min(plan.duration_days, MAX_CERTIFIED_DAYS) - 1)


def certified_spans(episode: Episode) -> list[CertifiedSpan]:
    """The initial certification and each recertification, in order, capped at 90 days each."""
    plan = episode.plan_of_care
    spans = [CertifiedSpan(plan.established_on, initial_through(plan))]
    for recert in sorted(episode.recertifications, key=lambda r: (r.through, r.certified_on)):
        start = spans[-1].through + timedelta(days=1)
        if recert.through < start:
            continue  # covers nothing the earlier certifications did not
        cap = start + timedelta(days=MAX_CERTIFIED_DAYS - 1)
        spans.append(CertifiedSpan(start, min(recert.through, cap), recert))
    return spans


def current_span(spans: list[CertifiedSpan], as_of: date) -> CertifiedSpan:
    """The certification covering `as_of`, or the last one when they have all ended."""
    return next((s for s in spans if s.start <= as_of <= s.through), spans[-1])


def initial_status(episode: Episode) -> CertificationStatus:
    """Where the initial certification stands on `as_of`."""
    plan = episode.plan_of_care
    if plan.certified_on is not None:
        return (
            CertificationStatus.TIMELY
            if _signed_in_time(plan, plan.certified_on)
            else CertificationStatus.DELAYED
        )
    if not _exception_gaps(episode):
        return CertificationStatus.EXEMPT_BY_REFERRAL
    if episode.as_of <= _unsigned_deadline(plan):
        return CertificationStatus.PENDING
    return CertificationStatus.OVERDUE


def _signed_in_time(plan: PlanOfCare, signed: date) -> bool:
    verbal_until = verbal_holds_until(plan)
    return signed <= signature_due_by(plan) or (verbal_until is not None and signed <= verbal_until)


def _unsigned_deadline(plan: PlanOfCare) -> date:
    return max(signature_due_by(plan), verbal_holds_until(plan) or signature_due_by(plan))


def _exception_gaps(episode: Episode) -> list[str]:
    """Why the 2025 referral exception does not apply (an empty list: it does)."""
    plan, referral = episode.plan_of_care, episode.referral
    gaps = []
    if not rules.CERT_EXEMPT.in_force_on(plan.established_on):
        gaps.append("it applies to plans established on or after 2025-01-01")
    if referral is None or referral.signed_on > episode.as_of:
        gaps.append("no signed referral is on file")
    elif not referral.names_discipline:
        gaps.append(f"the referral does not name {episode.discipline}")
    sent, sent_by = plan.sent_to_physician_on, plan.established_on + REFERRAL_SENT_WINDOW
    if sent is None:
        gaps.append(f"the plan has not been sent to the physician (send it by {sent_by})")
    elif sent > sent_by:
        gaps.append(f"the plan was sent on {sent}, after {sent_by} (30 days after the evaluation)")
    return gaps


def certification_state(
    *, episode: Episode, spans: list[CertifiedSpan], documents: tuple[EpisodeDocument, ...]
) -> CertificationState:
    """The contract's `certification` object."""
    through = current_span(spans, episode.as_of).through
    discharged = any(d.type is DocumentType.DISCHARGE for d in documents)
    return CertificationState(
        status=initial_status(episode),
        through=through,
        recertification_due_by=None if discharged else through,
    )


def certification_findings(episode: Episode) -> list[Finding]:
    """The finding that explains the initial certification's status, and the verbal one's."""
    status = initial_status(episode)
    findings = [*_status_finding(episode, status)]
    if status is not CertificationStatus.EXEMPT_BY_REFERRAL:
        findings.extend(_verbal_finding(episode))
    if episode.referral is not None and status in {
        CertificationStatus.PENDING,
        CertificationStatus.OVERDUE,
    }:
        gaps = "; ".join(_exception_gaps(episode))
        findings.append(
            rules.CERT_EXCEPTION_NOT_MET.finding(
                f"A referral is on file, but the referral exception does not apply: {gaps}."
            )
        )
    return findings


def accepted_without_justification_until(plan: PlanOfCare) -> date:
    """The last day a late signature needs no reason: 30 days after it was due (BPM 220.1.3.D)."""
    return _unsigned_deadline(plan) + DELAYED_ACCEPTANCE_WINDOW


def _status_finding(episode: Episode, status: CertificationStatus) -> list[Finding]:
    plan = episode.plan_of_care
    window = (
        f"the 30 days from the evaluation on {plan.established_on} end on {signature_due_by(plan)}"
    )
    accepted = accepted_without_justification_until(plan)
    grace = (
        f"BPM 220.1.3.D accepts a certification without justification for 30 days after it is "
        f"due, through {accepted}"
    )
    if status is CertificationStatus.DELAYED:
        return [_delayed_finding(plan, window=window, grace=grace, accepted=accepted)]
    if status is CertificationStatus.PENDING:
        due = _unsigned_deadline(plan)
        message = f"Not signed yet; {window}: get the signature by {due}."
        return [rules.CERT_PENDING.finding(message)]
    if status is CertificationStatus.OVERDUE:
        if episode.as_of <= accepted:
            message = f"Not signed, and {window}; {grace}: get the signature by then."
            return [rules.CERT_OVERDUE.finding(message, severity=Severity.WARNING)]
        if plan.delay_reason:
            message = (
                f"Not signed, and {window}; the 30 days accepted without justification ended on "
                f"{accepted}. The reason for the delay is recorded: get the signature."
            )
            return [rules.CERT_OVERDUE.finding(message, severity=Severity.WARNING)]
        message = (
            f"Not signed, and {window}; the 30 days accepted without justification ended on "
            f"{accepted}: get the signature and record the reason for the delay."
        )
        return [rules.CERT_OVERDUE.finding(message)]
    if status is CertificationStatus.EXEMPT_BY_REFERRAL:
        return [rules.CERT_EXEMPT.finding(_exempt_message(episode))]
    return []


def _delayed_finding(plan: PlanOfCare, *, window: str, grace: str, accepted: date) -> Finding:
    signed = plan.certified_on
    if signed is not None and signed <= accepted:
        return rules.CERT_DELAYED_IN_WINDOW.finding(
            f"Signed on {signed}, but {window}; {grace}, so no reason for the delay is needed."
        )
    if plan.delay_reason:
        message = (
            f"Signed on {signed}, but {window}, and after the 30 days accepted without "
            f"justification (through {accepted}): a delayed certification, reason recorded."
        )
        return rules.CERT_DELAYED.finding(message)
    message = (
        f"Signed on {signed}, but {window}, and after the 30 days accepted without justification "
        f"(through {accepted}); no reason for the delay is recorded."
    )
    return rules.CERT_DELAYED_WITHOUT_REASON.finding(message)


def _exempt_message(episode: Episode) -> str:
    plan, referral = episode.plan_of_care, episode.referral
    signed_on = referral.signed_on if referral else None
    return (
        f"The referral signed on {signed_on} names {episode.discipline} and the plan was sent on "
        f"{plan.sent_to_physician_on}, within 30 days of the evaluation on {plan.established_on}: "
        f"the initial certification needs no signature. Recertification still does."
    )


def _verbal_finding(episode: Episode) -> list[Finding]:
    plan = episode.plan_of_care
    verbal = plan.verbal_certification_on
    if verbal is None:
        return []
    sign_by = verbal + VERBAL_SIGNATURE_WINDOW
    signed = plan.certified_on
    if signed is not None and signed > sign_by:
        tail = f"it was signed on {signed}"
    elif signed is None and episode.as_of > sign_by:
        tail = f"it is still unsigned on {episode.as_of}"
    else:
        return []
    return [
        rules.CERT_VERBAL_UNSIGNED.finding(
            f"The verbal certification of {verbal} needed a signature within 14 days, "
            f"by {sign_by}; {tail}."
        )
    ]


def span_findings(*, episode: Episode, spans: list[CertifiedSpan]) -> list[Finding]:
    """How the current certified-through date was counted, and each recertification's problems."""
    findings = [_period_finding(episode.plan_of_care, current_span(spans, episode.as_of))]
    for before, span in pairwise(spans):
        findings.extend(_recert_findings(before, span))
    return findings


def _period_finding(plan: PlanOfCare, current: CertifiedSpan) -> Finding:
    if current.recertification is not None:
        return rules.CERT_PERIOD.finding(
            f"Certified through {current.through} by the recertification signed on "
            f"{current.recertification.certified_on}, which continues from {current.start}."
        )
    days = min(plan.duration_days, MAX_CERTIFIED_DAYS)
    return rules.CERT_PERIOD.finding(
        f"Certified through {current.through}: the lesser of the plan's {plan.duration_days} "
        f"days and 90 days is {days}, counting {plan.established_on} as day 1."
    )


def _recert_findings(before: CertifiedSpan, span: CertifiedSpan) -> list[Finding]:
    recert = span.recertification
    if recert is None:
        return []
    findings = []
    if recert.certified_on > before.through:
        findings.append(
            rules.RECERT_LATE.finding(
                f"The recertification signed on {recert.certified_on} came after the "
                f"certification it continues ended on {before.through}: record the reason "
                f"for the delay."
            )
        )
    if span.through < recert.through:
        findings.append(
            rules.RECERT_TOO_LONG.finding(
                f"The recertification signed on {recert.certified_on} runs from {span.start} "
                f"to {recert.through}; 90 days from {span.start} end on {span.through}, so "
                f"it certifies through {span.through} only."
            )
        )
    return findings


def lapse_findings(*, spans: list[CertifiedSpan], days: tuple[date, ...]) -> list[Finding]:
    """Treatment days after the last certified day: nothing certifies them."""
    last = spans[-1].through
    after = [d for d in days if d > last]
    if not after:
        return []
    shown = ", ".join(d.isoformat() for d in after[:5])
    more = f" and {len(after) - 5} more" if len(after) > 5 else ""
    return [
        rules.TREATMENT_AFTER_CERTIFICATION.finding(
            f"The certification ran through {last}, but {len(after)} treatment day(s) came "
            f"after it ({shown}{more}) with no recertification covering them."
        )
    ]
