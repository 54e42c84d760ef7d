"""Synthetic patients: demographics, contacts and caregivers, consents, diagnoses, coverage."""

import datetime as dt
import string
import uuid
from dataclasses import dataclass, field

from otclinic.clinic.demo import catalog, conditions
from otclinic.clinic.demo.context import Context
from otclinic.clinic.demo.practice import Practice
from otclinic.clinic.patients.models import (
    Consent,
    ConsentKind,
    MrnPattern,
    Patient,
    PatientContact,
    PatientDiagnosis,
    Relationship,
    Sex,
)
from otclinic.clinic.payers.models import Coverage
from otclinic.domain.codes import CoveragePriority

# Medicare Beneficiary Identifiers leave out letters that look like digits (CMS MBI format).
_MBI_LETTERS = "".join(c for c in string.ascii_uppercase if c not in "SLOIBZ")


@dataclass
class PatientRecord:
    """What the episodes of one patient need to know about them."""

    patient_id: uuid.UUID
    clinic_id: uuid.UUID
    condition: conditions.Condition
    age: int
    first_name: str
    last_name: str
    primary_code: str
    diagnoses: dict[str, uuid.UUID] = field(default_factory=dict)
    coverage_id: uuid.UUID | None = None
    caregiver: tuple[uuid.UUID, str] | None = None  # contact id and name
    caregiver_consent: bool = False


def describe(code: str) -> str:
    """The code set's description of a demo diagnosis code."""
    return conditions.DIAGNOSES[code][:255]


def pick_condition(ctx: Context) -> conditions.Condition:
    return ctx.rng.choices(
        conditions.CONDITIONS, weights=[c.weight for c in conditions.CONDITIONS]
    )[0]


def add_patient(
    ctx: Context,
    practice: Practice,
    *,
    index: int,
    condition: conditions.Condition,
    age: int,
    clinic_id: uuid.UUID,
    active: bool,
    first_seen: dt.date,
) -> PatientRecord:
    rng, fake = ctx.rng, ctx.fake
    sex = rng.choice([Sex.FEMALE, Sex.MALE])
    first = fake.first_name_female() if sex == Sex.FEMALE else fake.first_name_male()
    last = fake.last_name()
    town, zip_code = rng.choice(catalog.TOWNS)
    patient = Patient(
        id=ctx.new_id(),
        organization_id=ctx.organization_id,
        mrn=f"RB{index + 1:06d}",
        first_name=first,
        last_name=last,
        birth_date=ctx.today - dt.timedelta(days=age * 365 + rng.randint(0, 364)),
        sex=sex,
        phone=ctx.phone(),
        email=f"{first}.{last}{index}@example.org".lower().replace("'", ""),
        address=fake.street_address(),
        city=town,
        state=catalog.STATE,
        zip_code=zip_code,
        home_clinic_id=clinic_id,
        active=active,
    )
    ctx.rows.add(patient)
    record = PatientRecord(
        patient.id, clinic_id, condition, age, first, last, rng.choice(condition.primary_codes)
    )
    _contacts(ctx, record)
    _consents(ctx, record, first_seen)
    _diagnoses(ctx, record, first_seen)
    _coverage(ctx, practice, record, first_seen)
    return record


def add_mrn_pattern(ctx: Context, *, patients: int) -> None:
    """The practice's MRN setting: charts the desk adds go on from the seeded ones (RB000001...)."""
    ctx.rows.add(
        MrnPattern(
            id=ctx.new_id(),
            organization_id=ctx.organization_id,
            prefix="RB",
            digits=6,
            next_number=patients + 1,
        )
    )


def _contacts(ctx: Context, record: PatientRecord) -> None:
    rng = ctx.rng
    if record.age < 18:
        relationships = [Relationship.PARENT] + (
            [Relationship.PARENT] if rng.random() < 0.5 else []
        )
    elif record.age >= 65:
        relationships = [rng.choice([Relationship.SPOUSE, Relationship.CHILD])]
    else:
        relationships = [
            rng.choice([Relationship.SPOUSE, Relationship.SIBLING, Relationship.FRIEND])
        ]
    needs_care = record.age < 18 or record.condition.caregiver_training or record.age >= 80
    for i, relationship in enumerate(relationships):
        family = relationship in {Relationship.PARENT, Relationship.SPOUSE, Relationship.CHILD}
        last = record.last_name if family and rng.random() < 0.8 else ctx.fake.last_name()
        name = f"{ctx.fake.first_name()} {last}"
        contact = PatientContact(
            id=ctx.new_id(),
            organization_id=ctx.organization_id,
            patient_id=record.patient_id,
            name=name,
            relationship=relationship,
            phone=ctx.phone(),
            email=f"{name.replace(' ', '.').lower()}@example.net".replace("'", ""),
            is_caregiver=needs_care and i == 0,
            is_emergency_contact=i == 0,
        )
        ctx.rows.add(contact)
        if contact.is_caregiver:
            record.caregiver = (contact.id, name)


def _consents(ctx: Context, record: PatientRecord, first_seen: dt.date) -> None:
    kinds = [ConsentKind.TREATMENT, ConsentKind.PRIVACY_NOTICE]
    if record.caregiver and record.condition.caregiver_training:
        kinds.append(ConsentKind.CAREGIVER_TRAINING)
        record.caregiver_consent = True
    if ctx.rng.random() < 0.1:
        kinds.append(ConsentKind.TELEHEALTH)
    for kind in kinds:
        add_consent(ctx, record, kind=kind, signed_on=first_seen)


def add_consent(
    ctx: Context, record: PatientRecord, *, kind: ConsentKind, signed_on: dt.date
) -> uuid.UUID:
    names_contact = kind in {ConsentKind.CAREGIVER_TRAINING, ConsentKind.PORTAL_SHARING}
    consent = Consent(
        id=ctx.new_id(),
        organization_id=ctx.organization_id,
        patient_id=record.patient_id,
        kind=kind,
        contact_id=record.caregiver[0] if names_contact and record.caregiver else None,
        signed_on=signed_on,
    )
    ctx.rows.add(consent)
    return consent.id


def _diagnoses(ctx: Context, record: PatientRecord, first_seen: dt.date) -> None:
    others = list(record.condition.other_codes)
    extra = ctx.rng.sample(others, k=min(len(others), ctx.rng.randint(0, 2)))
    onset = first_seen - dt.timedelta(days=ctx.rng.randint(14, 240))
    for code in [record.primary_code, *extra]:
        add_diagnosis(ctx, record, code=code, onset_on=onset)


def add_diagnosis(
    ctx: Context,
    record: PatientRecord,
    *,
    code: str,
    onset_on: dt.date | None,
) -> uuid.UUID:
    if code not in record.diagnoses:
        diagnosis = PatientDiagnosis(
            id=ctx.new_id(),
            organization_id=ctx.organization_id,
            patient_id=record.patient_id,
            code=code,
            description=describe(code),
            onset_on=onset_on,
        )
        ctx.rows.add(diagnosis)
        record.diagnoses[code] = diagnosis.id
    return record.diagnoses[code]


def _payer_key(ctx: Context, age: int) -> str:
    rng = ctx.rng
    if age >= 65:
        return rng.choices(["medicare", "advantage", "lakeshore"], weights=[55, 35, 10])[0]
    if age < 18:
        return rng.choices(["medicaid", "lakeshore", "greatvalley"], weights=[55, 25, 20])[0]
    return rng.choices(["lakeshore", "greatvalley", "medicaid"], weights=[40, 35, 25])[0]


def member_id(ctx: Context, payer_key: str) -> str:
    """A member id in the form the payer issues (all synthetic)."""
    rng = ctx.rng
    if payer_key == "medicare":
        # MBI: digit, letter, letter-or-digit, digit, letter, letter-or-digit, digit, letter,
        # letter, digit, digit.
        alnum = _MBI_LETTERS + string.digits
        pattern = "NAXNAXNAANN"
        pick = {"N": string.digits, "A": _MBI_LETTERS, "X": alnum}
        return "".join(rng.choice(pick[p] if i else "123456789") for i, p in enumerate(pattern))
    if payer_key == "medicaid":
        return f"{rng.randrange(10**11, 10**12)}"
    spec = next(p for p in catalog.PAYERS if p.key == payer_key)
    return f"{spec.member_prefix}{rng.randrange(10**9):09d}-0{rng.randint(1, 4)}"


def _coverage(ctx: Context, practice: Practice, record: PatientRecord, first_seen: dt.date) -> None:
    key = _payer_key(ctx, record.age)
    record.coverage_id = _add_coverage(
        ctx, practice, record, key, CoveragePriority.PRIMARY, first_seen
    )
    if key == "medicare" and ctx.rng.random() < 0.3:
        _add_coverage(ctx, practice, record, "greatvalley", CoveragePriority.SECONDARY, first_seen)


def _add_coverage(
    ctx: Context,
    practice: Practice,
    record: PatientRecord,
    key: str,
    priority: CoveragePriority,
    first_seen: dt.date,
) -> uuid.UUID:
    child = record.age < 18
    starts = dt.date(first_seen.year, 1, 1) if key == "medicare" else first_seen.replace(day=1)
    coverage = Coverage(
        id=ctx.new_id(),
        organization_id=ctx.organization_id,
        patient_id=record.patient_id,
        payer_id=practice.payers[key],
        member_id=member_id(ctx, key),
        group_number="" if key in {"medicare", "medicaid"} else f"G{ctx.rng.randrange(10**5):05d}",
        priority=priority,
        subscriber_relationship="child" if child and key != "medicaid" else "self",
        subscriber_name=record.caregiver[1]
        if child and key != "medicaid" and record.caregiver
        else "",
        starts_on=starts,
        authorized_visits=ctx.rng.choice([20, 24, 30])
        if key in {"advantage", "lakeshore"}
        else None,
        authorization_number=f"AUTH{ctx.rng.randrange(10**7):07d}" if key == "advantage" else "",
    )
    ctx.rows.add(coverage)
    return coverage.id
