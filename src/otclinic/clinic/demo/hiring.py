"""The demo clinic's hiring: one open OTA posting with four synthetic applicants.

The applicants stand at different stages so that every part of the pipeline has something to
show: one just applied, one screened with the NBCOT certification verified, one interviewed
with the checklist complete (ready for an offer), and one offered with the background check
done (ready to hire). Names are fixed and fictional, emails are @example.org, phones are in
the 555-01xx range reserved for fiction, and every NBCOT and license number starts with DEMO-.

Rows are written with bulk_create (no per-row audit entries: the seed records one entry for
the whole operation). Running it again adds nothing once the posting exists.
"""

import datetime as dt
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Model
from django.utils import timezone

from otclinic.clinic.accounts.models import User
from otclinic.clinic.hiring.models import (
    Applicant,
    ClaimedLicense,
    JobPosting,
    LicenseLookup,
    NbcotVerification,
    OnboardingItem,
    ReferenceCheck,
    StageMove,
)
from otclinic.clinic.organizations.models import Clinic
from otclinic.domain.codes import Role
from otclinic.domain.hiring.pipeline import PIPELINE_ORDER, Stage
from otclinic.domain.hiring.policy import default_onboarding

INSERT_ORDER: tuple[type[Model], ...] = (
    JobPosting,
    Applicant,
    StageMove,
    ClaimedLicense,
    LicenseLookup,
    NbcotVerification,
    ReferenceCheck,
    OnboardingItem,
)
TITLE = "Occupational therapy assistant (COTA/L), full time"


@dataclass(frozen=True)
class DemoApplicant:
    first: str
    last: str
    stage: Stage
    phone: str


APPLICANTS = (
    DemoApplicant("Jordan", "Whitfield", Stage.APPLIED, "614-555-0141"),
    DemoApplicant("Casey", "Marlowe", Stage.SCREENED, "614-555-0142"),
    DemoApplicant("Morgan", "Ashby", Stage.INTERVIEWED, "614-555-0143"),
    DemoApplicant("Riley", "Dunmore", Stage.OFFERED, "614-555-0144"),
)


def add_hiring(organization_id: uuid.UUID, today: dt.date) -> int:
    """The posting and its applicants, unless the posting exists; the number of rows added."""
    if JobPosting.objects.filter(organization_id=organization_id, title=TITLE).exists():
        return 0
    clinic = Clinic.objects.filter(organization_id=organization_id).order_by("name").first()
    admin = (
        User.objects.filter(organization_id=organization_id, role=Role.CLINIC_ADMIN)
        .order_by("username")
        .first()
    )
    if clinic is None or admin is None:
        return 0
    rows = list(_rows(organization_id, clinic, admin, today))
    for model in INSERT_ORDER:
        model._default_manager.bulk_create([r for r in rows if type(r) is model])
    return len(rows)


def _rows(org: uuid.UUID, clinic: Clinic, admin: User, today: dt.date) -> Iterator[Model]:
    posted = today - dt.timedelta(days=21)
    posting = JobPosting(
        id=uuid.uuid4(),
        organization_id=org,
        clinic=clinic,
        title=TITLE,
        role=Role.OTA,
        employment_type="full_time",
        description="Outpatient adult caseload (hand, neuro, ADL retraining), supervised by OTs.",
        posted_on=posted,
        closes_on=today + dt.timedelta(days=30),
    )
    yield posting
    for index, person in enumerate(APPLICANTS, start=1):
        yield from _applicant(posting, index, person, admin, today)


def _applicant(
    posting: JobPosting, index: int, person: DemoApplicant, admin: User, today: dt.date
) -> Iterator[Model]:
    org = posting.organization_id
    stages = PIPELINE_ORDER[: PIPELINE_ORDER.index(person.stage) + 1]
    moved = [
        timezone.now() - dt.timedelta(days=18 - 4 * step - index) for step in range(len(stages))
    ]
    applicant = Applicant(
        id=uuid.uuid4(),
        organization_id=org,
        posting=posting,
        first_name=person.first,
        last_name=person.last,
        email=f"{person.first}.{person.last}@example.org".lower(),
        phone=person.phone,
        nbcot_credential="COTA",
        nbcot_number=f"DEMO-COTA-{index:04d}",
        stage=person.stage,
        stage_changed_at=moved[-1],
        stage_changed_by=admin,
    )
    yield applicant
    previous = ""
    for stage, at in zip(stages, moved, strict=True):
        yield StageMove(
            organization_id=org,
            applicant=applicant,
            from_stage=previous,
            to_stage=stage,
            moved_at=at,
            moved_by=admin,
        )
        previous = stage
    claimed = ClaimedLicense(
        id=uuid.uuid4(),
        organization_id=org,
        applicant=applicant,
        state=posting.clinic.state,
        number=f"DEMO-{posting.clinic.state}-OTA-{index:04d}",
    )
    yield claimed
    yield from _checks(applicant, claimed, person.stage, admin, today)


def _checks(
    applicant: Applicant, claimed: ClaimedLicense, stage: Stage, admin: User, today: dt.date
) -> Iterator[Model]:
    org, expires = applicant.organization_id, dt.date(today.year + 1, 12, 31)
    if stage != Stage.APPLIED:
        yield NbcotVerification(
            organization_id=org,
            applicant=applicant,
            number=applicant.nbcot_number,
            method="online",
            result="active",
            expires_on=expires,
            verified_on=today - dt.timedelta(days=10),
            verified_by=admin,
        )
    if stage in {Stage.INTERVIEWED, Stage.OFFERED}:
        yield LicenseLookup(
            organization_id=org,
            license=claimed,
            result="active",
            expires_on=dt.date(today.year + 1, 6, 30),
            source="State OT board online license lookup",
            looked_up_on=today - dt.timedelta(days=7),
            looked_up_by=admin,
        )
        for n, name in enumerate(("Former supervising OT", "Fieldwork educator")):
            yield ReferenceCheck(
                organization_id=org,
                applicant=applicant,
                name=name,
                contact=f"614-555-01{50 + n}",
                result="favourable",
                notes="Synthetic demo reference.",
                checked_on=today - dt.timedelta(days=5),
                checked_by=admin,
            )
    for position, item in enumerate(default_onboarding(today), start=1):
        done = stage == Stage.OFFERED and item.before_hire
        yield OnboardingItem(
            organization_id=org,
            applicant=applicant,
            label=item.label,
            before_hire=item.before_hire,
            position=position,
            done_at=timezone.now() - dt.timedelta(days=1) if done else None,
            done_by=admin if done else None,
        )
