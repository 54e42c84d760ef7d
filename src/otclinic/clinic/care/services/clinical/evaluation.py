"""The evaluation (97165-97167, complexity selected with its reasoning) and re-evaluation (97168)."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import organization_id_of
from otclinic.clinic.care.models import (
    AssessmentScore,
    Complexity,
    Episode,
    Evaluation,
    EvaluationKind,
)
from otclinic.clinic.care.services.clinical.common import (
    AlreadySigned,
    refuse_if_closed,
    require_therapist,
    sign,
)
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.common.services import validated_save
from otclinic.domain.access import Capability
from otclinic.domain.care.assessments import SCALES, Instrument, score_problem
from otclinic.domain.care.complexity import (
    REEVALUATION_CODE,
    DecisionMaking,
    HistoryReview,
    NoDeficits,
    select_complexity,
)


@dataclass(frozen=True)
class ScoreInput:
    instrument: str
    value: Decimal
    side: str = ""


_COMPLEXITY = {1: Complexity.LOW, 2: Complexity.MODERATE, 3: Complexity.HIGH}


@transaction.atomic
def evaluation_create(
    *,
    user: User,
    episode: Episode,
    performed_on: dt.date,
    occupational_profile: str,
    history: str,
    performance_deficits: str,
    history_review: str = "",
    deficit_count: int = 0,
    decision_making: str = "",
    reevaluation: bool = False,
    scores: Sequence[ScoreInput] = (),
) -> Evaluation:
    """An evaluation (97165-97167, complexity selected with its reasoning) or re-evaluation (97168)."""
    staff = require_therapist(user, episode, Capability.EVALUATE)
    refuse_if_closed(episode)
    if performed_on < episode.started_on:
        raise ValidationFailed({"performed_on": ["The evaluation cannot predate the episode."]})
    evaluation = Evaluation(
        organization_id=organization_id_of(user),
        episode=episode,
        kind=EvaluationKind.REEVALUATION if reevaluation else EvaluationKind.EVALUATION,
        performed_on=performed_on,
        therapist=staff,
        occupational_profile=occupational_profile,
        history=history,
        performance_deficits=performance_deficits,
        code=REEVALUATION_CODE,
    )
    if not reevaluation:
        _select_code(evaluation, history_review, deficit_count, decision_making)
    validated_save(evaluation)
    _add_scores(evaluation, scores)
    return evaluation


def _select_code(evaluation: Evaluation, history: str, deficits: int, decision: str) -> None:
    errors: dict[str, list[str]] = {}
    if history not in HistoryReview._value2member_map_:
        errors["history_review"] = [
            "Choose how much history was reviewed: brief, expanded or extensive."
        ]
    if decision not in DecisionMaking._value2member_map_:
        errors["decision_making"] = ["Choose the clinical decision making: low, moderate or high."]
    if errors:
        raise ValidationFailed(errors)
    try:
        selection = select_complexity(
            history=HistoryReview(history),
            deficits=deficits,
            decision_making=DecisionMaking(decision),
        )
    except NoDeficits as exc:
        raise ValidationFailed({"deficit_count": [str(exc)]}) from exc
    evaluation.complexity = _COMPLEXITY[selection.level.value]
    evaluation.code = selection.code
    evaluation.complexity_reasoning = selection.reasoning


def _add_scores(evaluation: Evaluation, scores: Sequence[ScoreInput]) -> None:
    errors: dict[str, list[str]] = {}
    for score in scores:
        try:
            instrument = Instrument(score.instrument)
        except ValueError:
            errors.setdefault(score.instrument, []).append("Unknown assessment.")
            continue
        problem = score_problem(instrument, score.value, score.side)
        if problem:
            field = f"{instrument.value}_{score.side}" if score.side else instrument.value
            errors.setdefault(field, []).append(problem)
            continue
        AssessmentScore.objects.create(
            organization_id=evaluation.organization_id,
            evaluation=evaluation,
            instrument=instrument.value,
            value=score.value,
            unit=SCALES[instrument].unit,
            side=score.side,
            measured_on=evaluation.performed_on,
        )
    if errors:
        raise ValidationFailed(errors)


@transaction.atomic
def evaluation_sign(*, user: User, evaluation: Evaluation) -> Evaluation:
    """The evaluating therapist signs; a signed evaluation no longer changes."""
    require_therapist(user, evaluation.episode, Capability.EVALUATE)
    if evaluation.signed_at:
        raise AlreadySigned("evaluation")
    if evaluation.therapist.user_id != user.pk:
        raise PermissionDenied("only the therapist who evaluated may sign the evaluation")
    evaluation.signed_at = timezone.now()
    validated_save(evaluation)
    sign(
        user=user, document="evaluation", target=evaluation, content=_evaluation_content(evaluation)
    )
    return evaluation


def _evaluation_content(evaluation: Evaluation) -> dict[str, Any]:
    return {
        "code": evaluation.code,
        "performed_on": evaluation.performed_on,
        "profile": evaluation.occupational_profile,
        "history": evaluation.history,
        "deficits": evaluation.performance_deficits,
        "reasoning": evaluation.complexity_reasoning,
        "scores": sorted((s.instrument, str(s.value), s.side) for s in evaluation.scores.all()),
    }
