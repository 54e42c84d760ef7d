"""Episode rows as the facts the episode check reads: the one place the two worlds meet.

The chart, the home page and the due lists all call the domain's `check_episode` on what this
module builds, so the answer a user sees is the answer the episode-check contract gives.
"""

import datetime as dt

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import F, Prefetch

from otclinic.clinic.care.models import (
    DischargeSummary,
    DocumentStatus,
    Episode,
    Evaluation,
    EvaluationKind,
    NoteStatus,
    ProgressReport,
    TreatmentNote,
)
from otclinic.clinic.common.models import PrefetchLookup
from otclinic.domain.codes import Discipline, DocumentType, PayerPlan
from otclinic.domain.compliance import episode_model as facts


def _author_role(role: str) -> facts.AuthorRole | None:
    try:
        return facts.AuthorRole(role)
    except ValueError:
        return None


def _documents(episode: Episode, as_of: dt.date) -> tuple[facts.EpisodeDocument, ...]:
    documents = []
    for evaluation in episode.evaluations.all():
        role = _author_role(evaluation.therapist.user.role)
        if role and evaluation.performed_on <= as_of:
            kind = (
                DocumentType.REEVALUATION
                if evaluation.kind == EvaluationKind.REEVALUATION
                else DocumentType.EVALUATION
            )
            documents.append(facts.EpisodeDocument(evaluation.performed_on, kind, role))
    for note in episode.notes.all():
        role = _author_role(_note_author_role(note))
        if role and _treatment_furnished(note) and note.date_of_service <= as_of:
            documents.append(
                facts.EpisodeDocument(note.date_of_service, DocumentType.TREATMENT, role)
            )
    documents.extend(_reports_and_discharge(episode, as_of))
    return tuple(sorted(documents, key=lambda d: (d.date, d.type.value, d.author_role.value)))


def _note_author_role(note: TreatmentNote) -> str:
    """The role of the note's author: annotated by `EPISODE_PREFETCH` (no staff or user row
    loaded per note), else read through the author."""
    annotated: str | None = getattr(note, "author_role", None)
    return annotated if annotated is not None else note.author.user.role


def _treatment_furnished(note: TreatmentNote) -> bool:
    """Whether a signed note makes its day a treatment day (BPM ch. 15 sec. 220.3: a day on
    which treatment was furnished). A visit that earned no billable unit still counts when
    treatment was given (7 minutes before the patient refused is treatment furnished); a note
    signed as not billable with no treatment minutes at all (refused before any treatment,
    documentation only) documents the visit but is not a treatment day."""
    if note.status == NoteStatus.DRAFT:
        return False
    return not (note.not_billable and note.total_treatment_minutes == 0)


def _reports_and_discharge(episode: Episode, as_of: dt.date) -> list[facts.EpisodeDocument]:
    """Signed progress reports (by their author's role) and the signed discharge summary."""
    documents = []
    for report in episode.progress_reports.all():
        signed = report.status == DocumentStatus.SIGNED and report.author is not None
        role = (
            _author_role(report.author.user.role) if signed and report.author is not None else None
        )
        if role and report.report_date <= as_of:
            documents.append(
                facts.EpisodeDocument(report.report_date, DocumentType.PROGRESS_REPORT, role)
            )
    try:
        discharge = episode.discharge
    except ObjectDoesNotExist:
        return documents
    role = _author_role(discharge.author.user.role)
    if role and discharge.status == DocumentStatus.SIGNED and discharge.discharge_date <= as_of:
        documents.append(
            facts.EpisodeDocument(discharge.discharge_date, DocumentType.DISCHARGE, role)
        )
    return documents


def _plan(episode: Episode) -> facts.PlanOfCare | None:
    plans = sorted(episode.plans.all(), key=lambda p: p.version)
    if not plans:
        return None
    first = plans[0]
    return facts.PlanOfCare(
        established_on=first.established_on,
        duration_days=first.duration_days,
        sent_to_physician_on=first.sent_to_physician_on,
        verbal_certification_on=first.verbal_certification_on,
        certified_on=first.certified_on,
        delay_reason=first.delay_reason or None,
    )


def payer_plan_of(episode: Episode) -> PayerPlan:
    coverage = episode.coverage
    return PayerPlan(coverage.payer.plan_kind) if coverage else PayerPlan.SELF_PAY


def episode_facts(episode: Episode, *, as_of: dt.date) -> facts.Episode | None:
    """The episode-check input for a stored episode, or None before it has a plan of care.

    Expects `episode_prefetch` to have been applied, so that this issues no queries.
    """
    plan = _plan(episode)
    if plan is None:
        return None
    referral = episode.referral
    return facts.Episode(
        discipline=Discipline(episode.discipline),
        payer_plan=payer_plan_of(episode),
        as_of=as_of,
        plan_of_care=plan,
        referral=facts.Referral(referral.signed_on, referral.names_discipline)
        if referral
        else None,
        recertifications=tuple(
            facts.Recertification(r.certified_on, r.through) for r in episode.recertifications.all()
        ),
        documents=_documents(episode, as_of),
        authorized_visits=episode.coverage.authorized_visits if episode.coverage else None,
    )


NOTE_FACTS = (
    "episode_id",
    "author_id",
    "date_of_service",
    "status",
    "not_billable",
    "total_treatment_minutes",
)
# What `episode_facts` reads, each relation with its author in the same query.
EPISODE_PREFETCH: tuple[PrefetchLookup, ...] = (
    "plans",
    "recertifications",
    Prefetch("evaluations", queryset=Evaluation.objects.select_related("therapist__user")),
    # Notes are the bulk of an episode: only the columns the check and the timeline read, and
    # the author's role as a column of the note's row.
    Prefetch(
        "notes",
        queryset=TreatmentNote.objects.only(*NOTE_FACTS).annotate(
            author_role=F("author__user__role")
        ),
    ),
    Prefetch("progress_reports", queryset=ProgressReport.objects.select_related("author__user")),
    Prefetch("discharge", queryset=DischargeSummary.objects.select_related("author__user")),
)
EPISODE_SELECT = ("referral", "coverage__payer", "patient")
