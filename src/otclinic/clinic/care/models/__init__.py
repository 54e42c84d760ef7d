"""The clinical record: episode, evaluation, plan of care, treatment notes, signatures.

Behaviour (signing, locking, co-signature) lives in services; these are the tables and the
constraints that keep them sound. Split by document; import from here.
"""

from otclinic.clinic.care.models.certification import (
    CertificationChannel,
    CertificationKind,
    CertificationReminder,
    CertificationRequest,
    CertificationRequestStatus,
)
from otclinic.clinic.care.models.delivery import DeliveryStatus, PhysicianDelivery
from otclinic.clinic.care.models.documents import (
    DischargeSummary,
    DocumentKind,
    DocumentStatus,
    EpisodeDocument,
    GoalAssessment,
    ProgressReport,
)
from otclinic.clinic.care.models.episode import DISCIPLINE_CHOICES, Episode, EpisodeStatus
from otclinic.clinic.care.models.episode_check import EpisodeCheck
from otclinic.clinic.care.models.evaluation import (
    AssessmentScore,
    Complexity,
    Evaluation,
    EvaluationKind,
)
from otclinic.clinic.care.models.home_program import HomeProgram, HomeProgramItem
from otclinic.clinic.care.models.note import (
    GoalProgress,
    NotBillableReason,
    NoteLine,
    NoteStatus,
    TreatmentNote,
)
from otclinic.clinic.care.models.note_sections import (
    CaregiverTraining,
    EnvironmentalRecommendation,
    Equipment,
    EquipmentTraining,
    Independence,
    Modification,
    Room,
)
from otclinic.clinic.care.models.plan import (
    CATEGORY_CHOICES,
    Goal,
    GoalStatus,
    GoalTerm,
    PlanDiagnosis,
    PlannedIntervention,
    PlanOfCare,
    PlanStatus,
    Recertification,
)
from otclinic.clinic.care.models.review import NoteReviewPolicy
from otclinic.clinic.care.models.sampling import CosignSampleDraw
from otclinic.clinic.care.models.shorthand import ShorthandEntry, ShorthandKind
from otclinic.clinic.care.models.signature import (
    Addendum,
    CosignDecision,
    CosignReview,
    Signature,
    SignatureMeaning,
)

__all__ = [
    "CATEGORY_CHOICES",
    "DISCIPLINE_CHOICES",
    "Addendum",
    "AssessmentScore",
    "CaregiverTraining",
    "CertificationChannel",
    "CertificationKind",
    "CertificationReminder",
    "CertificationRequest",
    "CertificationRequestStatus",
    "Complexity",
    "CosignDecision",
    "CosignReview",
    "CosignSampleDraw",
    "DeliveryStatus",
    "DischargeSummary",
    "DocumentKind",
    "DocumentStatus",
    "EnvironmentalRecommendation",
    "Episode",
    "EpisodeCheck",
    "EpisodeDocument",
    "EpisodeStatus",
    "Equipment",
    "EquipmentTraining",
    "Evaluation",
    "EvaluationKind",
    "Goal",
    "GoalAssessment",
    "GoalProgress",
    "GoalStatus",
    "GoalTerm",
    "HomeProgram",
    "HomeProgramItem",
    "Independence",
    "Modification",
    "NotBillableReason",
    "NoteLine",
    "NoteReviewPolicy",
    "NoteStatus",
    "PhysicianDelivery",
    "PlanDiagnosis",
    "PlanOfCare",
    "PlanStatus",
    "PlannedIntervention",
    "ProgressReport",
    "Recertification",
    "Room",
    "ShorthandEntry",
    "ShorthandKind",
    "Signature",
    "SignatureMeaning",
    "TreatmentNote",
]
