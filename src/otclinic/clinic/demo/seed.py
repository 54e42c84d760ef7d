"""The synthetic demo clinic behind `otclinic demo seed` and `otclinic demo logins`.

One organization with two Ohio clinics, its staff, payers, referring physicians, about 150
patients per unit of scale and three months of visits ending today, each with its note. The
seed is deterministic for a given random seed and day, and idempotent: when the organization
already exists it adds nothing but today's book on a later day (`today.py`), so a database
seeded last week still shows caseloads; a second run on the same day changes nothing.

Speed matters (`--scale 50` writes over 100,000 visits; docs/benchmarks.md): rows are gathered in memory with
precomputed UUIDs and written with bulk_create in one transaction, which sends no per-row
signals; one audit entry then records the whole operation. The demo password is hashed once
and the hash shared by every demo account.
"""

import datetime as dt
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from otclinic.clinic.audit.context import SYSTEM, acting_as
from otclinic.clinic.audit.models import AuditAction
from otclinic.clinic.audit.services import audit_record
from otclinic.clinic.care.models import Episode, NoteLine, TreatmentNote
from otclinic.clinic.common.progress import Progress
from otclinic.clinic.demo import catalog, conditions, portal
from otclinic.clinic.demo.care import EpisodePlan, EpisodeState, add_episode, plan_episode
from otclinic.clinic.demo.certification import add_certification_followup
from otclinic.clinic.demo.context import Context
from otclinic.clinic.demo.credentials import add_credentials
from otclinic.clinic.demo.fieldwork import add_fieldwork
from otclinic.clinic.demo.hiring import add_hiring
from otclinic.clinic.demo.messaging import add_conversations
from otclinic.clinic.demo.patients import (
    PatientRecord,
    add_mrn_pattern,
    add_patient,
    pick_condition,
)
from otclinic.clinic.demo.practice import Practice, build_practice
from otclinic.clinic.demo.reminders import add_reminders_and_marks
from otclinic.clinic.demo.revenue import add_revenue_cycle
from otclinic.clinic.demo.schedule import add_schedule_extras
from otclinic.clinic.demo.supervision import add_supervision
from otclinic.clinic.demo.today import day_seed, has_appointments_on, top_up_today
from otclinic.clinic.demo.visits import (
    VISIT_MINUTES,
    NotePolicy,
    Schedule,
    add_calendar,
    last_working_days,
    schedule_today,
)
from otclinic.clinic.organizations.models import Clinic, Organization
from otclinic.clinic.patients.models import Patient
from otclinic.clinic.payers.models import Payer
from otclinic.clinic.referrals.models import Referral, ReferringPhysician
from otclinic.clinic.scheduling.models import (
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    Visit,
)
from otclinic.clinic.staff.models import StaffProfile
from otclinic.domain.codes import Discipline, Role

COUNTED: tuple[tuple[str, type[Model]], ...] = (
    ("clinics", Clinic),
    ("staff", StaffProfile),
    ("payers", Payer),
    ("referring physicians", ReferringPhysician),
    ("patients", Patient),
    ("episodes", Episode),
    ("appointments", Appointment),
    ("visits", Visit),
    ("treatment notes", TreatmentNote),
    ("note lines", NoteLine),
)
NEW_PATIENT_SHARE = 0.04  # referred, evaluation booked for later today


@dataclass(frozen=True)
class Featured:
    """A patient whose record a demo portal login opens; always on the demo OTA's book today."""

    condition: str
    age: int
    started_days_ago: int


FEATURED = {0: Featured("wrist_fracture", 58, 22), 1: Featured("stroke", 74, 30)}


@dataclass(frozen=True)
class SeedResult:
    created: bool
    scale: int
    seconds: float
    counts: dict[str, int]
    rows: int = 0
    added_today: int = 0  # appointments booked today on a run after the first day

    def summary(self) -> str:
        if self.created:
            head = (
                f"Seeded the demo clinic {catalog.ORG_NAME!r} (scale {self.scale}): "
                f"{self.rows:,} rows in {self.seconds:.1f} s."
            )
        elif self.added_today:
            head = (
                f"The demo clinic {catalog.ORG_NAME!r} already exists; added today's schedule: "
                f"{self.added_today:,} appointments ({self.rows:,} rows). Nothing else changed."
            )
        else:
            head = (
                f"The demo clinic {catalog.ORG_NAME!r} already exists: nothing was changed. "
                "To seed again at another scale, start from an empty database."
            )
        body = ", ".join(f"{n:,} {label}" for label, n in self.counts.items())
        return f"{head}\n  {body}"


def demo_logins() -> list[tuple[str, str, str]]:
    """One demo login per role: (role label, username, password)."""
    return [(login.label, login.username, catalog.DEMO_PASSWORD) for login in catalog.DEMO_LOGINS]


def demo_counts(organization_id: uuid.UUID) -> dict[str, int]:
    return {
        label: model._default_manager.filter(organization_id=organization_id).count()
        for label, model in COUNTED
    }


def seed_demo(
    *,
    scale: int = 1,
    random_seed: int = 2026,
    patients_per_scale: int = catalog.PATIENTS_PER_SCALE,
    months: int = 3,
    progress: Progress | None = None,
    revenue: bool | None = None,
) -> SeedResult:
    """Create the demo clinic; when it exists, book today if nothing is booked yet.

    `revenue` bills a month through the revenue services (demo/revenue.py); by default only at
    scale 1, the clinic `make demo` loads (larger scales get a bulk cycle from bench/pages.py).
    Never duplicates anything and never changes what an earlier run wrote. The whole seed is one
    transaction: a seed that fails halfway leaves nothing.
    """
    if scale < 1 or patients_per_scale < 2 or months < 1:
        raise ValueError("scale and months must be at least 1, patients_per_scale at least 2")
    started = time.perf_counter()
    with transaction.atomic():
        existing = Organization.objects.filter(slug=catalog.ORG_SLUG).first()
        if existing:
            return _top_up(existing, scale=scale, random_seed=random_seed, started=started)
        ctx = _context(scale, random_seed)
        if progress is not None:
            progress.begin(total=3, step="Building patients, episodes and visits in memory")
        _build(ctx, patients=patients_per_scale * scale, window_days=round(months * 30.4))
        if progress is not None:
            progress.advance(step="Writing the rows to the database")
        _write(ctx, f"demo seed, scale {scale}, seed {random_seed}")
        if progress is not None:
            progress.advance(step="Adding the schedule, staff records and follow-ups")
        add_schedule_extras(ctx.organization_id, ctx.today)
        add_hiring(ctx.organization_id, ctx.today)
        add_credentials(ctx.organization_id, ctx.today)
        add_supervision(ctx.organization_id, ctx.today)
        add_fieldwork(ctx.organization_id, ctx.today)
        add_certification_followup(ctx.organization_id, ctx.today)
        add_reminders_and_marks(ctx.organization_id, ctx.now, ctx.today)
        if scale == 1 if revenue is None else revenue:
            add_revenue_cycle(organization_id=ctx.organization_id, today=ctx.today)
        if progress is not None:
            progress.advance(step="Done")
    seconds = time.perf_counter() - started
    return SeedResult(True, scale, seconds, demo_counts(ctx.organization_id), ctx.rows.total)


def _top_up(
    organization: Organization, *, scale: int, random_seed: int, started: float
) -> SeedResult:
    """Today's book for a clinic seeded on an earlier day; nothing when today is booked."""
    today = timezone.localdate()
    if has_appointments_on(organization, today):
        seconds = time.perf_counter() - started
        return SeedResult(False, scale, seconds, demo_counts(organization.id))
    ctx = _context(scale, day_seed(random_seed, today))
    top_up_today(ctx, organization)
    _write(ctx, f"demo seed, today's schedule for {today.isoformat()}")
    add_reminders_and_marks(organization.id, ctx.now, today)
    return SeedResult(
        False,
        scale,
        time.perf_counter() - started,
        demo_counts(organization.id),
        ctx.rows.total,
        added_today=ctx.rows.inserted[Appointment._meta.label],
    )


def _context(scale: int, random_seed: int) -> Context:
    return Context(
        scale=scale,
        random_seed=random_seed,
        today=timezone.localdate(),
        now=timezone.now(),
        tz=timezone.get_current_timezone(),
    )


def _write(ctx: Context, what: str) -> None:
    """Insert the gathered rows and record the whole operation as one audit entry."""
    ctx.rows.flush()
    add_conversations(ctx)
    with acting_as(SYSTEM):
        audit_record(
            action=AuditAction.BULK,
            object_type="demo.seed",
            object_id=ctx.organization_id,
            organization_id=ctx.organization_id,
            fields=sorted(ctx.rows.inserted),
            detail=f"{what}: {ctx.rows.total} rows by bulk insert",
        )


def _build(ctx: Context, *, patients: int, window_days: int) -> None:
    password_hash = make_password(catalog.DEMO_PASSWORD)
    practice = build_practice(ctx, password_hash=password_hash)
    demo_ota = practice.member("ota.demo")
    policy = NotePolicy(ctx.today, demo_ota.profile_id, last_working_days(ctx.today, 2))
    builder = _PatientBuilder(ctx, practice, policy, window_days)
    for index in range(patients):
        builder.add(index)
    add_mrn_pattern(ctx, patients=patients)
    schedule_today(ctx, practice, builder.open_episodes, policy)
    portal.add_portal(ctx, practice, builder.featured, builder.open_episodes, password_hash)


class _PatientBuilder:
    """Adds one patient after another with their episodes and visits."""

    def __init__(
        self, ctx: Context, practice: Practice, policy: NotePolicy, window_days: int
    ) -> None:
        self.ctx, self.practice, self.policy = ctx, practice, policy
        self.window_days = window_days
        self.schedule = Schedule()
        self.open_episodes: list[EpisodeState] = []
        self.featured: dict[int, PatientRecord] = {}
        self._evaluations_today: dict[uuid.UUID, int] = {}

    def add(self, index: int) -> None:
        ctx, rng = self.ctx, self.ctx.rng
        featured = FEATURED.get(index)
        if featured:
            condition = next(c for c in conditions.CONDITIONS if c.key == featured.condition)
            age, clinic_id = featured.age, self.practice.member("ota.demo").clinic_ids[0]
            start = _weekday_on_or_before(ctx.today - dt.timedelta(days=featured.started_days_ago))
        else:
            condition = pick_condition(ctx)
            age = rng.randint(*condition.ages)
            clinic_id = rng.choices(self.practice.clinic_ids, self.practice.clinic_shares)[0]
            start = _weekday_on_or_before(
                ctx.today - dt.timedelta(days=rng.randint(1, self.window_days))
            )
        if not featured and rng.random() < NEW_PATIENT_SHARE:
            self._new_patient(index, condition, age, clinic_id)
            return
        plans = self._plans(condition, clinic_id, start, featured is not None)
        record = add_patient(
            ctx,
            self.practice,
            index=index,
            condition=condition,
            age=age,
            clinic_id=clinic_id,
            active=any(p.planned_end >= ctx.today for p in plans),
            first_seen=start,
        )
        for plan in plans:
            state = add_episode(ctx, self.practice, record=record, plan=plan)
            state.featured = featured is not None
            add_calendar(ctx, self.practice, state, self.schedule, self.policy)
            if state.open:
                self.open_episodes.append(state)
        if featured:
            self.featured[index] = record

    def _plans(
        self, condition: conditions.Condition, clinic_id: uuid.UUID, start: dt.date, featured: bool
    ) -> list[EpisodePlan]:
        ctx = self.ctx
        ot = plan_episode(
            ctx, self.practice, discipline=Discipline.OT, clinic_id=clinic_id, start=start
        )
        if featured:
            ot.therapist, ot.assistant, ot.weeks = (
                self.practice.member("ot.demo"),
                self.practice.member("ota.demo"),
                8,
            )
            return [ot]
        plans = [ot]
        for discipline, share in condition.also.items():
            later = start + dt.timedelta(days=ctx.rng.randint(0, 7))
            if ctx.rng.random() < share and later < ctx.today:
                later = _weekday_on_or_before(later)
                plans.append(
                    plan_episode(
                        ctx, self.practice, discipline=discipline, clinic_id=clinic_id, start=later
                    )
                )
        return plans

    def _new_patient(
        self, index: int, condition: conditions.Condition, age: int, clinic_id: uuid.UUID
    ) -> None:
        """A referred patient who comes for the evaluation late today: no episode yet."""
        ctx = self.ctx
        record = add_patient(
            ctx,
            self.practice,
            index=index,
            condition=condition,
            age=age,
            clinic_id=clinic_id,
            active=True,
            first_seen=ctx.today - dt.timedelta(days=2),
        )
        signed = ctx.today - dt.timedelta(days=ctx.rng.randint(5, 15))
        specialty = {"development": "peds"}.get(condition.key, "family")
        ctx.rows.add(
            Referral(
                id=ctx.new_id(),
                organization_id=ctx.organization_id,
                patient_id=record.patient_id,
                physician_id=ctx.rng.choice(self.practice.physicians[specialty]),
                discipline=Discipline.OT,
                signed_on=signed,
                received_on=signed + dt.timedelta(days=1),
                diagnosis_codes=[record.primary_code],
                notes="OT evaluate and treat",
            )
        )
        ot = ctx.rng.choice(self.practice.clinicians(Role.OT, clinic_id))
        booked = self._evaluations_today.get(ot.profile_id, 0)
        self._evaluations_today[ot.profile_id] = booked + 1
        minutes = VISIT_MINUTES + 15
        start = ctx.book.first_free(
            _evaluation_starts(ctx, booked),
            minutes=minutes,
            clinician=ot.profile_id,
            patient=record.patient_id,
        )
        end = start + dt.timedelta(minutes=minutes)
        room_id = ctx.book.place(
            rooms=self.practice.rooms[clinic_id],
            preferred=self.practice.preferred_room(ctx.rng, clinic_id),
            start=start,
            end=end,
            clinician=ot.profile_id,
            patient=record.patient_id,
        )
        ctx.rows.add(
            Appointment(
                id=ctx.new_id(),
                organization_id=ctx.organization_id,
                patient_id=record.patient_id,
                clinician_id=ot.profile_id,
                clinic_id=clinic_id,
                room_id=room_id,
                kind=AppointmentKind.EVALUATION,
                status=AppointmentStatus.SCHEDULED,
                starts_at=start,
                ends_at=end,
            )
        )


def _evaluation_starts(ctx: Context, booked: int) -> Iterator[dt.datetime]:
    """Late today for a new patient's evaluation: 15:00, 16:00 or 17:00 in turn, else earlier."""
    late = [15 + (booked + n) % 3 for n in range(3)]
    for hour in [*late, *range(14, 7, -1), *range(18, 24)]:
        yield ctx.at(ctx.today, hour * 60)


def _weekday_on_or_before(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day
