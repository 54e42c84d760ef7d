"""Writes to the therapist's later documents: progress reports, discharge, generated PDFs.

An assistant may draft a progress report's objective elements; only the therapist completes it
with an assessment of each goal and signs it (BPM ch. 15 sec. 220.3). The discharge summary,
with each goal's outcome, closes the episode. Generated PDFs are kept as episode documents with
their sha256.
"""

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import require, user_may
from otclinic.clinic.care import pdf
from otclinic.clinic.care.models import (
    DischargeSummary,
    DocumentKind,
    DocumentStatus,
    Episode,
    EpisodeDocument,
    EpisodeStatus,
    Goal,
    GoalAssessment,
    GoalStatus,
    NoteStatus,
    PlanOfCare,
    PlanStatus,
    ProgressReport,
)
from otclinic.clinic.care.selectors_clinical import active_plan, episode_check_for, reload_episode
from otclinic.clinic.care.services.clinical.common import (
    AlreadySigned,
    require_therapist,
    sign,
    staff_of,
)
from otclinic.clinic.common.access import require_same_organization
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.common.services import validated_save
from otclinic.domain.access import Capability
from otclinic.domain.care.home_program import (
    Activity,
    Audience,
    EquipmentUse,
    HomeChange,
    HomeProgramFacts,
    build_home_program,
)
from otclinic.domain.compliance.episode_certification import initial_through
from otclinic.domain.compliance.episode_model import PlanOfCare as PlanFacts

# --- progress report -----------------------------------------------------------------------------


@dataclass(frozen=True)
class GoalAssessmentInput:
    goal: Goal
    status: str
    value: Decimal | None = None
    comment: str = ""


class StaleDraft(ValidationFailed):
    """Someone else saved this draft since it was opened: refuse rather than overwrite."""

    def __init__(self) -> None:
        super().__init__(
            {"__all__": ["Someone else saved this report since you opened it. Reload it first."]}
        )


@transaction.atomic
def progress_report_draft(
    *,
    user: User,
    episode: Episode,
    report_date: dt.date,
    objective_findings: str,
    report: ProgressReport | None = None,
    revision: int | None = None,
) -> ProgressReport:
    """Start or update a draft with its objective elements; an assistant may do this."""
    if not user_may(user, Capability.PROGRESS_REPORT):
        require(user, Capability.WRITE_TREATMENT_NOTE)
    staff = staff_of(user)
    require_same_organization(user, episode)
    _open(episode)
    if report is None:
        report = ProgressReport(organization_id=episode.organization_id, episode=episode)
    elif report.status != DocumentStatus.DRAFT:
        raise AlreadySigned("progress report")
    elif revision is not None and revision != report.revision:
        raise StaleDraft()
    else:
        report.revision += 1
    report.report_date = report_date
    report.period_start = _period_start(episode, report_date)
    report.objective_findings = objective_findings.strip()
    report.drafted_by = report.drafted_by or staff
    return validated_save(report)


def _period_start(episode: Episode, report_date: dt.date) -> dt.date:
    result = episode_check_for(reload_episode(episode), as_of=report_date)
    start = result.progress_report.period_start if result else None
    return min(start or episode.started_on, report_date)


def _open(episode: Episode) -> None:
    if episode.status != EpisodeStatus.OPEN:
        raise ValidationFailed({"__all__": ["This episode is closed."]})


@transaction.atomic
def progress_report_complete(
    *,
    user: User,
    report: ProgressReport,
    assessment: str,
    plan: str,
    goal_assessments: Sequence[GoalAssessmentInput],
    revision: int | None = None,
) -> ProgressReport:
    """The therapist's assessment of each goal and of progress, then the signature."""
    staff = require_therapist(user, report.episode, Capability.PROGRESS_REPORT)
    if report.status != DocumentStatus.DRAFT:
        raise AlreadySigned("progress report")
    if revision is not None and revision != report.revision:
        raise StaleDraft()
    if not assessment.strip():
        raise ValidationFailed({"assessment": ["Assess the patient's progress and why."]})
    _record_assessments(report.episode, goal_assessments, progress_report=report)
    report.assessment, report.plan = assessment.strip(), plan.strip()
    report.author, report.status, report.signed_at = staff, DocumentStatus.SIGNED, timezone.now()
    report.revision += 1
    validated_save(report)
    sign(user=user, document="progress_report", target=report, content=_report_content(report))
    return report


def _record_assessments(
    episode: Episode,
    inputs: Sequence[GoalAssessmentInput],
    *,
    progress_report: ProgressReport | None = None,
    discharge: DischargeSummary | None = None,
) -> None:
    plan = active_plan(reload_episode(episode))
    goals = list(plan.goals.filter(status=GoalStatus.ACTIVE)) if plan else []
    given = {i.goal.pk: i for i in inputs}
    errors: dict[str, list[str]] = {}
    for goal in goals:
        entry = given.get(goal.pk)
        if entry is None:
            errors[f"goal_{goal.pk}"] = [f"Assess the goal “{goal.description[:60]}”."]
        elif discharge is not None and entry.status == GoalStatus.ACTIVE:
            errors[f"goal_{goal.pk}"] = [
                "At discharge each goal is met, partly met, not met or discontinued."
            ]
        elif entry.status not in GoalStatus._value2member_map_:
            errors[f"goal_{goal.pk}"] = ["Choose the goal's status."]
    if errors:
        raise ValidationFailed(errors)
    for goal in goals:
        entry = given[goal.pk]
        GoalAssessment.objects.create(
            organization_id=goal.organization_id,
            goal=goal,
            progress_report=progress_report,
            discharge=discharge,
            value=entry.value,
            status=entry.status,
            comment=entry.comment.strip(),
        )
        goal.status = entry.status
        goal.save(update_fields=["status", "updated_at"])


def _report_content(report: ProgressReport) -> dict[str, Any]:
    return {
        "report_date": report.report_date,
        "period_start": report.period_start,
        "objective": report.objective_findings,
        "assessment": report.assessment,
        "plan": report.plan,
        "goals": sorted(
            (str(a.goal_id), a.status, str(a.value)) for a in report.goal_assessments.all()
        ),
    }


# --- discharge ----------------------------------------------------------------------------------


@transaction.atomic
def discharge_create(
    *,
    user: User,
    episode: Episode,
    discharge_date: dt.date,
    reason: str,
    summary: str,
    outcomes: Sequence[GoalAssessmentInput],
    recommendations: str = "",
) -> DischargeSummary:
    """The therapist's signed discharge summary with each goal's outcome; it closes the episode."""
    staff = require_therapist(user, episode, Capability.DISCHARGE)
    _open(episode)
    last_day = episode.notes.exclude(status=NoteStatus.DRAFT).order_by("-date_of_service").first()
    if discharge_date < episode.started_on or (
        last_day and discharge_date < last_day.date_of_service
    ):
        raise ValidationFailed(
            {"discharge_date": ["Discharge on or after the last treatment day."]}
        )
    if not summary.strip():
        raise ValidationFailed({"summary": ["Summarise the course of care and the outcome."]})
    discharge = validated_save(
        DischargeSummary(
            organization_id=episode.organization_id,
            episode=episode,
            discharge_date=discharge_date,
            author=staff,
            reason=reason,
            summary=summary.strip(),
            recommendations=recommendations.strip(),
            status=DocumentStatus.SIGNED,
            signed_at=timezone.now(),
        )
    )
    _record_assessments(episode, outcomes, discharge=discharge)
    sign(
        user=user,
        document="discharge",
        target=discharge,
        content={"date": discharge_date, "reason": reason, "summary": discharge.summary},
    )
    episode.status, episode.ended_on = EpisodeStatus.DISCHARGED, discharge_date
    validated_save(episode)
    return discharge


# --- documents ----------------------------------------------------------------------------------


def save_document(
    *,
    user: User,
    episode: Episode,
    kind: str,
    title: str,
    content: bytes,
    shared: bool = False,
    source_id: Any = None,
) -> EpisodeDocument:
    digest = hashlib.sha256(content).hexdigest()
    document = EpisodeDocument(
        organization_id=episode.organization_id,
        episode=episode,
        kind=kind,
        title=title,
        sha256=digest,
        created_by=user,
        shared_with_portal=shared,
        source_id=source_id,
    )
    document.file.save(f"{kind}-{digest[:12]}.pdf", ContentFile(content), save=False)
    document.save()
    return document


@transaction.atomic
def plan_send_to_physician(*, user: User, plan: PlanOfCare, sent_on: dt.date) -> EpisodeDocument:
    """Mark the plan sent for certification and keep the PDF (cover sheet and plan) sent."""
    require_therapist(user, plan.episode, Capability.PLAN_OF_CARE)
    if plan.status != PlanStatus.ACTIVE:
        raise ValidationFailed({"__all__": ["Sign the plan before sending it for certification."]})
    if plan.certifying_physician is None:
        raise ValidationFailed({"certifying_physician": ["Choose the certifying physician first."]})
    if sent_on < plan.established_on:
        raise ValidationFailed(
            {"sent_on": [f"The plan cannot be sent before {plan.established_on}."]}
        )
    plan.sent_to_physician_on = sent_on
    validated_save(plan)
    return plan_certification_document(
        user=user,
        plan=plan,
        sent_on=sent_on,
        title=f"Plan of care v{plan.version} sent to {plan.certifying_physician} on {sent_on}",
    )


def plan_certification_document(
    *, user: User, plan: PlanOfCare, sent_on: dt.date, title: str, notice: str = ""
) -> EpisodeDocument:
    """The cover sheet and plan as a PDF kept with the episode (`notice` heads the cover)."""
    content = pdf.plan_certification_pdf(_plan_sheet(plan, sent_on, notice=notice))
    return save_document(
        user=user,
        episode=plan.episode,
        kind=DocumentKind.PLAN_CERTIFICATION,
        title=title[:200],
        content=content,
    )


def _plan_sheet(plan: PlanOfCare, sent_on: dt.date, *, notice: str = "") -> pdf.PlanSheet:
    episode, physician = plan.episode, plan.certifying_physician
    assert physician is not None
    patient, clinic, therapist = episode.patient, episode.clinic, plan.author
    return pdf.PlanSheet(
        practice=clinic.organization.name,
        clinic_lines=(
            clinic.name,
            f"{clinic.address}, {clinic.city}, {clinic.state} {clinic.zip_code}",
        ),
        physician=str(physician),
        physician_npi=physician.npi,
        physician_fax=physician.fax,
        patient=f"{patient.first_name} {patient.last_name}",
        patient_birth_date=patient.birth_date,
        patient_mrn=patient.mrn,
        therapist=str(therapist),  # the name with its credentials, once
        therapist_npi=therapist.npi,
        sent_on=sent_on,
        version=plan.version,
        established_on=plan.established_on,
        certify_through=initial_through(_plan_facts(plan)),
        frequency=f"{plan.frequency_per_week} times a week for {plan.duration_weeks} weeks "
        f"({plan.duration_days} days)",
        diagnoses=tuple(
            (d.diagnosis.code, d.diagnosis.description)
            for d in plan.plan_diagnoses.select_related("diagnosis")
        ),
        goals=tuple(
            (
                g.get_term_display(),
                g.description,
                g.measure,
                f"{g.baseline.normalize():f} {g.unit}".strip(),
                f"{g.target.normalize():f} {g.unit}".strip(),
                f"{g.target_date:%m/%d/%Y}",
            )
            for g in plan.goals.all()
        ),
        interventions=tuple(
            (i.get_category_display(), i.code, i.description) for i in plan.interventions.all()
        ),
        notice=notice,
    )


def _plan_facts(plan: PlanOfCare) -> Any:
    return PlanFacts(established_on=plan.established_on, duration_days=plan.duration_days)


@transaction.atomic
def home_program_create(
    *,
    user: User,
    episode: Episode,
    audience: str = Audience.PATIENT,
    shared_with_portal: bool = False,
    written_on: dt.date | None = None,
) -> EpisodeDocument:
    """A plain-language home program or caregiver handout from the plan and the last note."""
    require(user, Capability.WRITE_TREATMENT_NOTE)
    require_same_organization(user, episode)
    plan = active_plan(reload_episode(episode))
    if plan is None:
        raise ValidationFailed({"__all__": ["The episode needs a signed plan of care first."]})
    facts = _home_program_facts(episode, plan, Audience(audience))
    program = build_home_program(facts)
    written_on = written_on or timezone.localdate()
    content = pdf.home_program_pdf(
        program,
        patient=f"{episode.patient.first_name} {episode.patient.last_name}",
        clinic=episode.clinic.name,
        therapist=str(episode.therapist),
        written_on=written_on,
    )
    kind = (
        DocumentKind.CAREGIVER_HANDOUT
        if facts.audience is Audience.CAREGIVER
        else DocumentKind.HOME_PROGRAM
    )
    return save_document(
        user=user,
        episode=episode,
        kind=kind,
        title=f"{program.title} ({written_on})",
        content=content,
        shared=shared_with_portal,
    )


def _home_program_facts(episode: Episode, plan: PlanOfCare, audience: Audience) -> HomeProgramFacts:
    note = episode.notes.order_by("-date_of_service", "-created_at").first()
    activities = [Activity(i.category, i.description) for i in plan.interventions.all()]
    equipment, changes = [], []
    if note is not None:
        activities += [
            Activity(line.category, line.description)
            for line in note.lines.all()
            if line.description
        ]
        equipment = [
            EquipmentUse(e.get_equipment_display(), e.detail, e.independence)
            for e in note.equipment_trained.all()
        ]
        changes = [
            HomeChange(r.get_modification_display(), r.get_room_display(), r.rationale)
            for r in note.environment_recommendations.all()
        ]
    return HomeProgramFacts(
        audience=audience,
        frequency_per_week=plan.frequency_per_week,
        activities=tuple(activities),
        equipment=tuple(equipment),
        home_changes=tuple(changes),
        goals=tuple(g.description for g in plan.goals.filter(status=GoalStatus.ACTIVE)),
    )


@transaction.atomic
def document_share(*, user: User, document: EpisodeDocument, shared: bool) -> EpisodeDocument:
    """Show or hide a home program or handout in the patient's portal."""
    require(user, Capability.WRITE_TREATMENT_NOTE)
    require_same_organization(user, document)
    if document.kind not in {DocumentKind.HOME_PROGRAM, DocumentKind.CAREGIVER_HANDOUT}:
        raise ValidationFailed(
            {"shared_with_portal": ["Only home programs and handouts are shared."]}
        )
    document.shared_with_portal = shared
    document.save(update_fields=["shared_with_portal", "updated_at"])
    return document
