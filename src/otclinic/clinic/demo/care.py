"""Episodes of care: referral, evaluation, plan of care with goals, and the visit calendar."""

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.text import slugify

from otclinic.clinic.care.models import (
    AssessmentScore,
    Complexity,
    Episode,
    EpisodeStatus,
    Evaluation,
    EvaluationKind,
    Goal,
    GoalStatus,
    PlanDiagnosis,
    PlannedIntervention,
    PlanOfCare,
    PlanStatus,
    Signature,
    SignatureMeaning,
)
from otclinic.clinic.demo import catalog, conditions
from otclinic.clinic.demo.context import Context
from otclinic.clinic.demo.patients import PatientRecord, add_diagnosis
from otclinic.clinic.demo.practice import Member, Practice
from otclinic.clinic.referrals.models import Referral
from otclinic.clinic.scheduling.models import AppointmentKind, AppointmentStatus
from otclinic.domain.codes import Discipline, Role

SPECIALTY = {
    "stroke": "neuro",
    "parkinsons": "neuro",
    "cognition": "neuro",
    "hip_fracture": "ortho",
    "wrist_fracture": "hand",
    "shoulder": "ortho",
    "carpal_tunnel": "hand",
    "osteoarthritis": "family",
    "tendon": "hand",
    "development": "peds",
    "deconditioning": "family",
}
COMPLEXITY_CODE = {Complexity.LOW: "97165", Complexity.MODERATE: "97166", Complexity.HIGH: "97167"}
PATTERNS = {2: ((0, 3), (1, 3), (1, 4), (0, 2)), 3: ((0, 2, 4),)}
PROFILES = (
    "Lives with family in a one-storey home; wants to return to cooking and community outings.",
    "Lives alone in an apartment with an elevator; goal is to stay independent at home.",
    "Works part time in an office; wants to return to typing and driving.",
    "Attends school; parents want independence with dressing and handwriting.",
    "Retired; enjoys gardening and caring for grandchildren.",
)


@dataclass
class EpisodePlan:
    """The shape of one episode, decided before any of its rows are written."""

    discipline: Discipline
    therapist: Member
    assistant: Member | None
    start: dt.date
    weeks: int
    frequency: int
    pattern: tuple[int, ...]

    @property
    def planned_end(self) -> dt.date:
        return self.start + dt.timedelta(days=self.weeks * 7 - 1)


@dataclass(frozen=True)
class PlannedVisit:
    day: dt.date
    kind: AppointmentKind
    clinician: Member
    status: AppointmentStatus
    caregiver_only: bool = False


@dataclass
class EpisodeState:
    """An episode as written, with what its visits need."""

    episode_id: uuid.UUID
    plan: EpisodePlan
    record: PatientRecord
    interventions: tuple[catalog.Intervention, ...]
    goals: list[tuple[uuid.UUID, Decimal, Decimal, GoalStatus]] = field(default_factory=list)
    calendar: list[PlannedVisit] = field(default_factory=list)
    evaluation_code: str = ""
    featured: bool = False  # a demo login's patient: always on today's book

    @property
    def open(self) -> bool:
        return self.calendar_end is None

    @property
    def calendar_end(self) -> dt.date | None:
        """The discharge day, or None while the episode is open."""
        last = self.calendar[-1] if self.calendar else None
        return last.day if last and last.kind == AppointmentKind.DISCHARGE else None


def content_hash(*parts: object) -> str:
    """The SHA-256 of what was signed (the demo's stand-in for the rendered document)."""
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()


def plan_episode(
    ctx: Context,
    practice: Practice,
    *,
    discipline: Discipline,
    clinic_id: uuid.UUID,
    start: dt.date,
    assistant_share: float = 0.7,
) -> EpisodePlan:
    rng = ctx.rng
    if discipline == Discipline.OT:
        therapist = rng.choice(practice.clinicians(_role(discipline), clinic_id))
        helpers = therapist.supervisees
        assistant = rng.choice(helpers) if helpers and rng.random() < assistant_share else None
    else:
        therapist, assistant = rng.choice(practice.clinicians(_role(discipline))), None
    frequency = rng.choice([2, 2, 3])
    return EpisodePlan(
        discipline,
        therapist,
        assistant,
        start,
        rng.choice([4, 6, 8, 8, 10, 12]),
        frequency,
        rng.choice(PATTERNS[frequency]),
    )


def _role(discipline: Discipline) -> Role:
    return Role(discipline.value)


def visit_calendar(
    ctx: Context, plan: EpisodePlan, *, caregiver_consent: bool
) -> list[PlannedVisit]:
    """The days of the episode before today: evaluation, treatments, progress, discharge."""
    rng = ctx.rng
    last = min(plan.planned_end, ctx.today - dt.timedelta(days=1))
    days = [plan.start] + [
        plan.start + dt.timedelta(days=n)
        for n in range(1, (last - plan.start).days + 1)
        if (plan.start + dt.timedelta(days=n)).weekday() in plan.pattern
    ]
    calendar = [
        PlannedVisit(
            plan.start, AppointmentKind.EVALUATION, plan.therapist, AppointmentStatus.COMPLETED
        )
    ]
    attended = 0
    for day in days[1:]:
        roll = rng.random()
        if roll < 0.05 or roll > 0.97:
            status = AppointmentStatus.CANCELLED if roll < 0.05 else AppointmentStatus.NO_SHOW
            calendar.append(PlannedVisit(day, AppointmentKind.TREATMENT, plan.therapist, status))
            continue
        attended += 1
        # The evaluation is treatment day 1: a progress report falls on the 10th treatment day
        # of each period (BPM ch. 15 sec. 220.3), and the next period starts the day after.
        kind = AppointmentKind.PROGRESS if attended % 10 == 9 else AppointmentKind.TREATMENT
        by_assistant = plan.assistant and kind == AppointmentKind.TREATMENT and rng.random() < 0.75
        clinician = plan.assistant if by_assistant and plan.assistant else plan.therapist
        caregiver_only = (
            caregiver_consent
            and plan.discipline == Discipline.OT
            and kind == AppointmentKind.TREATMENT
            and rng.random() < 0.06
        )
        calendar.append(
            PlannedVisit(day, kind, clinician, AppointmentStatus.COMPLETED, caregiver_only)
        )
    if plan.planned_end < ctx.today:
        _end_with_discharge(calendar, plan)
    return calendar


def _end_with_discharge(calendar: list[PlannedVisit], plan: EpisodePlan) -> None:
    while len(calendar) > 1 and calendar[-1].status != AppointmentStatus.COMPLETED:
        calendar.pop()
    if len(calendar) > 1:
        calendar[-1] = PlannedVisit(
            calendar[-1].day, AppointmentKind.DISCHARGE, plan.therapist, AppointmentStatus.COMPLETED
        )


def add_episode(
    ctx: Context,
    practice: Practice,
    *,
    record: PatientRecord,
    plan: EpisodePlan,
) -> EpisodeState:
    calendar = visit_calendar(ctx, plan, caregiver_consent=record.caregiver_consent)
    interventions = _interventions(ctx, record, plan.discipline)
    state = EpisodeState(ctx.new_id(), plan, record, interventions, calendar=calendar)
    physician_id = ctx.rng.choice(practice.physicians[SPECIALTY[record.condition.key]])
    codes = [record.primary_code, *conditions.DISCIPLINE_CODES.get(plan.discipline, ())[:1]]
    for code in codes:
        add_diagnosis(ctx, record, code=code, onset_on=None)
    referral_id = _referral(ctx, record, plan, physician_id, codes)
    ended = state.calendar_end
    ctx.rows.add(
        Episode(
            id=state.episode_id,
            organization_id=ctx.organization_id,
            patient_id=record.patient_id,
            discipline=plan.discipline,
            clinic_id=record.clinic_id,
            referral_id=referral_id,
            therapist_id=plan.therapist.profile_id,
            coverage_id=record.coverage_id,
            status=EpisodeStatus.DISCHARGED if ended else EpisodeStatus.OPEN,
            started_on=plan.start,
            ended_on=ended,
        )
    )
    if plan.discipline == Discipline.OT:
        _evaluation(ctx, state)
    _plan_of_care(ctx, state, physician_id, [record.diagnoses[c] for c in codes])
    return state


def _interventions(
    ctx: Context, record: PatientRecord, discipline: Discipline
) -> tuple[catalog.Intervention, ...]:
    if discipline != Discipline.OT:
        return catalog.OTHER_DISCIPLINE_TREATMENT[discipline]
    chosen = [i for i in record.condition.interventions if ctx.rng.random() < 0.8]
    if not any(i.code in catalog.TIMED_CODES for i in chosen):
        chosen.insert(0, record.condition.interventions[0])
    if any(i.code == "97130" for i in chosen) and not any(i.code == "97129" for i in chosen):
        chosen = [i for i in chosen if i.code != "97130"]
    return tuple(chosen)


def _referral(
    ctx: Context,
    record: PatientRecord,
    plan: EpisodePlan,
    physician_id: uuid.UUID,
    codes: list[str],
) -> uuid.UUID:
    signed = plan.start - dt.timedelta(days=ctx.rng.randint(3, 20))
    referral = Referral(
        id=ctx.new_id(),
        organization_id=ctx.organization_id,
        patient_id=record.patient_id,
        physician_id=physician_id,
        discipline=plan.discipline,
        signed_on=signed,
        received_on=signed + dt.timedelta(days=ctx.rng.randint(0, 2)),
        names_discipline=True,
        diagnosis_codes=codes,
        notes=f"{plan.discipline} evaluate and treat",
    )
    ctx.rows.add(referral)
    return referral.id


def _evaluation(ctx: Context, state: EpisodeState) -> None:
    plan = state.plan
    complexity = Complexity(ctx.rng.choice(state.record.condition.complexity))
    signed_at = ctx.at(plan.start, 17 * 60 + ctx.rng.randint(0, 90))
    evaluation = Evaluation(
        id=ctx.new_id(),
        organization_id=ctx.organization_id,
        episode_id=state.episode_id,
        kind=EvaluationKind.EVALUATION,
        performed_on=plan.start,
        therapist_id=plan.therapist.profile_id,
        complexity=complexity,
        code=COMPLEXITY_CODE[complexity],
        occupational_profile=ctx.rng.choice(PROFILES),
        performance_deficits="Decreased strength, coordination and activity tolerance limit ADLs.",
        complexity_reasoning=f"{complexity.label}: history, deficits and clinical decision making.",
        signed_at=signed_at,
    )
    ctx.rows.add(evaluation)
    state.evaluation_code = evaluation.code
    _sign(ctx, plan.therapist, signed_at, evaluation_id=evaluation.id)
    for spec in state.record.condition.goals:
        ctx.rows.add(
            AssessmentScore(
                id=ctx.new_id(),
                organization_id=ctx.organization_id,
                evaluation_id=evaluation.id,
                instrument=slugify(spec.measure).replace("-", "_")[:40],
                value=Decimal(ctx.rng.randint(*spec.baseline)),
                unit=spec.unit[:16],
                measured_on=plan.start,
            )
        )


def _plan_of_care(
    ctx: Context, state: EpisodeState, physician_id: uuid.UUID, diagnosis_ids: list[uuid.UUID]
) -> None:
    plan, rng = state.plan, ctx.rng
    certified = plan.start + dt.timedelta(days=rng.randint(3, 21))
    signed_at = ctx.at(plan.start, 17 * 60 + rng.randint(30, 120))
    poc = PlanOfCare(
        id=ctx.new_id(),
        organization_id=ctx.organization_id,
        episode_id=state.episode_id,
        status=PlanStatus.ACTIVE,
        established_on=plan.start,
        duration_days=plan.weeks * 7,
        frequency_per_week=plan.frequency,
        duration_weeks=plan.weeks,
        certifying_physician_id=physician_id,
        sent_to_physician_on=plan.start + dt.timedelta(days=1),
        certified_on=certified if certified < ctx.today else None,
        author_id=plan.therapist.profile_id,
        signed_at=signed_at,
    )
    ctx.rows.add(poc)
    _sign(ctx, plan.therapist, signed_at, plan_id=poc.id)
    for rank, diagnosis_id in enumerate(diagnosis_ids, start=1):
        ctx.rows.add(
            PlanDiagnosis(
                id=ctx.new_id(),
                organization_id=ctx.organization_id,
                plan_id=poc.id,
                diagnosis_id=diagnosis_id,
                rank=rank,
            )
        )
    _goals(ctx, state, poc.id)
    seen = set()
    for intervention in state.interventions:
        if (intervention.category, intervention.code) in seen:
            continue
        seen.add((intervention.category, intervention.code))
        ctx.rows.add(
            PlannedIntervention(
                id=ctx.new_id(),
                organization_id=ctx.organization_id,
                plan_id=poc.id,
                category=intervention.category,
                code=intervention.code,
                description=intervention.description,
            )
        )


def _goals(ctx: Context, state: EpisodeState, plan_id: uuid.UUID) -> None:
    plan = state.plan
    specs = (
        state.record.condition.goals
        if plan.discipline == Discipline.OT
        else conditions.DISCIPLINE_GOALS[plan.discipline]
    )
    discharged = state.calendar_end is not None
    for position, spec in enumerate(specs, start=1):
        baseline = Decimal(ctx.rng.randint(*spec.baseline))
        target = max(Decimal(0), baseline + spec.change)
        weeks = plan.weeks if spec.term == "long" else max(2, plan.weeks // 2)
        status = GoalStatus.ACTIVE
        if discharged:
            status = ctx.rng.choices([GoalStatus.MET, GoalStatus.PARTIALLY_MET], [7, 3])[0]
        goal = Goal(
            id=ctx.new_id(),
            organization_id=ctx.organization_id,
            plan_id=plan_id,
            term=spec.term,
            description=spec.description,
            measure=spec.measure,
            unit=spec.unit,
            baseline=baseline,
            target=target,
            target_date=plan.start + dt.timedelta(days=weeks * 7 - 1),
            status=status,
            position=position,
        )
        ctx.rows.add(goal)
        state.goals.append((goal.id, baseline, target, status))


def _sign(ctx: Context, signer: Member, signed_at: dt.datetime, **document: uuid.UUID) -> None:
    (name, doc_id), *_ = document.items()
    ctx.rows.add(
        Signature(
            id=ctx.new_id(),
            organization_id=ctx.organization_id,
            signer_id=signer.user_id,
            meaning=SignatureMeaning.AUTHOR,
            credentials=signer.credentials,
            signed_at=signed_at,
            content_sha256=content_hash(name, doc_id, signed_at.isoformat()),
            **document,
        )
    )
