"""The demo portal: a patient login, a caregiver login resting on a sharing consent, and what
they see: a shared home program (and a caregiver handout), and visits booked ahead.

Runs only when the demo clinic is first written (seed.py), so a second run adds nothing.
"""

import datetime as dt
import hashlib
import uuid
from itertools import count

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from otclinic.clinic.accounts.models import User
from otclinic.clinic.care.models import DocumentKind, EpisodeDocument
from otclinic.clinic.care.pdf import home_program_pdf
from otclinic.clinic.demo.care import EpisodeState
from otclinic.clinic.demo.context import Context
from otclinic.clinic.demo.patients import PatientRecord
from otclinic.clinic.demo.practice import Practice
from otclinic.clinic.demo.visits import VISIT_MINUTES
from otclinic.clinic.patients.models import Consent, ConsentKind, PortalAccess, PortalScope
from otclinic.clinic.scheduling.models import Appointment, AppointmentKind, AppointmentStatus
from otclinic.domain.care.home_program import (
    Activity,
    Audience,
    HomeProgramFacts,
    build_home_program,
)
from otclinic.domain.codes import Role

UPCOMING_VISITS = 3
LATE_SLOT = 17 * 60 + 15  # after the day's book, so a booked visit never clashes with it


def add_portal(
    ctx: Context,
    practice: Practice,
    featured: dict[int, PatientRecord],
    open_episodes: list[EpisodeState],
    password_hash: str,
) -> None:
    """patient.demo sees their own record; caregiver.demo the stroke patient's, by consent."""
    patient = featured[0]
    user = _portal_user(
        ctx, "patient.demo", Role.PATIENT, patient.first_name, patient.last_name, password_hash
    )
    _access(ctx, user, patient, granted_on=ctx.today - dt.timedelta(days=14))
    cared_for = featured[1]
    if cared_for.caregiver is None:
        raise RuntimeError("the featured stroke patient must have a caregiver contact")
    contact_id, name = cared_for.caregiver
    first, _, last = name.partition(" ")
    signed_on = ctx.today - dt.timedelta(days=20)
    consent = Consent(
        id=ctx.new_id(),
        organization_id=ctx.organization_id,
        patient_id=cared_for.patient_id,
        kind=ConsentKind.PORTAL_SHARING,
        contact_id=contact_id,
        signed_on=signed_on,
        expires_on=ctx.today + dt.timedelta(days=180),
        scopes=list(PortalScope.values),
    )
    ctx.rows.add(consent)
    user = _portal_user(ctx, "caregiver.demo", Role.CAREGIVER, first, last, password_hash)
    _access(
        ctx, user, cared_for, granted_on=signed_on, contact_id=contact_id, consent_id=consent.id
    )
    for state in open_episodes:
        if state.featured:
            _home_program(ctx, state, Audience.PATIENT)
            if state.record.caregiver is not None:
                _home_program(ctx, state, Audience.CAREGIVER)
            _upcoming(ctx, practice, state)


def _portal_user(
    ctx: Context, username: str, role: Role, first: str, last: str, password_hash: str
) -> uuid.UUID:
    user = User(
        id=ctx.new_id(),
        username=username,
        password=password_hash,
        first_name=first,
        last_name=last,
        email=f"{username}@example.org",
        organization_id=ctx.organization_id,
        role=role,
    )
    ctx.rows.add(user)
    return user.id


def _access(
    ctx: Context,
    user_id: uuid.UUID,
    record: PatientRecord,
    *,
    granted_on: dt.date,
    contact_id: uuid.UUID | None = None,
    consent_id: uuid.UUID | None = None,
) -> None:
    ctx.rows.add(
        PortalAccess(
            id=ctx.new_id(),
            organization_id=ctx.organization_id,
            user_id=user_id,
            patient_id=record.patient_id,
            contact_id=contact_id,
            consent_id=consent_id,
            granted_on=granted_on,
        )
    )


def _home_program(ctx: Context, state: EpisodeState, audience: Audience) -> None:
    """The plain-language program built from the plan's interventions, shared in the portal."""
    facts = HomeProgramFacts(
        audience=audience,
        frequency_per_week=state.plan.frequency,
        activities=tuple(Activity(i.category, i.description) for i in state.interventions),
    )
    program = build_home_program(facts)
    record = state.record
    content = home_program_pdf(
        program,
        patient=f"{record.first_name} {record.last_name}",
        clinic="Demo clinic",
        therapist=state.plan.therapist.credentials or "Occupational therapist",
        written_on=ctx.today,
    )
    digest = hashlib.sha256(content).hexdigest()
    kind = (
        DocumentKind.CAREGIVER_HANDOUT
        if audience is Audience.CAREGIVER
        else DocumentKind.HOME_PROGRAM
    )
    name = default_storage.save(f"episodes/demo/{kind}-{digest[:12]}.pdf", ContentFile(content))
    ctx.rows.add(
        EpisodeDocument(
            id=ctx.new_id(),
            organization_id=ctx.organization_id,
            episode_id=state.episode_id,
            kind=kind,
            title=f"{program.title} ({ctx.today})",
            file=name,
            sha256=digest,
            created_by_id=state.plan.therapist.user_id,
            shared_with_portal=True,
        )
    )


def _upcoming(ctx: Context, practice: Practice, state: EpisodeState) -> None:
    """The next visits, late on each of the next working days."""
    day, booked = ctx.today, 0
    clinician = state.plan.assistant or state.plan.therapist
    while booked < UPCOMING_VISITS:
        day += dt.timedelta(days=1)
        if day.weekday() >= 5:
            continue
        start = ctx.book.first_free(
            (ctx.at(day, LATE_SLOT + n * VISIT_MINUTES) for n in count()),
            minutes=VISIT_MINUTES,
            clinician=clinician.profile_id,
            patient=state.record.patient_id,
        )
        end = start + dt.timedelta(minutes=VISIT_MINUTES)
        rooms = practice.rooms[state.record.clinic_id]
        room_id = ctx.book.place(
            rooms=rooms,
            preferred=rooms[0],
            start=start,
            end=end,
            clinician=clinician.profile_id,
            patient=state.record.patient_id,
        )
        ctx.rows.add(
            Appointment(
                id=ctx.new_id(),
                organization_id=ctx.organization_id,
                patient_id=state.record.patient_id,
                clinician_id=clinician.profile_id,
                clinic_id=state.record.clinic_id,
                room_id=room_id,
                episode_id=state.episode_id,
                kind=AppointmentKind.TREATMENT,
                status=AppointmentStatus.SCHEDULED,
                starts_at=start,
                ends_at=end,
            )
        )
        booked += 1
