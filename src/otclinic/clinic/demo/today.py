"""Today's book for a demo clinic seeded on an earlier day.

The first seed fixes "today" when it runs, so a database seeded last week shows empty caseloads.
A later run rebuilds, from the rows already written, what `schedule_today` needs (the staff and
the open episodes with their plans) and books today the way the first run did. It only adds
rows dated today: the history stays as it was. A day that already has appointments is left
alone, so running again on the same day changes nothing.
"""

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from otclinic.clinic.care.models import (
    Episode,
    EpisodeStatus,
    Goal,
    GoalStatus,
    PlannedIntervention,
    PlanOfCare,
    PlanStatus,
    TreatmentNote,
)
from otclinic.clinic.demo import catalog, conditions
from otclinic.clinic.demo.care import PATTERNS, EpisodePlan, EpisodeState, PlannedVisit
from otclinic.clinic.demo.context import Context
from otclinic.clinic.demo.patients import PatientRecord
from otclinic.clinic.demo.practice import Member, Practice
from otclinic.clinic.demo.visits import NotePolicy, last_working_days, schedule_today
from otclinic.clinic.organizations.models import Organization
from otclinic.clinic.patients.models import Patient, PatientDiagnosis, PortalAccess
from otclinic.clinic.scheduling.models import (
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    Room,
)
from otclinic.clinic.scheduling.selectors import HOLDS_SLOT
from otclinic.clinic.staff.models import StaffProfile
from otclinic.domain.codes import Discipline, InterventionCategory, Role

GoalFacts = tuple[uuid.UUID, Decimal, Decimal, GoalStatus]


def has_appointments_on(organization: Organization, day: dt.date) -> bool:
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    # Booked today for today: visits booked ahead on an earlier day (the portal's) do not count.
    return Appointment.objects.filter(
        organization=organization,
        starts_at__gte=start,
        starts_at__lt=start + dt.timedelta(days=1),
        created_at__gte=start,
    ).exists()


def top_up_today(ctx: Context, organization: Organization) -> None:
    """Book today's visits (with their notes, as far as the clock has gone) into `ctx.rows`."""
    ctx.organization_id = organization.id
    practice = practice_of(organization)
    hold_booked(ctx, organization)
    states = open_episodes(ctx, practice)
    demo_ota = practice.member("ota.demo")
    policy = NotePolicy(ctx.today, demo_ota.profile_id, last_working_days(ctx.today, 2))
    schedule_today(ctx, practice, states, policy)


def hold_booked(ctx: Context, organization: Organization) -> None:
    """Hold in the seed's book what is already booked today (the portal's visits booked ahead)."""
    start = ctx.at(ctx.today, 0)
    rows = Appointment.objects.filter(
        organization=organization,
        status__in=HOLDS_SLOT,
        starts_at__lt=start + dt.timedelta(days=1),
        ends_at__gt=start,
    ).values_list("starts_at", "ends_at", "clinician_id", "patient_id", "room_id")
    for starts_at, ends_at, *held in rows:
        ctx.book.hold(starts_at.astimezone(ctx.tz), ends_at.astimezone(ctx.tz), *held)


def day_seed(random_seed: int, day: dt.date) -> int:
    """The random seed of a later day's top-up: its own ids and draws, the same for one day."""
    return random_seed * 100_000_000 + int(day.strftime("%Y%m%d"))


def practice_of(organization: Organization) -> Practice:
    """The practice as `schedule_today` needs it, read back from the staff and room rows."""
    profiles = list(
        StaffProfile.objects.filter(organization=organization)
        .select_related("user")
        .prefetch_related("clinics")
        .order_by("user__username")
    )
    members = {
        p.pk: Member(
            p.pk,
            p.user_id,
            Role(p.user.role),
            p.credentials,
            sorted((c.pk for c in p.clinics.all()), key=str),
        )
        for p in profiles
    }
    for profile in profiles:
        supervisor = members.get(profile.supervising_ot_id) if profile.supervising_ot_id else None
        if supervisor:
            members[profile.pk].supervisor = supervisor
            supervisor.supervisees.append(members[profile.pk])
    rooms, named_rooms = _rooms_of(organization)
    return Practice(
        clinic_ids=list(rooms),
        clinic_shares=[c.share for c in catalog.CLINICS],
        rooms=rooms,
        staff=list(members.values()),
        payers={},
        physicians={},
        by_username={p.user.username: members[p.pk] for p in profiles},
        named_rooms=named_rooms,
    )


def _rooms_of(
    organization: Organization,
) -> tuple[dict[uuid.UUID, list[uuid.UUID]], dict[uuid.UUID, int]]:
    """Each clinic's rooms in the order the seed made them (its ids grow in that order: the
    named rooms, then the numbered treatment rooms), and how many of them are named."""
    named = {spec.name: set(spec.rooms) for spec in catalog.CLINICS}
    rooms: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    named_rooms: dict[uuid.UUID, int] = defaultdict(int)
    for room_id, clinic_id, clinic_name, name in (
        Room.objects.filter(organization=organization)
        .order_by("id")
        .values_list("id", "clinic", "clinic__name", "name")
    ):
        rooms[clinic_id].append(room_id)
        named_rooms[clinic_id] += name in named.get(clinic_name, ())
    return dict(rooms), dict(named_rooms)


def open_episodes(ctx: Context, practice: Practice) -> list[EpisodeState]:
    """Each open episode with an active plan, as the first run's `EpisodeState` of it."""
    members = {m.profile_id: m for m in practice.staff}
    plans = {
        p.episode_id: p
        for p in PlanOfCare.objects.filter(
            organization_id=ctx.organization_id,
            status=PlanStatus.ACTIVE,
            episode__status=EpisodeStatus.OPEN,
        )
    }
    episodes = list(
        Episode.objects.filter(pk__in=plans).select_related("patient").order_by("started_on", "pk")
    )
    codes = _primary_codes(episodes)
    featured = set(
        PortalAccess.objects.filter(organization_id=ctx.organization_id).values_list(
            "patient_id", flat=True
        )
    )
    interventions = _interventions(plans.values())
    goals = _goals(plans.values())
    assistants = _assistants(plans)
    calendars = _calendars(plans, members)
    states = []
    for episode in episodes:
        plan = plans[episode.pk]
        states.append(
            EpisodeState(
                episode.pk,
                EpisodePlan(
                    Discipline(episode.discipline),
                    members[episode.therapist_id],
                    members[assistants[episode.pk]] if episode.pk in assistants else None,
                    episode.started_on,
                    plan.duration_weeks,
                    plan.frequency_per_week,
                    PATTERNS.get(plan.frequency_per_week, ((),))[0],
                ),
                _record(ctx, episode.patient, episode.clinic_id, codes.get(episode.patient_id, "")),
                interventions[plan.pk],
                goals=goals[plan.pk],
                calendar=calendars[episode.pk],
                featured=episode.patient_id in featured,
            )
        )
    return states


def _record(ctx: Context, patient: Patient, clinic_id: uuid.UUID, code: str) -> PatientRecord:
    """The patient as the first run knew them; their condition is found by the primary code."""
    condition = next(
        (c for c in conditions.CONDITIONS if code in c.primary_codes), conditions.CONDITIONS[0]
    )
    age = (ctx.today - patient.birth_date).days // 365
    return PatientRecord(
        patient.pk, clinic_id, condition, age, patient.first_name, patient.last_name, code
    )


def _primary_codes(episodes: Iterable[Episode]) -> dict[uuid.UUID, str]:
    """Each patient's first recorded diagnosis: the primary one in the seed."""
    rows = (
        PatientDiagnosis.objects.filter(patient_id__in={e.patient_id for e in episodes})
        .order_by("-created_at", "-pk")
        .values_list("patient_id", "code")
    )
    return dict(rows)  # the last pair per patient wins: the earliest diagnosis


def _interventions(
    plans: Iterable[PlanOfCare],
) -> dict[uuid.UUID, tuple[catalog.Intervention, ...]]:
    found: dict[uuid.UUID, list[catalog.Intervention]] = defaultdict(list)
    for row in PlannedIntervention.objects.filter(plan__in=list(plans)).order_by("pk"):
        found[row.plan_id].append(
            catalog.Intervention(row.code, InterventionCategory(row.category), row.description)
        )
    return defaultdict(tuple, {plan_id: tuple(items) for plan_id, items in found.items()})


def _goals(plans: Iterable[PlanOfCare]) -> dict[uuid.UUID, list[GoalFacts]]:
    found: dict[uuid.UUID, list[GoalFacts]] = defaultdict(list)
    for goal in Goal.objects.filter(plan__in=list(plans)).order_by("pk"):
        found[goal.plan_id].append((goal.pk, goal.baseline, goal.target, GoalStatus(goal.status)))
    return found


def _assistants(plans: dict[uuid.UUID, PlanOfCare]) -> dict[uuid.UUID, uuid.UUID]:
    """The OTA who has been treating each episode, from the notes they wrote."""
    rows = (
        TreatmentNote.objects.filter(episode_id__in=list(plans), author__user__role=Role.OTA)
        .order_by("date_of_service")
        .values_list("episode_id", "author_id")
    )
    return dict(rows)


def _calendars(
    plans: dict[uuid.UUID, PlanOfCare], members: dict[uuid.UUID, Member]
) -> dict[uuid.UUID, list[PlannedVisit]]:
    """Each episode's appointments so far: their count sets when a goal is measured next."""
    calendars: dict[uuid.UUID, list[PlannedVisit]] = defaultdict(list)
    rows = (
        Appointment.objects.filter(episode_id__in=list(plans))
        .filter(~Q(clinician_id=None))
        .order_by("starts_at")
        .values_list("episode_id", "starts_at", "kind", "status", "clinician_id")
    )
    for episode_id, starts_at, kind, status, clinician_id in rows:
        day = timezone.localtime(starts_at).date()
        calendars[episode_id].append(
            PlannedVisit(
                day, AppointmentKind(kind), members[clinician_id], AppointmentStatus(status)
            )
        )
    return calendars
