"""The therapist's periodic documents: progress reports and the discharge summary."""

import datetime as dt
import uuid
from decimal import Decimal

from otclinic.clinic.care.models import (
    DischargeSummary,
    DocumentStatus,
    GoalAssessment,
    GoalStatus,
    ProgressReport,
    Signature,
    SignatureMeaning,
)
from otclinic.clinic.demo.care import EpisodeState, content_hash
from otclinic.clinic.demo.context import Context

FINDINGS = (
    "Measures improved since the last period; see goal assessments.",
    "Steady gains in strength and task tolerance; fewer cues needed.",
    "Slower progress this period after a missed week; gains maintained.",
)


def goal_value(ctx: Context, state: EpisodeState, index: int, day: dt.date) -> Decimal:
    """A measure on `day`: from baseline towards target as the plan's weeks pass, with noise."""
    _goal_id, baseline, target, _status = state.goals[index]
    elapsed = (day - state.plan.start).days / (state.plan.weeks * 7)
    fraction = Decimal(str(round(min(1.0, elapsed) * ctx.rng.uniform(0.6, 1.1), 2)))
    return (baseline + (target - baseline) * fraction).quantize(Decimal("0.01"))


def add_progress_report(
    ctx: Context, state: EpisodeState, *, day: dt.date, period_start: dt.date, ends_at: dt.datetime
) -> None:
    therapist = state.plan.therapist
    signed_at = ends_at + dt.timedelta(minutes=ctx.rng.randint(10, 120))
    report = ProgressReport(
        id=ctx.new_id(),
        organization_id=ctx.organization_id,
        episode_id=state.episode_id,
        report_date=day,
        period_start=period_start,
        author_id=therapist.profile_id,
        objective_findings=ctx.rng.choice(FINDINGS),
        assessment="Making progress toward goals; skilled OT remains necessary.",
        plan="Continue the plan of care; upgrade the home program.",
        status=DocumentStatus.SIGNED,
        signed_at=signed_at,
    )
    ctx.rows.add(report)
    for index, (goal_id, *_rest) in enumerate(state.goals):
        _assessment(
            ctx, goal_id, goal_value(ctx, state, index, day), GoalStatus.ACTIVE, progress=report.id
        )
    _sign(ctx, state, signed_at, "progress_report", report.id)


def add_discharge(ctx: Context, state: EpisodeState, *, day: dt.date, ends_at: dt.datetime) -> None:
    met = all(status == GoalStatus.MET for *_rest, status in state.goals)
    signed_at = ends_at + dt.timedelta(minutes=ctx.rng.randint(10, 120))
    discharge = DischargeSummary(
        id=ctx.new_id(),
        organization_id=ctx.organization_id,
        episode_id=state.episode_id,
        discharge_date=day,
        author_id=state.plan.therapist.profile_id,
        reason="goals_met" if met else "plateau",
        summary="Discharged to the home program; goal outcomes below.",
        recommendations="Continue the home exercise program; return with a new referral if needed.",
        status=DocumentStatus.SIGNED,
        signed_at=signed_at,
    )
    ctx.rows.add(discharge)
    for goal_id, baseline, target, status in state.goals:
        value = target if status == GoalStatus.MET else (baseline + target) / 2
        _assessment(ctx, goal_id, value.quantize(Decimal("0.01")), status, discharge=discharge.id)
    _sign(ctx, state, signed_at, "discharge", discharge.id)


def _assessment(
    ctx: Context,
    goal_id: uuid.UUID,
    value: Decimal,
    status: GoalStatus,
    *,
    progress: uuid.UUID | None = None,
    discharge: uuid.UUID | None = None,
) -> None:
    ctx.rows.add(
        GoalAssessment(
            id=ctx.new_id(),
            organization_id=ctx.organization_id,
            goal_id=goal_id,
            progress_report_id=progress,
            discharge_id=discharge,
            value=value,
            status=status,
        )
    )


def _sign(
    ctx: Context, state: EpisodeState, signed_at: dt.datetime, document: str, doc_id: uuid.UUID
) -> None:
    therapist = state.plan.therapist
    ctx.rows.add(
        Signature(
            id=ctx.new_id(),
            organization_id=ctx.organization_id,
            signer_id=therapist.user_id,
            meaning=SignatureMeaning.AUTHOR,
            credentials=therapist.credentials,
            signed_at=signed_at,
            content_sha256=content_hash(document, doc_id, signed_at.isoformat()),
            **{f"{document}_id": doc_id},
        )
    )
