"""The fixed facts of the synthetic demo practice: its places, people, payers and conditions.

Everything here is invented. Names of people come from Faker at seed time; phone numbers use
the 555-01xx range reserved for fiction and e-mail addresses the reserved `.example` domain.
Diagnosis codes are real ICD-10-CM codes (a test checks each is billable); procedure codes are
the CPT codes an outpatient OT practice bills.
"""

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from otclinic.domain.codes import (
    AssistantModifierPolicy,
    Discipline,
    InterventionCategory,
    PayerPlan,
    Role,
    UnitMethod,
)

ORG_NAME = "Riverbend Occupational Therapy"
ORG_SLUG = "riverbend-ot"
STATE = "OH"
EMAIL_DOMAIN = "riverbend-ot.example"

# One password for every demo account, printed by `otclinic demo logins`. Synthetic: it opens
# a demo database of invented people and nothing else. It passes Django's password validators.
DEMO_PASSWORD = "Sunflower-Splint-47"  # noqa: S105 - a published demo credential


@dataclass(frozen=True)
class ClinicSpec:
    name: str
    address: str
    city: str
    zip_code: str
    phone: str
    rooms: tuple[str, ...]
    share: float  # of staff and patients


CLINICS = (
    ClinicSpec(
        "Riverbend Downtown",
        "410 W Spring St",
        "Columbus",
        "43215-1702",
        "614-555-0100",
        ("ADL kitchen", "Gym", "Hand therapy 1", "Hand therapy 2", "Sensory room", "Treatment 1"),
        0.6,
    ),
    ClinicSpec(
        "Riverbend Westerville",
        "85 N State St",
        "Westerville",
        "43081-2205",
        "614-555-0150",
        ("ADL bathroom", "Gym", "Treatment 1", "Treatment 2"),
        0.4,
    ),
)

# Ohio towns around the two clinics, with a ZIP code of each, for patients' addresses.
TOWNS = (
    ("Columbus", "43201"),
    ("Columbus", "43206"),
    ("Columbus", "43214"),
    ("Westerville", "43081"),
    ("Worthington", "43085"),
    ("Dublin", "43017"),
    ("Gahanna", "43230"),
    ("Grove City", "43123"),
    ("Hilliard", "43026"),
    ("Delaware", "43015"),
)


@dataclass(frozen=True)
class DemoLogin:
    """A demo account whose credentials `otclinic demo logins` prints."""

    role: Role
    username: str

    @property
    def label(self) -> str:
        return f"{self.role.label} (portal)" if self.role.is_portal else self.role.label


DEMO_LOGINS = (
    DemoLogin(Role.OT, "ot.demo"),
    DemoLogin(Role.OTA, "ota.demo"),
    DemoLogin(Role.PT, "pt.demo"),
    DemoLogin(Role.SLP, "slp.demo"),
    DemoLogin(Role.STUDENT, "student.demo"),
    DemoLogin(Role.BILLER, "biller.demo"),
    DemoLogin(Role.FRONT_DESK, "frontdesk.demo"),
    DemoLogin(Role.CLINIC_ADMIN, "admin.demo"),
    DemoLogin(Role.PATIENT, "patient.demo"),
    DemoLogin(Role.CAREGIVER, "caregiver.demo"),
)

# Staff per unit of scale (clinicians grow with the patients; the back office does not).
CLINICIANS_PER_SCALE = {Role.OT: 6, Role.OTA: 8, Role.PT: 1, Role.SLP: 1}
# Treatment rooms grow with the clinicians: a location has one room for every 1.25 of its
# clinicians working there at once (four rooms for five), its named rooms counted, with numbered
# treatment rooms added up to that. Outpatient clinics run one room to one or two clinicians,
# but the demo books each clinician's day from 08:00, so its mornings see nearly all of them
# at once: four rooms for five keeps about 99% of the visits in a room (docs/scheduling.md).
CLINICIANS_PER_ROOM = Fraction(5, 4)
BACK_OFFICE = {Role.STUDENT: 1, Role.BILLER: 2, Role.FRONT_DESK: 2, Role.CLINIC_ADMIN: 1}
CREDENTIALS = {Role.OT: "OTR/L", Role.OTA: "COTA/L", Role.PT: "PT, DPT", Role.SLP: "CCC-SLP"}
PATIENTS_PER_SCALE = 150
PHYSICIANS_PER_SCALE = 20


@dataclass(frozen=True)
class PayerSpec:
    key: str
    name: str
    payer_id: str
    plan_kind: PayerPlan
    unit_method: str
    assistant_policy: str
    filing_indicator: str
    member_prefix: str  # "" for a Medicare Beneficiary Identifier


PAYERS = (
    PayerSpec(
        "medicare",
        "Medicare Part B",
        "15202",
        PayerPlan.MEDICARE_PART_B,
        UnitMethod.TOTAL_TIME,
        AssistantModifierPolicy.REQUIRED,
        "MB",
        "",
    ),
    PayerSpec(
        "advantage",
        "Buckeye Senior Advantage (HMO)",
        "BSA01",
        PayerPlan.MEDICARE_ADVANTAGE,
        UnitMethod.TOTAL_TIME,
        AssistantModifierPolicy.REQUIRED,
        "16",
        "BSA",
    ),
    PayerSpec("medicaid", "Ohio Medicaid", "OHMCD", PayerPlan.MEDICAID, "", "", "MC", "MCD"),
    PayerSpec(
        "lakeshore",
        "Lakeshore Health Plan PPO",
        "LHP77",
        PayerPlan.COMMERCIAL,
        UnitMethod.PER_CODE,
        AssistantModifierPolicy.NOT_USED,
        "CI",
        "LHP",
    ),
    PayerSpec(
        "greatvalley",
        "Great Valley Insurance",
        "GVI42",
        PayerPlan.COMMERCIAL,
        "",
        "",
        "CI",
        "GV",
    ),
)


@dataclass(frozen=True)
class Intervention:
    code: str
    category: InterventionCategory
    description: str


_C = InterventionCategory
ACTIVITY = Intervention("97530", _C.THERAPEUTIC_ACTIVITY, "Functional reaching and transfers")
SELF_CARE = Intervention("97535", _C.SELF_CARE_ADL, "Dressing, grooming and bathing training")
EQUIPMENT = Intervention("97535", _C.ADAPTIVE_EQUIPMENT, "Adaptive equipment training")
HOME_SAFETY = Intervention(
    "97535", _C.ENVIRONMENTAL_MODIFICATION, "Home safety and bathroom set-up"
)
EXERCISE = Intervention("97110", _C.THERAPEUTIC_EXERCISE, "Range of motion and strengthening")
NEURO = Intervention("97112", _C.THERAPEUTIC_EXERCISE, "Neuromuscular re-education, upper limb")
MANUAL = Intervention("97140", _C.THERAPEUTIC_EXERCISE, "Manual therapy: soft tissue, joint")
WHEELCHAIR = Intervention("97542", _C.ADAPTIVE_EQUIPMENT, "Wheelchair management and positioning")
ORTHOSIS = Intervention("97760", _C.ADAPTIVE_EQUIPMENT, "Orthotic fabrication and training")
SENSORY = Intervention("97533", _C.THERAPEUTIC_ACTIVITY, "Sensory integrative techniques")
COGNITION = Intervention("97129", _C.COGNITIVE, "Cognitive function intervention")
COGNITION_MORE = Intervention("97130", _C.COGNITIVE, "Cognitive function intervention, more")
PARAFFIN = Intervention("97018", _C.OTHER, "Paraffin bath")
CAREGIVER = Intervention("97550", _C.CAREGIVER_TRAINING, "Caregiver training, patient absent")
SLP_TREAT = Intervention("92507", _C.OTHER, "Speech, language and voice treatment")
SLP_SWALLOW = Intervention("92526", _C.OTHER, "Treatment of swallowing dysfunction")

# Timed codes (15-minute units) as the billing check's code table has them
# (domain/rules/billing_codes.yaml, kind: timed). A note's total timed minutes are the minutes
# of its lines with these codes; the caregiver codes 97550/97551 earn units their own way.
TIMED_CODES = frozenset(
    {"97110", "97112", "97140", "97129", "97130", "97530", "97533", "97535"} | {"97542", "97760"}
)

EVALUATION_CODES = {
    Discipline.OT: ("97165", "97166", "97167"),
    Discipline.PT: ("97161", "97162", "97163"),
    Discipline.SLP: ("92523", "92523", "92523"),
}
OTHER_DISCIPLINE_TREATMENT = {
    Discipline.PT: (EXERCISE, ACTIVITY, NEURO, MANUAL),
    Discipline.SLP: (SLP_TREAT, SLP_SWALLOW, COGNITION),
}


SUBJECTIVE = (
    "Reports less pain with reaching today.",
    "States home exercises were done most days this week.",
    "Reports fatigue after a busy weekend.",
    "Reports dressing took less time this morning.",
    "Caregiver reports better participation at home.",
    "Reports stiffness in the morning that eases by noon.",
    "No new complaints since the last visit.",
)
RESPONSE = (
    "Tolerated treatment well; needed rest breaks between tasks.",
    "Improved task sequencing with fewer verbal cues.",
    "Required moderate cues for safety during transfers.",
    "Good carry-over of the home program.",
    "Demonstrated the technique back correctly.",
)
PLAN_NEXT = (
    "Progress resistance; continue ADL training.",
    "Continue per plan of care.",
    "Review the home program and upgrade tasks.",
    "Trial adaptive equipment next visit.",
)
CANCEL_REASONS = ("Patient ill", "Transportation", "Weather", "Family emergency", "Rescheduled")

ZERO = Decimal("0.00")


# The demo's default fee schedule: (charge, expected allowed, practice-expense part of one unit).
# Synthetic round figures of the right size for an Ohio outpatient clinic, not any payer's
# published rates; a real clinic loads its own schedule per payer and year.
FEES = {
    "97110": ("65.00", "29.00", "13.00"),
    "97112": ("70.00", "33.00", "15.00"),
    "97140": ("62.00", "27.00", "12.00"),
    "97129": ("70.00", "26.00", "10.00"),
    "97130": ("60.00", "24.00", "9.00"),
    "97530": ("75.00", "35.00", "16.00"),
    "97533": ("72.00", "31.00", "14.00"),
    "97535": ("72.00", "33.00", "15.00"),
    "97542": ("70.00", "30.00", "14.00"),
    "97550": ("95.00", "46.00", "20.00"),
    "97551": ("50.00", "23.00", "10.00"),
    "97552": ("40.00", "18.00", "8.00"),
    "97760": ("90.00", "42.00", "19.00"),
    "97018": ("25.00", "5.00", "3.00"),
    "97150": ("40.00", "17.00", "8.00"),
    "97161": ("190.00", "100.00", "45.00"),
    "97162": ("190.00", "100.00", "45.00"),
    "97163": ("190.00", "100.00", "45.00"),
    "97164": ("130.00", "68.00", "30.00"),
    "97165": ("200.00", "103.00", "46.00"),
    "97166": ("200.00", "103.00", "46.00"),
    "97167": ("200.00", "103.00", "46.00"),
    "97168": ("140.00", "70.00", "31.00"),
    "92507": ("160.00", "80.00", "36.00"),
    "92523": ("260.00", "130.00", "58.00"),
    "92526": ("170.00", "85.00", "38.00"),
}
