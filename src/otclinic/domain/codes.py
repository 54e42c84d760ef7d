"""The code lists the practice works with, each named after its source."""

from enum import StrEnum


class Discipline(StrEnum):
    """The therapy disciplines, each billed under its own plan of care (MCPM ch. 5 sec. 20)."""

    OT = "OT"
    PT = "PT"
    SLP = "SLP"


class Role(StrEnum):
    """What a user of otclinic is, which decides what they may see and do.

    Clinician roles follow the credentials named in BPM ch. 15 sec. 230; the back-office and
    portal roles are otclinic's own.
    """

    OT = "OT"
    OTA = "OTA"
    PT = "PT"
    PTA = "PTA"
    SLP = "SLP"
    STUDENT = "student"
    BILLER = "biller"
    FRONT_DESK = "front_desk"
    CLINIC_ADMIN = "clinic_admin"
    PATIENT = "patient"
    CAREGIVER = "caregiver"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]

    @property
    def is_clinician(self) -> bool:
        return self in CLINICIAN_ROLES

    @property
    def is_therapist(self) -> bool:
        """A therapist may evaluate, plan and write progress reports (BPM 230.2)."""
        return self in THERAPIST_ROLES

    @property
    def is_assistant(self) -> bool:
        return self in {Role.OTA, Role.PTA}

    @property
    def is_portal(self) -> bool:
        return self in {Role.PATIENT, Role.CAREGIVER}


ROLE_LABELS = {
    Role.OT: "Occupational therapist",
    Role.OTA: "Occupational therapy assistant",
    Role.PT: "Physical therapist",
    Role.PTA: "Physical therapist assistant",
    Role.SLP: "Speech-language pathologist",
    Role.STUDENT: "Fieldwork student",
    Role.BILLER: "Biller",
    Role.FRONT_DESK: "Front desk",
    Role.CLINIC_ADMIN: "Clinic admin",
    Role.PATIENT: "Patient",
    Role.CAREGIVER: "Caregiver",
}

THERAPIST_ROLES = frozenset({Role.OT, Role.PT, Role.SLP})
CLINICIAN_ROLES = frozenset({Role.OT, Role.OTA, Role.PT, Role.PTA, Role.SLP, Role.STUDENT})


class PayerPlan(StrEnum):
    """The kinds of plan the billing check distinguishes (contracts/billing-check.md)."""

    MEDICARE_PART_B = "medicare_part_b"
    MEDICARE_ADVANTAGE = "medicare_advantage"
    MEDICAID = "medicaid"
    TRICARE = "tricare"
    COMMERCIAL = "commercial"
    SELF_PAY = "self_pay"

    @property
    def label(self) -> str:
        """The plan in words, for screens and messages."""
        return PAYER_PLAN_LABELS[self]


PAYER_PLAN_LABELS = {
    PayerPlan.MEDICARE_PART_B: "Medicare Part B",
    PayerPlan.MEDICARE_ADVANTAGE: "Medicare Advantage",
    PayerPlan.MEDICAID: "Medicaid",
    PayerPlan.TRICARE: "TRICARE",
    PayerPlan.COMMERCIAL: "Commercial insurance",
    PayerPlan.SELF_PAY: "Self-pay",
}


class UnitMethod(StrEnum):
    """How timed minutes become units: CMS total time (MCPM ch. 5 sec. 20.2) or per code (AMA)."""

    TOTAL_TIME = "total_time"
    PER_CODE = "per_code"


class AssistantModifierPolicy(StrEnum):
    """Whether a payer wants the assistant modifier (CO/CQ) on assistant-furnished lines.

    Medicare requires it since 2020 (CY2020 PFS); many Medicare Advantage plans and TRICARE
    follow it; other payers choose, each by its own policy.
    """

    REQUIRED = "required"
    NOT_USED = "not_used"


class Setting(StrEnum):
    """Where outpatient therapy is furnished (contracts/billing-check.md)."""

    PRIVATE_PRACTICE = "private_practice"
    HOSPITAL_OUTPATIENT = "hospital_outpatient"
    CRITICAL_ACCESS_HOSPITAL = "critical_access_hospital"
    SNF_PART_B = "snf_part_b"
    HOME_HEALTH_PART_B = "home_health_part_b"
    REHAB_AGENCY = "rehab_agency"
    CORF = "corf"


class InterventionCategory(StrEnum):
    """What an intervention on a treatment note was, in the clinic's own terms."""

    THERAPEUTIC_ACTIVITY = "therapeutic_activity"
    THERAPEUTIC_EXERCISE = "therapeutic_exercise"
    ADAPTIVE_EQUIPMENT = "adaptive_equipment"
    ENVIRONMENTAL_MODIFICATION = "environmental_modification"
    CAREGIVER_TRAINING = "caregiver_training"
    COGNITIVE = "cognitive"
    SELF_CARE_ADL = "self_care_adl"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _CATEGORY_LABELS[self]


_CATEGORY_LABELS = {
    InterventionCategory.THERAPEUTIC_ACTIVITY: "Therapeutic activity",
    InterventionCategory.THERAPEUTIC_EXERCISE: "Therapeutic exercise",
    InterventionCategory.ADAPTIVE_EQUIPMENT: "Adaptive equipment or technology training",
    InterventionCategory.ENVIRONMENTAL_MODIFICATION: "Environmental modification",
    InterventionCategory.CAREGIVER_TRAINING: "Caregiver training",
    InterventionCategory.COGNITIVE: "Cognitive",
    InterventionCategory.SELF_CARE_ADL: "Self-care or ADL",
    InterventionCategory.OTHER: "Other",
}


class DocumentType(StrEnum):
    """The documents of an episode that the episode check counts (contracts/episode-check.md)."""

    EVALUATION = "evaluation"
    REEVALUATION = "reevaluation"
    TREATMENT = "treatment"
    PROGRESS_REPORT = "progress_report"
    DISCHARGE = "discharge"


class CoveragePriority(StrEnum):
    """Which payer is billed first (X12 SBR01: P, S, T)."""

    PRIMARY = "primary"
    SECONDARY = "secondary"
    TERTIARY = "tertiary"
