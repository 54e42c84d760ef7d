"""A saved note and its history as the review before signing reads them (domain/care/review.py).

Bounded, indexed reads: the patient's last notes and the author's last notes for other patients
(the numbers in `rules/note_review.yaml`, read through `note_episode_latest` and
`note_author_latest`), and the visits under the note's plan of care. Only signed notes are
compared: a draft is not yet part of the record.
"""

from decimal import Decimal
from uuid import UUID

from django.db.models import QuerySet

from otclinic.clinic.care.models import (
    GoalProgress,
    GoalStatus,
    NoteLine,
    NoteReviewPolicy,
    NoteStatus,
    PlanOfCare,
    PlanStatus,
    TreatmentNote,
)
from otclinic.domain.care.review import (
    ActiveGoal,
    CodedLine,
    EarlierNote,
    GoalAddressed,
    NoteUnderReview,
    Visit,
    review_note,
    with_policy,
)
from otclinic.domain.care.review_rules import review_rule_ids, review_rules
from otclinic.domain.compliance.findings import Finding

_WORDS = ("subjective", "narrative", "patient_response", "assessment")


def note_review(note: TreatmentNote) -> tuple[Finding, ...]:
    """The review's findings for a saved note, with its clinic's choice of what blocks."""
    return with_policy(review_note(review_facts(note)), blocking=blocking_rules(note))


def blocking_rules(note: TreatmentNote) -> frozenset[str]:
    policy = NoteReviewPolicy.objects.filter(clinic_id=note.episode.clinic_id).first()
    return policy_blocking(policy)


def policy_blocking(policy: NoteReviewPolicy | None) -> frozenset[str]:
    """The rules a clinic's policy blocks on (the rule file's defaults without a policy)."""
    if policy is None:
        return review_rules().blocking_by_default
    return frozenset(policy.blocking) & frozenset(review_rule_ids())


def review_facts(note: TreatmentNote) -> NoteUnderReview:
    plan = note.episode.plans.filter(status=PlanStatus.ACTIVE).first()
    progress = list(note.goal_progress.select_related("goal"))
    return NoteUnderReview(
        narrative=note.narrative,
        subjective=note.subjective,
        patient_response=note.patient_response,
        changes_in_condition=note.changes_in_condition,
        assessment=note.assessment,
        plan_next_visit=note.plan_next_visit,
        lines=tuple(
            CodedLine(
                line.code, line.therapist_minutes, line.assistant_minutes, line.together_minutes
            )
            for line in note.lines.all()
        ),
        goals=_goals_addressed(note, progress),
        active_goals=_active_goals(plan),
        planned_codes=tuple(plan.interventions.values_list("code", flat=True)) if plan else (),
        earlier_visits=_visits_under(plan, note),
        earlier_notes=_earlier_notes(note),
    )


def _signed_before(note: TreatmentNote) -> "QuerySet[TreatmentNote]":
    return (
        TreatmentNote.objects.filter(
            organization_id=note.organization_id, date_of_service__lte=note.date_of_service
        )
        .exclude(status=NoteStatus.DRAFT)
        .exclude(pk=note.pk)
    )


def _goals_addressed(
    note: TreatmentNote, progress: list[GoalProgress]
) -> tuple[GoalAddressed, ...]:
    last = _last_measures(note, [p.goal_id for p in progress])
    return tuple(
        GoalAddressed(
            goal_id=str(p.goal_id),
            measure=p.goal.measure,
            value=p.value,
            baseline=p.goal.baseline,
            target=p.goal.target,
            unit=p.goal.unit,
            last_value=last.get(p.goal_id),
            comment=p.comment,
        )
        for p in progress
    )


def _last_measures(note: TreatmentNote, goal_ids: list[UUID]) -> dict[UUID, Decimal]:
    """Each goal's latest measure on a signed note before this one."""
    rows = (
        GoalProgress.objects.filter(goal_id__in=goal_ids, value__isnull=False)
        .filter(note__in=_signed_before(note))
        .order_by("goal_id", "-note__date_of_service", "-note__signed_at")
        .values_list("goal_id", "value")
    )
    latest: dict[UUID, Decimal] = {}
    for goal_id, value in rows:
        if value is not None:
            latest.setdefault(goal_id, value)
    return latest


def _active_goals(plan: PlanOfCare | None) -> tuple[ActiveGoal, ...]:
    if plan is None:
        return ()
    goals = plan.goals.filter(status=GoalStatus.ACTIVE).values_list("pk", "measure")
    return tuple(ActiveGoal(str(pk), measure) for pk, measure in goals)


def _visits_under(plan: PlanOfCare | None, note: TreatmentNote) -> tuple[Visit, ...]:
    """The signed visits of the episode since the plan was established, newest first."""
    if plan is None:
        return ()
    ids = list(
        _signed_before(note)
        .filter(episode_id=note.episode_id, date_of_service__gte=plan.established_on)
        .order_by("-date_of_service", "-signed_at")
        .values_list("pk", flat=True)
    )
    codes: dict[object, set[str]] = {pk: set() for pk in ids}
    goals: dict[object, set[str]] = {pk: set() for pk in ids}
    for note_id, code in NoteLine.objects.filter(note_id__in=ids).values_list("note_id", "code"):
        codes[note_id].add(code)
    progress = GoalProgress.objects.filter(note_id__in=ids).values_list("note_id", "goal_id")
    for note_id, goal_id in progress:
        goals[note_id].add(str(goal_id))
    return tuple(Visit(frozenset(goals[pk]), frozenset(codes[pk])) for pk in ids)


def _earlier_notes(note: TreatmentNote) -> tuple[EarlierNote, ...]:
    """The patient's last notes and the author's last notes for other patients (bounded)."""
    rules = review_rules()
    patient_id = note.episode.patient_id
    earlier = _signed_before(note).order_by("-date_of_service")
    same_patient = earlier.filter(episode__patient_id=patient_id)[: rules.same_patient_notes]
    others = earlier.filter(author_id=note.author_id).exclude(episode__patient_id=patient_id)[
        : rules.same_author_notes
    ]
    found = []
    for rows, mine in ((same_patient, True), (others, False)):
        for row in rows.values("date_of_service", *_WORDS):
            text = " ".join(str(row[name]) for name in _WORDS if row[name])
            found.append(EarlierNote(row["date_of_service"], text, mine))
    return tuple(found)
