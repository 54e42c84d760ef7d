"""The practice itself: organization, clinics and rooms, staff, payers, referring physicians."""

import datetime as dt
import math
import random
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from itertools import count

from otclinic.clinic.accounts.models import User
from otclinic.clinic.demo import catalog
from otclinic.clinic.demo.context import Context
from otclinic.clinic.organizations.models import Clinic, Organization
from otclinic.clinic.payers.models import Payer
from otclinic.clinic.referrals.models import ReferringPhysician
from otclinic.clinic.revenue.models import FeeSchedule, FeeScheduleEntry
from otclinic.clinic.scheduling.models import Room
from otclinic.clinic.staff.models import NbcotCredential, StaffProfile, StateLicense
from otclinic.domain.codes import Discipline, Role
from otclinic.domain.identifiers import npi_with_check_digit

DISCIPLINE_OF = {Role.OT: Discipline.OT, Role.PT: Discipline.PT, Role.SLP: Discipline.SLP}
TREATMENT = "Treatment "  # the name of the numbered rooms added for the clinicians
LICENSE_PREFIX = {Role.OT: "OT", Role.OTA: "OTA", Role.PT: "PT", Role.SLP: "SLP"}


@dataclass
class Member:
    """A member of staff as the rest of the seed needs them."""

    profile_id: uuid.UUID
    user_id: uuid.UUID
    role: Role
    credentials: str
    clinic_ids: list[uuid.UUID]
    supervisor: "Member | None" = None
    supervisees: list["Member"] = field(default_factory=list)


@dataclass
class Practice:
    clinic_ids: list[uuid.UUID]
    clinic_shares: list[float]
    rooms: dict[uuid.UUID, list[uuid.UUID]]  # the named rooms first, then the numbered ones
    staff: list[Member]
    payers: dict[str, uuid.UUID]
    physicians: dict[str, list[uuid.UUID]]  # by specialty
    by_username: dict[str, Member] = field(default_factory=dict)
    named_rooms: dict[uuid.UUID, int] = field(default_factory=dict)  # how many, by clinic

    def preferred_room(self, rng: random.Random, clinic_id: uuid.UUID) -> uuid.UUID:
        """The room a visit asks for: one of the location's named rooms, so that the number of
        numbered treatment rooms changes no other draw of the seed (they take the visits that
        find their preferred room taken; see `Book.room_for`)."""
        return rng.choice(self.rooms[clinic_id][: self.named_rooms.get(clinic_id) or None])

    def clinicians(self, role: Role, clinic_id: uuid.UUID | None = None) -> list[Member]:
        return [
            m
            for m in self.staff
            if m.role == role and (clinic_id is None or clinic_id in m.clinic_ids)
        ]

    def member(self, username: str) -> Member:
        return self.by_username[username]


def build_practice(ctx: Context, *, password_hash: str) -> Practice:
    _organization(ctx)
    clinic_ids, rooms = _clinics(ctx)
    practice = Practice(
        clinic_ids=clinic_ids,
        clinic_shares=[c.share for c in catalog.CLINICS],
        rooms=rooms,
        staff=[],
        payers=_payers(ctx),
        physicians=_physicians(ctx),
        named_rooms={clinic_id: len(rooms[clinic_id]) for clinic_id in clinic_ids},
    )
    _staff(ctx, practice, password_hash=password_hash)
    _treatment_rooms(ctx, practice)
    _fee_schedules(ctx)
    return practice


def _fee_schedules(ctx: Context) -> None:
    """A default schedule for this year and last, so that visits near 1 January are priced too."""
    for year in (ctx.today.year - 1, ctx.today.year):
        schedule = FeeSchedule(
            id=ctx.new_id(), organization_id=ctx.organization_id, year=year, name=f"Standard {year}"
        )
        ctx.rows.add(schedule)
        for code, (charge, allowed, practice_expense) in sorted(catalog.FEES.items()):
            ctx.rows.add(
                FeeScheduleEntry(
                    id=ctx.new_id(),
                    organization_id=ctx.organization_id,
                    schedule_id=schedule.id,
                    code=code,
                    charge_amount=Decimal(charge),
                    expected_allowed=Decimal(allowed),
                    practice_expense=Decimal(practice_expense),
                )
            )


def _organization(ctx: Context) -> None:
    main = catalog.CLINICS[0]
    ctx.rows.add(
        Organization(
            id=ctx.organization_id,
            name=catalog.ORG_NAME,
            slug=catalog.ORG_SLUG,
            tax_id=f"{ctx.rng.randrange(10**9):09d}",
            npi=npi_with_check_digit(f"2{ctx.rng.randrange(10**8):08d}"),
            billing_address=main.address,
            billing_city=main.city,
            billing_state=catalog.STATE,
            billing_zip=main.zip_code,
            phone=main.phone,
            # The demo's printed logins sign in with the password alone; a clinic admin turns the
            # second factor on at Sign-in policy (`otclinic demo logins` says how).
            second_factor_roles=[],
        )
    )


def _clinics(ctx: Context) -> tuple[list[uuid.UUID], dict[uuid.UUID, list[uuid.UUID]]]:
    clinic_ids: list[uuid.UUID] = []
    rooms: dict[uuid.UUID, list[uuid.UUID]] = {}
    for spec in catalog.CLINICS:
        clinic = Clinic(
            id=ctx.new_id(),
            organization_id=ctx.organization_id,
            name=spec.name,
            address=spec.address,
            city=spec.city,
            state=catalog.STATE,
            zip_code=spec.zip_code,
            phone=spec.phone,
            npi=npi_with_check_digit(f"2{ctx.rng.randrange(10**8):08d}"),
        )
        ctx.rows.add(clinic)
        clinic_ids.append(clinic.id)
        rooms[clinic.id] = [_room(ctx, clinic.id, name).id for name in spec.rooms]
    return clinic_ids, rooms


def _room(ctx: Context, clinic_id: uuid.UUID, name: str) -> Room:
    room = Room(
        id=ctx.new_id(), organization_id=ctx.organization_id, clinic_id=clinic_id, name=name
    )
    ctx.rows.add(room)
    return room


def clinicians_at_once(practice: Practice, clinic_id: uuid.UUID) -> Fraction:
    """How many clinicians work at the location at one time: one who covers several locations
    counts at each for an equal share of the day."""
    return sum(
        (
            Fraction(1, len(m.clinic_ids))
            for m in practice.staff
            if m.role in catalog.CREDENTIALS and clinic_id in m.clinic_ids
        ),
        Fraction(0),
    )


def rooms_needed(clinicians: Fraction) -> int:
    """The rooms a location needs for `clinicians` working there at once."""
    return math.ceil(clinicians / catalog.CLINICIANS_PER_ROOM)


def _treatment_rooms(ctx: Context, practice: Practice) -> None:
    """Numbered treatment rooms after a location's named ones, until it has the rooms its
    clinicians need (none when the named rooms are enough)."""
    for clinic_id, spec in zip(practice.clinic_ids, catalog.CLINICS, strict=True):
        rooms = practice.rooms[clinic_id]
        numbers = count(1 + sum(name.startswith(TREATMENT) for name in spec.rooms))
        needed = rooms_needed(clinicians_at_once(practice, clinic_id))
        while len(rooms) < needed:
            rooms.append(_room(ctx, clinic_id, f"{TREATMENT}{next(numbers)}").id)


def _payers(ctx: Context) -> dict[str, uuid.UUID]:
    ids = {}
    for spec in catalog.PAYERS:
        payer = Payer(
            id=ctx.new_id(),
            organization_id=ctx.organization_id,
            name=spec.name,
            payer_id=spec.payer_id,
            plan_kind=spec.plan_kind,
            unit_method=spec.unit_method,
            assistant_modifier_policy=spec.assistant_policy,
            claim_filing_indicator=spec.filing_indicator,
            timely_filing_days=365 if spec.plan_kind.startswith("medicare") else 180,
        )
        ctx.rows.add(payer)
        ids[spec.key] = payer.id
    return ids


PRACTICES = {
    "neuro": ("Ohio Valley Neurology", ("MD", "DO", "NP")),
    "ortho": ("Scioto Orthopedics", ("MD", "DO", "PA")),
    "hand": ("Capital Hand and Upper Extremity", ("MD",)),
    "family": ("Olentangy Family Medicine", ("MD", "DO", "NP")),
    "peds": ("Little Oaks Pediatrics", ("MD", "NP")),
}


def _physicians(ctx: Context) -> dict[str, list[uuid.UUID]]:
    by_specialty: dict[str, list[uuid.UUID]] = {key: [] for key in PRACTICES}
    keys = list(PRACTICES)
    for i in range(catalog.PHYSICIANS_PER_SCALE * ctx.scale):
        specialty = keys[i % len(keys)]
        practice_name, credentials = PRACTICES[specialty]
        physician = ReferringPhysician(
            id=ctx.new_id(),
            organization_id=ctx.organization_id,
            first_name=ctx.fake.first_name(),
            last_name=ctx.fake.last_name(),
            credentials=ctx.rng.choice(credentials),
            npi=ctx.npi(),
            practice_name=practice_name,
            phone=ctx.phone(),
            fax=ctx.phone(),
        )
        ctx.rows.add(physician)
        by_specialty[specialty].append(physician.id)
    return by_specialty


def _roster(scale: int) -> list[tuple[Role, str]]:
    """Every member of staff as (role, username); the first of each role is its demo login."""
    demo = {login.role: login.username for login in catalog.DEMO_LOGINS}
    roster = []
    counts = {role: n * scale for role, n in catalog.CLINICIANS_PER_SCALE.items()}
    for role, n in [*counts.items(), *catalog.BACK_OFFICE.items()]:
        short = demo[role].split(".")[0]
        roster += [(role, demo[role] if i == 0 else f"{short}{i + 1}.demo") for i in range(n)]
    return roster


def _staff(ctx: Context, practice: Practice, *, password_hash: str) -> None:
    clinic_ids = practice.clinic_ids
    for role, username in _roster(ctx.scale):
        same_role = [m for m in practice.staff if m.role == role]
        # Most clinicians work at one clinic, in proportion to its share; PT, SLP and the back
        # office cover both.
        if role in {Role.OT, Role.OTA}:
            home = (
                clinic_ids[0] if _in_first_share(len(same_role), ctx.scale, role) else clinic_ids[1]
            )
            clinics = [home]
        elif role == Role.FRONT_DESK:
            clinics = [clinic_ids[len(same_role) % len(clinic_ids)]]
        else:
            clinics = list(clinic_ids)
        member = _member(
            ctx, role=role, username=username, clinics=clinics, password_hash=password_hash
        )
        practice.staff.append(member)
        practice.by_username[username] = member
    _assign_supervisors(practice)
    for member in practice.staff:
        _profile(ctx, member, practice)


def _in_first_share(index: int, scale: int, role: Role) -> bool:
    total = catalog.CLINICIANS_PER_SCALE[role] * scale
    return index < round(total * catalog.CLINICS[0].share)


def _member(
    ctx: Context, *, role: Role, username: str, clinics: list[uuid.UUID], password_hash: str
) -> Member:
    female = ctx.rng.random() < 0.75
    first = ctx.fake.first_name_female() if female else ctx.fake.first_name_male()
    last = ctx.fake.last_name()
    user = User(
        id=ctx.new_id(),
        username=username,
        password=password_hash,
        first_name=first,
        last_name=last,
        email=f"{username}@{catalog.EMAIL_DOMAIN}",
        organization_id=ctx.organization_id,
        role=role,
        is_staff=role == Role.CLINIC_ADMIN,
    )
    ctx.rows.add(user)
    credentials = catalog.CREDENTIALS.get(role, "OTS" if role == Role.STUDENT else "")
    return Member(ctx.new_id(), user.id, role, credentials, clinics)


def _assign_supervisors(practice: Practice) -> None:
    """Each OTA (and the student) is supervised by an OT of the same clinic."""
    for clinic_id in practice.clinic_ids:
        ots = practice.clinicians(Role.OT, clinic_id)
        for i, ota in enumerate(practice.clinicians(Role.OTA, clinic_id)):
            ota.supervisor = ots[i % len(ots)]
            ota.supervisor.supervisees.append(ota)
    for student in practice.clinicians(Role.STUDENT):
        student.supervisor = practice.clinicians(Role.OT)[0]


def _profile(ctx: Context, member: Member, practice: Practice) -> None:
    clinician = member.role in catalog.CREDENTIALS
    started = ctx.today - dt.timedelta(days=ctx.rng.randint(400, 9000))
    if member.role == Role.OTA and member is practice.clinicians(Role.OTA)[-1]:
        started = ctx.today - dt.timedelta(days=200)  # a first-year assistant
    nbcot = {Role.OT: NbcotCredential.OTR, Role.OTA: NbcotCredential.COTA}.get(member.role, "")
    profile = StaffProfile(
        id=member.profile_id,
        organization_id=ctx.organization_id,
        user_id=member.user_id,
        npi=ctx.npi() if clinician else "",
        credentials=member.credentials,
        nbcot_credential=nbcot,
        nbcot_number=f"{ctx.rng.randrange(10**6):06d}" if nbcot else "",
        # NBCOT renews every three years; a few lapse within the next two months.
        nbcot_expires_on=ctx.today + dt.timedelta(days=ctx.rng.randint(20, 1095))
        if nbcot
        else None,
        practice_started_on=started if clinician else None,
        supervising_ot_id=member.supervisor.profile_id if member.supervisor else None,
    )
    ctx.rows.add(profile)
    for clinic_id in member.clinic_ids:
        ctx.rows.add(StaffProfile.clinics.through(staffprofile_id=profile.id, clinic_id=clinic_id))
    if clinician:
        _license(ctx, member, started)


def _license(ctx: Context, member: Member, started: dt.date) -> None:
    # The demo's licenses all expire on a June 30 within the next two years.
    year = ctx.today.year + ctx.rng.choice([0, 1]) + (1 if ctx.today.month > 6 else 0)
    ctx.rows.add(
        StateLicense(
            id=ctx.new_id(),
            organization_id=ctx.organization_id,
            staff_id=member.profile_id,
            state=catalog.STATE,
            number=f"{LICENSE_PREFIX[member.role]}.{ctx.rng.randrange(10**6):06d}",
            issued_on=started,
            expires_on=dt.date(year, 6, 30),
        )
    )
