"""The facts the episode check reads and the answer it gives (contracts/episode-check.md).

Everything here is a frozen dataclass of dates, codes and counts; `episode_input` builds them
from the contract's JSON and `episode` turns the answer back into it.
"""

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from otclinic.domain.codes import Discipline, DocumentType, PayerPlan, Role
from otclinic.domain.compliance.findings import Finding


class AuthorRole(StrEnum):
    """Who wrote a document of the episode: the clinician roles of BPM ch. 15 sec. 230."""

    OT = Role.OT.value
    OTA = Role.OTA.value
    PT = Role.PT.value
    PTA = Role.PTA.value
    SLP = Role.SLP.value
    STUDENT = Role.STUDENT.value


# The discipline each licensed role practises; a student works under the episode's discipline.
ROLE_DISCIPLINE: dict[AuthorRole, Discipline] = {
    AuthorRole.OT: Discipline.OT,
    AuthorRole.OTA: Discipline.OT,
    AuthorRole.PT: Discipline.PT,
    AuthorRole.PTA: Discipline.PT,
    AuthorRole.SLP: Discipline.SLP,
}

# The therapist who evaluates, re-evaluates, writes progress reports and discharges (BPM 230.2).
THERAPIST_FOR: dict[Discipline, AuthorRole] = {
    Discipline.OT: AuthorRole.OT,
    Discipline.PT: AuthorRole.PT,
    Discipline.SLP: AuthorRole.SLP,
}

TREATMENT_DAY_TYPES = frozenset(
    {DocumentType.EVALUATION, DocumentType.REEVALUATION, DocumentType.TREATMENT}
)


class CertificationStatus(StrEnum):
    """Where the initial certification of the plan of care stands (BPM ch. 15 sec. 220.1.3)."""

    TIMELY = "timely"
    DELAYED = "delayed"
    PENDING = "pending"
    OVERDUE = "overdue"
    EXEMPT_BY_REFERRAL = "exempt_by_referral"

    @property
    def label(self) -> str:
        """The status in words, for screens."""
        return CERTIFICATION_STATUS_LABELS[self]


CERTIFICATION_STATUS_LABELS = {
    CertificationStatus.TIMELY: "Signed on time",
    CertificationStatus.DELAYED: "Signed late",
    CertificationStatus.PENDING: "Waiting for the physician's signature",
    CertificationStatus.OVERDUE: "Overdue: not signed within 30 days",
    CertificationStatus.EXEMPT_BY_REFERRAL: "No signature needed (signed referral on file)",
}


@dataclass(frozen=True, slots=True)
class Referral:
    """A signed order or referral, and whether it names this episode's discipline."""

    signed_on: date
    names_discipline: bool


@dataclass(frozen=True, slots=True)
class PlanOfCare:
    """The plan of care as written and where its certification stands."""

    established_on: date
    duration_days: int
    sent_to_physician_on: date | None = None
    verbal_certification_on: date | None = None
    certified_on: date | None = None
    delay_reason: str | None = None


@dataclass(frozen=True, slots=True)
class Recertification:
    """A later signed certification and the last day it covers."""

    certified_on: date
    through: date


@dataclass(frozen=True, slots=True)
class EpisodeDocument:
    """One dated document of the episode and the role of the clinician who wrote it."""

    date: date
    type: DocumentType
    author_role: AuthorRole


@dataclass(frozen=True, slots=True)
class Episode:
    """One episode of care of one discipline, as the contract's input describes it.

    `authorized_visits` is the optional extra input the contract allows: the visits a payer
    authorised for this episode, which overrides the payer policy's figure.
    """

    discipline: Discipline
    payer_plan: PayerPlan
    as_of: date
    plan_of_care: PlanOfCare
    referral: Referral | None = None
    recertifications: tuple[Recertification, ...] = ()
    documents: tuple[EpisodeDocument, ...] = ()
    authorized_visits: int | None = None


@dataclass(frozen=True, slots=True)
class ProgressReportState:
    """The current progress-report period and whether its report is due or overdue."""

    period_start: date | None
    treatment_days_in_period: int
    due_by: date | None
    overdue: bool


@dataclass(frozen=True, slots=True)
class CertificationState:
    """The initial certification's status and the certification that covers `as_of`."""

    status: CertificationStatus
    through: date
    recertification_due_by: date | None


@dataclass(frozen=True, slots=True)
class EpisodeResult:
    """The answer of the episode check, in the contract's order."""

    treatment_days: int
    progress_report: ProgressReportState
    certification: CertificationState
    findings: tuple[Finding, ...] = field(default=())
