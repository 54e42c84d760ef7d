"""Appointments, the visits they became, and each visit's treatment note, lines and signatures."""

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import chain, count

from otclinic.clinic.care.models import (
    GoalProgress,
    NoteLine,
    NoteStatus,
    Signature,
    SignatureMeaning,
    TreatmentNote,
)
from otclinic.clinic.demo import catalog
from otclinic.clinic.demo.care import EpisodeState, PlannedVisit, content_hash
from otclinic.clinic.demo.context import Context
from otclinic.clinic.demo.practice import Member, Practice
from otclinic.clinic.demo.reports import add_discharge, add_progress_report, goal_value
from otclinic.clinic.scheduling.models import (
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    Visit,
)
from otclinic.clinic.scheduling.selectors import HOLDS_SLOT
from otclinic.domain.codes import Discipline, InterventionCategory, Role

DAY_STARTS = 8 * 60  # 08:00
VISIT_MINUTES = 45
DAY_SLOTS = 12  # a clinician's visits a day: 08:00 to 17:00
COSIGN_AFTER_DAYS = 4
TODAY_MINIMUM = 3  # visits on each OT's and OTA's book today, when the clinic has them  # the demo's OTs co-sign assistants' notes within a few days


@dataclass
class Schedule:
    """Who is booked when: the next slot of each clinician on each day.

    A clinician's day has `DAY_SLOTS` slots of `VISIT_MINUTES` from 08:00, taken in turn; a
    slot the clinician or the patient already holds (the patient's visit in another
    discipline) is passed over, and a day whose slots are all held runs on past its last."""

    slots: dict[tuple[uuid.UUID, dt.date], int] = field(default_factory=lambda: defaultdict(int))

    def next_start(
        self, ctx: Context, clinician: Member, patient_id: uuid.UUID, day: dt.date
    ) -> dt.datetime:
        first = self.slots[clinician.profile_id, day]
        turn = [(first + n) % DAY_SLOTS for n in range(DAY_SLOTS)]
        slots = chain(turn, count(DAY_SLOTS))
        start = ctx.book.first_free(
            (ctx.at(day, DAY_STARTS + slot * VISIT_MINUTES) for slot in slots),
            minutes=VISIT_MINUTES,
            clinician=clinician.profile_id,
            patient=patient_id,
        )
        taken = (start - ctx.at(day, DAY_STARTS)) // dt.timedelta(minutes=VISIT_MINUTES)
        self.slots[clinician.profile_id, day] = taken + 1
        return start


@dataclass
class NotePolicy:
    """How far along each note's paperwork is, which depends on who wrote it and when."""

    today: dt.date
    late_author: uuid.UUID  # the demo OTA, who has a few notes left to finish
    late_days: frozenset[dt.date]

    def status(self, clinician: Member, day: dt.date, rng_roll: float) -> NoteStatus:
        if clinician.profile_id == self.late_author and (
            day in self.late_days or day == self.today
        ):
            return NoteStatus.DRAFT
        if clinician.role == Role.OTA:
            if (self.today - day).days >= COSIGN_AFTER_DAYS:
                return NoteStatus.COSIGNED
            return NoteStatus.COSIGN_PENDING
        if day == self.today and rng_roll < 0.5:
            return NoteStatus.DRAFT
        return NoteStatus.SIGNED


def last_working_days(today: dt.date, n: int) -> frozenset[dt.date]:
    days: list[dt.date] = []
    day = today
    while len(days) < n:
        day -= dt.timedelta(days=1)
        if day.weekday() < 5:
            days.append(day)
    return frozenset(days)


def add_calendar(
    ctx: Context, practice: Practice, state: EpisodeState, schedule: Schedule, policy: NotePolicy
) -> None:
    period_start = state.plan.start
    for number, planned in enumerate(state.calendar):
        start = schedule.next_start(ctx, planned.clinician, state.record.patient_id, planned.day)
        add_appointment(ctx, practice, state, planned, start=start, policy=policy, number=number)
        ends_at = start + dt.timedelta(minutes=VISIT_MINUTES)
        if planned.kind == AppointmentKind.PROGRESS:
            add_progress_report(
                ctx, state, day=planned.day, period_start=period_start, ends_at=ends_at
            )
            period_start = planned.day + dt.timedelta(days=1)
        elif planned.kind == AppointmentKind.DISCHARGE:
            add_discharge(ctx, state, day=planned.day, ends_at=ends_at)


def add_appointment(
    ctx: Context,
    practice: Practice,
    state: EpisodeState,
    planned: PlannedVisit,
    *,
    start: dt.datetime,
    policy: NotePolicy,
    number: int,
) -> None:
    rng = ctx.rng
    clinic_id = state.record.clinic_id
    ends_at = start + dt.timedelta(minutes=VISIT_MINUTES)
    room_id = ctx.book.place(
        rooms=practice.rooms[clinic_id],
        preferred=practice.preferred_room(rng, clinic_id),
        start=start,
        end=ends_at,
        clinician=planned.clinician.profile_id,
        patient=state.record.patient_id,
        holds=planned.status in HOLDS_SLOT,
    )
    appointment = Appointment(
        id=ctx.new_id(),
        organization_id=ctx.organization_id,
        patient_id=state.record.patient_id,
        clinician_id=planned.clinician.profile_id,
        clinic_id=clinic_id,
        room_id=room_id,
        episode_id=state.episode_id,
        kind=planned.kind,
        status=planned.status,
        starts_at=start,
        ends_at=ends_at,
        cancel_reason=rng.choice(catalog.CANCEL_REASONS)
        if planned.status == AppointmentStatus.CANCELLED
        else "",
    )
    ctx.rows.add(appointment)
    if planned.status not in {AppointmentStatus.COMPLETED, AppointmentStatus.CHECKED_IN}:
        return
    visit = Visit(
        id=ctx.new_id(),
        organization_id=ctx.organization_id,
        appointment_id=appointment.id,
        episode_id=state.episode_id,
        patient_id=state.record.patient_id,
        clinician_id=planned.clinician.profile_id,
        date_of_service=planned.day,
        checked_in_at=start - dt.timedelta(minutes=rng.randint(0, 10)),
    )
    ctx.rows.add(visit)
    if planned.status == AppointmentStatus.COMPLETED:
        status = policy.status(planned.clinician, planned.day, rng.random())
        note_id = add_note(
            ctx, state, planned, visit_id=visit.id, ends_at=appointment.ends_at, status=status
        )
        if number % 4 == 3 and state.goals:
            _goal_progress(ctx, state, note_id, planned.day)


def add_note(
    ctx: Context,
    state: EpisodeState,
    planned: PlannedVisit,
    *,
    visit_id: uuid.UUID,
    ends_at: dt.datetime,
    status: NoteStatus,
) -> uuid.UUID:
    rng = ctx.rng
    lines = note_lines(ctx, state, planned)
    timed = sum(m for i, m in lines if i.code in catalog.TIMED_CODES)
    signed_at = (
        None if status == NoteStatus.DRAFT else ends_at + dt.timedelta(minutes=rng.randint(5, 240))
    )
    note = TreatmentNote(
        id=ctx.new_id(),
        organization_id=ctx.organization_id,
        episode_id=state.episode_id,
        visit_id=visit_id,
        date_of_service=planned.day,
        author_id=planned.clinician.profile_id,
        status=status,
        patient_present=not planned.caregiver_only,
        caregiver_consent=planned.caregiver_only,
        subjective=rng.choice(catalog.SUBJECTIVE),
        patient_response=rng.choice(catalog.RESPONSE),
        plan_next_visit=rng.choice(catalog.PLAN_NEXT),
        total_timed_minutes=timed,
        # Treatment minutes also hold time that bills no code (set-up, vital signs).
        total_treatment_minutes=sum(m for _, m in lines) + rng.choice([0, 0, 0, 5]),
        signed_at=signed_at,
    )
    ctx.rows.add(note)
    for position, (intervention, minutes) in enumerate(lines, start=1):
        _line(ctx, note.id, position, intervention, minutes, planned.clinician)
    if signed_at:
        digest = content_hash(note.id, planned.day, [(i.code, m) for i, m in lines])
        _signature(ctx, note.id, planned.clinician, SignatureMeaning.AUTHOR, signed_at, digest)
        if status == NoteStatus.COSIGNED and planned.clinician.supervisor:
            cosigned_at = ctx.at(planned.day + dt.timedelta(days=1), 12 * 60 + rng.randint(0, 300))
            supervisor = planned.clinician.supervisor
            _signature(ctx, note.id, supervisor, SignatureMeaning.COSIGNER, cosigned_at, digest)
    return note.id


def note_lines(
    ctx: Context, state: EpisodeState, planned: PlannedVisit
) -> list[tuple[catalog.Intervention, int]]:
    """The interventions of one visit and their minutes."""
    rng = ctx.rng
    if planned.caregiver_only:
        return [(catalog.CAREGIVER, rng.randint(30, 45))]
    chosen: list[catalog.Intervention] = []
    if planned.kind == AppointmentKind.EVALUATION:
        code = state.evaluation_code or rng.choice(catalog.EVALUATION_CODES[state.plan.discipline])
        evaluation = catalog.Intervention(code, InterventionCategory.OTHER, "Evaluation")
        return [
            (evaluation, rng.randint(40, 60)),
            *_with_minutes(ctx, list(state.interventions[:1])),
        ]
    pool = list(state.interventions)
    chosen = rng.sample(pool, k=min(len(pool), rng.choice([2, 3, 3])))
    codes = {i.code for i in chosen}
    if "97130" in codes and "97129" not in codes:
        chosen = [catalog.COGNITION if i.code == "97130" else i for i in chosen]
    return _with_minutes(ctx, chosen)


def _with_minutes(
    ctx: Context, chosen: list[catalog.Intervention]
) -> list[tuple[catalog.Intervention, int]]:
    rng = ctx.rng
    timed = [i for i in chosen if i.code in catalog.TIMED_CODES]
    untimed = [i for i in chosen if i.code not in catalog.TIMED_CODES]
    minutes: dict[int, int] = {}
    if timed:
        total = rng.randint(8 * len(timed) + 14, 53) if len(timed) < 4 else 53
        weights = [rng.random() + 0.5 for _ in timed]
        shares = [8 + int((total - 8 * len(timed)) * w / sum(weights)) for w in weights]
        shares[-1] += total - sum(shares)
        minutes.update({id(i): m for i, m in zip(timed, shares, strict=True)})
    for i in untimed:
        minutes[id(i)] = rng.randint(10, 15) if i.code == "97018" else rng.randint(25, 40)
    return [(i, minutes[id(i)]) for i in chosen]


def _line(
    ctx: Context,
    note_id: uuid.UUID,
    position: int,
    intervention: catalog.Intervention,
    minutes: int,
    author: Member,
) -> None:
    therapist = assistant = together = 0
    if author.role == Role.OTA:
        assistant = minutes
        # Now and then the supervising OT joins part of an intervention.
        if position == 1 and ctx.rng.random() < 0.05:
            together = min(minutes, ctx.rng.randint(5, 10))
            assistant = minutes - together
    else:
        therapist = minutes
    ctx.rows.add(
        NoteLine(
            id=ctx.new_id(),
            organization_id=ctx.organization_id,
            note_id=note_id,
            position=position,
            code=intervention.code,
            category=intervention.category,
            description=intervention.description,
            therapist_minutes=therapist,
            assistant_minutes=assistant,
            together_minutes=together,
        )
    )


def _signature(
    ctx: Context,
    note_id: uuid.UUID,
    signer: Member,
    meaning: SignatureMeaning,
    signed_at: dt.datetime,
    digest: str,
) -> None:
    ctx.rows.add(
        Signature(
            id=ctx.new_id(),
            organization_id=ctx.organization_id,
            signer_id=signer.user_id,
            meaning=meaning,
            credentials=signer.credentials,
            signed_at=signed_at,
            content_sha256=digest,
            note_id=note_id,
        )
    )


def _goal_progress(ctx: Context, state: EpisodeState, note_id: uuid.UUID, day: dt.date) -> None:
    ctx.rows.add(
        GoalProgress(
            id=ctx.new_id(),
            organization_id=ctx.organization_id,
            note_id=note_id,
            goal_id=state.goals[0][0],
            value=goal_value(ctx, state, 0, day),
        )
    )


def today_status(ctx: Context, start: dt.datetime) -> AppointmentStatus:
    if start + dt.timedelta(minutes=VISIT_MINUTES) <= ctx.now:
        return AppointmentStatus.COMPLETED
    if start <= ctx.now:
        return AppointmentStatus.CHECKED_IN
    return AppointmentStatus.SCHEDULED


def schedule_today(
    ctx: Context,
    practice: Practice,
    open_episodes: list[EpisodeState],
    policy: NotePolicy,
) -> None:
    """Today's book: each clinician sees some of their open episodes, one an hour from 08:00."""
    by_clinician: dict[uuid.UUID, list[EpisodeState]] = defaultdict(list)
    for state in open_episodes:
        # The assistant sees most visits of the episodes they share; the OT sees the rest.
        clinician = state.plan.therapist
        if state.plan.assistant and (state.featured or ctx.rng.random() < 0.75):
            clinician = state.plan.assistant
        by_clinician[clinician.profile_id].append(state)
    _share_out(practice, by_clinician)
    for member in practice.staff:
        states = by_clinician.get(member.profile_id, [])
        featured = [s for s in states if s.featured]
        others = [s for s in states if not s.featured]
        ctx.rng.shuffle(others)
        cap = 7 if member.role == Role.OTA else 5
        first = DAY_STARTS + (0 if state_discipline(member) == Discipline.OT else 30)
        hour = 0
        for state in [*featured, *others][:cap]:
            # Hourly from the first; an hour the patient spends with another clinician is passed.
            start = ctx.book.first_free(
                (ctx.at(ctx.today, first + h * 60) for h in count(hour)),
                minutes=VISIT_MINUTES,
                clinician=member.profile_id,
                patient=state.record.patient_id,
            )
            hour = (start - ctx.at(ctx.today, first)) // dt.timedelta(hours=1) + 1
            planned = PlannedVisit(
                ctx.today, AppointmentKind.TREATMENT, member, today_status(ctx, start)
            )
            number = len(state.calendar)
            add_appointment(
                ctx, practice, state, planned, start=start, policy=policy, number=number
            )


def _share_out(practice: Practice, by_clinician: dict[uuid.UUID, list[EpisodeState]]) -> None:
    """Cover for each other: an OT or OTA with a thin book today takes visits from the busiest."""
    team = [m for m in practice.staff if m.role in {Role.OT, Role.OTA}]
    for member in team:
        mine = by_clinician[member.profile_id]
        while len(mine) < TODAY_MINIMUM:
            donors = [
                m
                for m in team
                if m.clinic_ids == member.clinic_ids
                and len(by_clinician[m.profile_id]) > TODAY_MINIMUM
            ]
            if not donors:
                break
            pool = by_clinician[
                max(donors, key=lambda m: len(by_clinician[m.profile_id])).profile_id
            ]
            movable = [s for s in pool if not s.featured]
            if not movable:
                break
            pool.remove(movable[-1])
            mine.append(movable[-1])


def state_discipline(member: Member) -> Discipline:
    return {Role.PT: Discipline.PT, Role.SLP: Discipline.SLP}.get(member.role, Discipline.OT)
