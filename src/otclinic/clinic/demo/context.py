"""What every part of the demo seed shares: the random sources, the clock, and the row buffer."""

import datetime as dt
import random
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import cast

from django.db.models import Model
from faker import Faker

from otclinic.clinic.accounts.models import User
from otclinic.clinic.care.models import (
    AssessmentScore,
    DischargeSummary,
    Episode,
    EpisodeDocument,
    Evaluation,
    Goal,
    GoalAssessment,
    GoalProgress,
    NoteLine,
    PlanDiagnosis,
    PlannedIntervention,
    PlanOfCare,
    ProgressReport,
    Signature,
    TreatmentNote,
)
from otclinic.clinic.care.signature_check import signatures_hash_documents
from otclinic.clinic.demo.book import Book
from otclinic.clinic.organizations.models import Clinic, Organization
from otclinic.clinic.patients.models import (
    Consent,
    MrnPattern,
    Patient,
    PatientContact,
    PatientDiagnosis,
    PortalAccess,
)
from otclinic.clinic.payers.models import Coverage, Payer
from otclinic.clinic.referrals.models import Referral, ReferringPhysician
from otclinic.clinic.revenue.models import FeeSchedule, FeeScheduleEntry
from otclinic.clinic.scheduling.models import Appointment, Room, Visit
from otclinic.clinic.staff.models import StaffProfile, StateLicense
from otclinic.domain.identifiers import npi_with_check_digit

# Parents before children, so that each flush inserts rows whose references already exist
# (both databases defer foreign-key checks to commit, but a readable order costs nothing).
INSERT_ORDER: tuple[type[Model], ...] = (
    Organization,
    Clinic,
    Room,
    User,
    StaffProfile,
    StaffProfile.clinics.through,
    StateLicense,
    Payer,
    FeeSchedule,
    FeeScheduleEntry,
    ReferringPhysician,
    Patient,
    MrnPattern,
    PatientContact,
    Consent,
    PatientDiagnosis,
    Coverage,
    PortalAccess,
    Referral,
    Episode,
    Evaluation,
    PlanOfCare,
    PlanDiagnosis,
    Goal,
    PlannedIntervention,
    AssessmentScore,
    Appointment,
    Visit,
    TreatmentNote,
    NoteLine,
    GoalProgress,
    ProgressReport,
    DischargeSummary,
    GoalAssessment,
    Signature,
    EpisodeDocument,
)


class Rows:
    """Rows waiting to be inserted, written with bulk_create whenever enough have gathered.

    bulk_create sends no signals, so the per-row audit entries are skipped; the seed writes one
    audit entry for the whole operation instead. Signatures wait for the last flush, when every
    document and its parts are stored: each is then hashed over its document as stored, as
    signing does, so `otclinic audit verify` finds every signature matching.
    """

    def __init__(self, *, flush_at: int = 20_000) -> None:
        self._pending: dict[type[Model], list[Model]] = defaultdict(list)
        self._size = 0
        self._flush_at = flush_at
        self.inserted: Counter[str] = Counter()

    def add(self, obj: Model) -> Model:
        self._pending[type(obj)].append(obj)
        self._size += 1
        if self._size >= self._flush_at:
            self.flush(signatures=False)
        return obj

    def flush(self, *, signatures: bool = True) -> None:
        unknown = set(self._pending) - set(INSERT_ORDER)
        if unknown:
            raise TypeError(f"no insert order for {sorted(m.__name__ for m in unknown)}")
        for model in INSERT_ORDER:
            if model is Signature and not signatures:
                continue
            objs = self._pending.pop(model, None)
            if objs:
                if model is Signature:
                    signatures_hash_documents(cast(list[Signature], objs))
                model._default_manager.bulk_create(objs)
                self.inserted[model._meta.label] += len(objs)
        self._size = len(self._pending.get(Signature, []))

    @property
    def total(self) -> int:
        return sum(self.inserted.values())


@dataclass
class Context:
    """The seed's shared state: deterministic random sources, today's date and the buffer."""

    scale: int
    random_seed: int
    today: dt.date
    now: dt.datetime
    tz: dt.tzinfo
    organization_id: uuid.UUID = field(init=False)
    rng: random.Random = field(init=False)
    fake: Faker = field(init=False)
    rows: Rows = field(default_factory=Rows)
    book: Book = field(default_factory=Book)
    _id_rng: random.Random = field(init=False)
    _id_counter: int = field(init=False)
    _npis: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.random_seed)
        # Ids come from their own stream, so adding a column of data does not reshuffle them.
        self._id_rng = random.Random(f"{self.random_seed}:ids")
        # The counter starts at a random point, so that ids from different seeds do not meet.
        self._id_counter = self._id_rng.getrandbits(40) << 7
        self.fake = Faker("en_US")
        self.fake.seed_instance(self.random_seed)
        self.organization_id = self.new_id()

    def new_id(self) -> uuid.UUID:
        """A UUID laid out like a UUIDv7, with a counter where v7 has the clock.

        Ids that grow in the order rows are written are appended at the end of each primary
        key index instead of landing on a random page: at 100,000 visits this keeps the seed's
        cost linear on both databases. The 74 bits after the counter are random.
        """
        self._id_counter += 1
        rand = self._id_rng.getrandbits(74)
        value = (self._id_counter << 80) | (7 << 76) | ((rand >> 62) << 64)
        return uuid.UUID(int=value | (0b10 << 62) | (rand & (2**62 - 1)))

    def at(self, day: dt.date, minutes: int) -> dt.datetime:
        """A moment on `day`, `minutes` after local midnight, in the practice's time zone."""
        return dt.datetime.combine(day, dt.time.min, tzinfo=self.tz) + dt.timedelta(minutes=minutes)

    def npi(self) -> str:
        """A fresh synthetic individual NPI with a correct check digit."""
        while True:
            npi = npi_with_check_digit(f"1{self.rng.randrange(10**8):08d}")
            if npi not in self._npis:
                self._npis.add(npi)
                return npi

    def phone(self) -> str:
        """A phone number in the 555-01xx range, which is reserved for fiction."""
        return f"614-555-01{self.rng.randrange(100):02d}"
