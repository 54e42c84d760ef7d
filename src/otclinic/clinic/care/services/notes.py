"""Writes to the daily treatment note: start, save a draft, sign, addendum, co-sign, return.

A draft belongs to its author alone; each save must name the revision it was based on, so two
people saving one draft never overwrite each other silently. Totals are computed from the lines.
Signing runs the billing check (errors block) and the co-signature rule, hashes what was signed
and locks the note: from then on only addenda and the co-signature flow change anything.
"""

import hashlib
import json
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.care.billing_adapter import (
    LineFacts,
    billing_decision,
    note_decision,
    note_totals,
    visit_for,
)
from otclinic.clinic.care.models import (
    Addendum,
    CaregiverTraining,
    CosignDecision,
    CosignReview,
    EnvironmentalRecommendation,
    Episode,
    EpisodeStatus,
    EquipmentTraining,
    Goal,
    GoalProgress,
    NoteLine,
    NoteStatus,
    PlanStatus,
    Signature,
    SignatureMeaning,
    TreatmentNote,
)
from otclinic.clinic.care.narrative import narrative_content
from otclinic.clinic.care.supervision_adapter import authorship_facts
from otclinic.clinic.common.errors import NotPermitted, ValidationFailed
from otclinic.domain.access import Capability
from otclinic.domain.billing import Decision
from otclinic.domain.billing.codebook import CODE_PATTERN
from otclinic.domain.care.narrative import draft_narrative
from otclinic.domain.compliance.findings import Finding, Severity
from otclinic.domain.compliance.supervision import cosign_required

MAX_LINE_MINUTES = 480


class NoteLocked(NotPermitted):
    """The note is signed: it cannot be changed, only amended by an addendum."""


class StaleRevision(ValueError):
    """Someone saved this draft after it was opened: the save is refused, nothing is lost."""


class NoteNotSignable(ValueError):
    """Signing is refused: the findings (billing errors, missing measures) say why."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__("; ".join(f.message for f in findings))
        self.findings = findings


# What the form hands to the service: plain values, already parsed.


@dataclass(frozen=True)
class LineInput:
    code: str
    category: str
    therapist_minutes: int = 0
    assistant_minutes: int = 0
    together_minutes: int = 0
    separate_time_block: bool = False

    def facts(self) -> LineFacts:
        return LineFacts(
            code=self.code,
            therapist_minutes=self.therapist_minutes,
            assistant_minutes=self.assistant_minutes,
            together_minutes=self.together_minutes,
            separate_time_block=self.separate_time_block,
        )


@dataclass(frozen=True)
class GoalInput:
    goal_id: Any
    value: Decimal | None
    comment: str = ""


@dataclass(frozen=True)
class EquipmentInput:
    equipment: str
    independence: str
    detail: str = ""


@dataclass(frozen=True)
class EnvironmentInput:
    modification: str
    room: str
    rationale: str


@dataclass(frozen=True)
class CaregiverInput:
    caregiver_name: str
    topic: str
    return_demonstration: bool
    patient_present: bool
    consent_documented: bool


@dataclass(frozen=True)
class NoteContent:
    """Everything a clinician enters on a note; what the service stores."""

    lines: tuple[LineInput, ...] = ()
    goals: tuple[GoalInput, ...] = ()
    equipment: tuple[EquipmentInput, ...] = ()
    environment: tuple[EnvironmentInput, ...] = ()
    caregiver: tuple[CaregiverInput, ...] = ()
    patient_response: str = ""
    changes_in_condition: str = ""
    plan_next_visit: str = ""
    narrative: str = ""

    @property
    def patient_present(self) -> bool:
        """Caregiver training without the patient makes the visit one without the patient."""
        return all(c.patient_present for c in self.caregiver)

    @property
    def caregiver_consent(self) -> bool:
        return bool(self.caregiver) and all(c.consent_documented for c in self.caregiver)


# Starting a note


@transaction.atomic
def note_start(
    *, user: Any, episode: Episode, date_of_service: Any, visit: Any = None
) -> TreatmentNote:
    """A draft note for a visit of the episode, carried forward from the episode's last note."""
    require(user, Capability.WRITE_TREATMENT_NOTE)
    _same_org(user, episode)
    if episode.status != EpisodeStatus.OPEN:
        raise ValidationFailed({"episode": ["This episode is closed: reopen it to add notes."]})
    author = _staff(user)
    existing = TreatmentNote.objects.filter(
        episode=episode, author=author, date_of_service=date_of_service, status=NoteStatus.DRAFT
    ).first()
    if existing:
        return existing
    previous = (
        TreatmentNote.objects.filter(episode=episode, date_of_service__lte=date_of_service)
        .order_by("-date_of_service", "-created_at")
        .first()
    )
    note = TreatmentNote.objects.create(
        organization_id=episode.organization_id,
        episode=episode,
        visit=visit,
        date_of_service=date_of_service,
        author=author,
        carried_forward_from=previous,
    )
    if previous:
        _carry_forward(previous, note)
    return note


def _carry_forward(previous: TreatmentNote, note: TreatmentNote) -> None:
    """Codes, categories, goals addressed and the plan come forward; minutes and measures do not.

    Minutes and measures are what happened today: copying them would let yesterday's time be
    signed as today's, so they start blank and the note cannot be signed until they are entered.
    """
    for line in previous.lines.all():
        NoteLine.objects.create(
            organization_id=note.organization_id,
            note=note,
            position=line.position,
            code=line.code,
            category=line.category,
            description=line.description,
        )
    for progress in previous.goal_progress.all():
        GoalProgress.objects.create(
            organization_id=note.organization_id, note=note, goal_id=progress.goal_id
        )
    note.plan_next_visit = previous.plan_next_visit
    note.save(update_fields=["plan_next_visit", "updated_at"])


# Saving a draft


@transaction.atomic
def note_save(*, user: Any, note: TreatmentNote, revision: int, content: NoteContent) -> Any:
    """Store a draft's content; refuse a stale revision, a locked note, or another's draft."""
    current = _draft_for_author(user, note, revision)
    _validate(current, content)
    _replace_children(current, content)
    totals = note_totals(line.facts() for line in content.lines)
    current.total_timed_minutes = totals.timed_minutes
    current.total_treatment_minutes = totals.treatment_minutes
    current.patient_present = content.patient_present
    current.caregiver_consent = content.caregiver_consent
    current.patient_response = content.patient_response
    current.changes_in_condition = content.changes_in_condition
    current.plan_next_visit = content.plan_next_visit
    current.narrative = content.narrative.strip() or narrative_for(current, content)
    current.revision += 1
    current.save()
    return current


def _draft_for_author(user: Any, note: TreatmentNote, revision: int) -> TreatmentNote:
    require(user, Capability.WRITE_TREATMENT_NOTE)
    _same_org(user, note)
    current = TreatmentNote.objects.select_for_update().get(pk=note.pk)
    if current.locked:
        raise NoteLocked("This note is signed and locked: add an addendum to correct it.")
    if current.author.user_id != user.pk:
        raise NotPermitted("Only the author of a draft note may change it.")
    if current.revision != revision:
        raise StaleRevision(
            f"This draft was saved by someone else since you opened it (your copy is revision "
            f"{revision}, the saved one is {current.revision}). Reload to see their changes; "
            "your entries were not saved."
        )
    return current


def _validate(note: TreatmentNote, content: NoteContent) -> None:
    errors: dict[str, list[str]] = {}
    for i, line in enumerate(content.lines):
        errors.update(_line_errors(i, line))
    goal_ids = set(_plan_goals(note.episode).values_list("pk", flat=True))
    for i, goal in enumerate(content.goals):
        if _as_uuid(goal.goal_id) not in goal_ids:
            errors[f"goals-{i}-goal"] = ["Choose a goal of this episode's plan of care."]
    seen = [str(g.goal_id) for g in content.goals]
    if len(seen) != len(set(seen)):
        errors.setdefault("goals", []).append("Each goal can be addressed once per note.")
    for i, item in enumerate(content.environment):
        if not item.rationale.strip():
            errors[f"environment-{i}-rationale"] = ["Say why this change is recommended."]
    for i, session in enumerate(content.caregiver):
        if not session.caregiver_name.strip() or not session.topic.strip():
            errors[f"caregiver-{i}-topic"] = ["Name who was trained and on what."]
    if errors:
        raise ValidationFailed(errors)


def _line_errors(i: int, line: LineInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not CODE_PATTERN.match(line.code):
        errors[f"lines-{i}-code"] = [f"{line.code!r} is not a CPT or HCPCS code (e.g. 97530)."]
    minutes = (line.therapist_minutes, line.assistant_minutes, line.together_minutes)
    if any(m < 0 for m in minutes):
        errors[f"lines-{i}-assistant_minutes"] = ["Minutes cannot be negative."]
    elif sum(minutes) > MAX_LINE_MINUTES:
        errors[f"lines-{i}-assistant_minutes"] = [
            f"{sum(minutes)} minutes on one intervention is more than {MAX_LINE_MINUTES}: "
            "check the numbers."
        ]
    return errors


def _replace_children(note: TreatmentNote, content: NoteContent) -> None:
    org = note.organization_id
    note.lines.all().delete()
    note.goal_progress.all().delete()
    note.equipment_trained.all().delete()
    note.environment_recommendations.all().delete()
    note.caregiver_training.all().delete()
    for position, line in enumerate(content.lines, start=1):
        NoteLine.objects.create(
            organization_id=org,
            note=note,
            position=position,
            code=line.code,
            category=line.category,
            therapist_minutes=line.therapist_minutes,
            assistant_minutes=line.assistant_minutes,
            together_minutes=line.together_minutes,
            separate_time_block=line.separate_time_block,
        )
    for goal in content.goals:
        GoalProgress.objects.create(
            organization_id=org,
            note=note,
            goal_id=goal.goal_id,
            value=goal.value,
            comment=goal.comment,
        )
    for item in content.equipment:
        EquipmentTraining.objects.create(organization_id=org, note=note, **item.__dict__)
    for env in content.environment:
        EnvironmentalRecommendation.objects.create(organization_id=org, note=note, **env.__dict__)
    for cg in content.caregiver:
        CaregiverTraining.objects.create(organization_id=org, note=note, **cg.__dict__)


# Checks the page shows next to the fields (never blocking a draft save)


def note_warnings(*, note: TreatmentNote, content: NoteContent) -> dict[str, list[str]]:
    """Messages for fields: codes outside the plan, lines without minutes, goals without a
    measure, and minutes that do not fit the appointment."""
    warnings: dict[str, list[str]] = {}
    planned = set(_active_plan_codes(note.episode))
    for i, line in enumerate(content.lines):
        if planned and line.code not in planned:
            warnings[f"lines-{i}-code"] = [
                f"{line.code} is not among the plan of care's interventions "
                f"({', '.join(sorted(planned))}): the plan may need to change first."
            ]
        if line.facts().minutes == 0:
            warnings[f"lines-{i}-assistant_minutes"] = [
                "No minutes entered for this intervention yet."
            ]
    for i, goal in enumerate(content.goals):
        if goal.value is None:
            warnings[f"goals-{i}-value"] = ["Enter today's measure for this goal."]
    warnings.update(_appointment_warning(note, content))
    return warnings


def _appointment_warning(note: TreatmentNote, content: NoteContent) -> dict[str, list[str]]:
    visit = note.visit
    appointment = getattr(visit, "appointment", None) if visit else None
    if appointment is None:
        return {}
    booked = int((appointment.ends_at - appointment.starts_at).total_seconds() // 60)
    total = note_totals(line.facts() for line in content.lines).treatment_minutes
    if total <= booked:
        return {}
    return {
        "lines": [
            f"The interventions add up to {total} minutes, but the visit was booked for "
            f"{booked} minutes: check the minutes."
        ]
    }


def content_of(note: TreatmentNote) -> NoteContent:
    """A saved note's content, in the shape the form and the service use."""
    return NoteContent(
        lines=tuple(
            LineInput(
                code=line.code,
                category=line.category,
                therapist_minutes=line.therapist_minutes,
                assistant_minutes=line.assistant_minutes,
                together_minutes=line.together_minutes,
                separate_time_block=line.separate_time_block,
            )
            for line in note.lines.all()
        ),
        goals=tuple(
            GoalInput(goal_id=p.goal_id, value=p.value, comment=p.comment)
            for p in note.goal_progress.all()
        ),
        equipment=tuple(
            EquipmentInput(e.equipment, e.independence, e.detail)
            for e in note.equipment_trained.all()
        ),
        environment=tuple(
            EnvironmentInput(e.modification, e.room, e.rationale)
            for e in note.environment_recommendations.all()
        ),
        caregiver=tuple(
            CaregiverInput(
                c.caregiver_name,
                c.topic,
                c.return_demonstration,
                c.patient_present,
                c.consent_documented,
            )
            for c in note.caregiver_training.all()
        ),
        patient_response=note.patient_response,
        changes_in_condition=note.changes_in_condition,
        plan_next_visit=note.plan_next_visit,
        narrative=note.narrative,
    )


def preview_decision(*, note: TreatmentNote, content: NoteContent) -> Decision:
    """The billing decision for content as typed, before it is saved."""
    visit = visit_for(
        episode=note.episode,
        date_of_service=note.date_of_service,
        lines=[line.facts() for line in content.lines],
        patient_present=content.patient_present,
        caregiver_consent=content.caregiver_consent,
    )
    return billing_decision(visit, episode=note.episode)


def narrative_for(note: TreatmentNote, content: NoteContent) -> str:
    """The deterministic draft of the narrative from the structured entries."""
    return draft_narrative(narrative_content(note, content))


# Signing


@transaction.atomic
def note_sign(*, user: Any, note: TreatmentNote, revision: int) -> TreatmentNote:
    """Sign and lock a draft: billing errors and missing measures refuse it before signing."""
    current = _draft_for_author(user, note, revision)
    blocking = _sign_blockers(current)
    if blocking:
        raise NoteNotSignable(blocking)
    decision = cosign_required(authorship_facts(current))
    author = current.author
    if decision.required and author.supervising_ot_id is None:
        raise NoteNotSignable([_no_supervisor(decision.reason)])
    now = timezone.now()
    current.status = NoteStatus.COSIGN_PENDING if decision.required else NoteStatus.SIGNED
    current.cosign_required = decision.required
    current.cosign_reason = decision.reason[:300]
    current.signed_at = now
    current.save()
    Signature.objects.create(
        organization_id=current.organization_id,
        signer=user,
        meaning=SignatureMeaning.AUTHOR,
        credentials=_credentials(author, user),
        signed_at=now,
        content_sha256=content_sha256(current),
        note=current,
    )
    return current


def _sign_blockers(note: TreatmentNote) -> list[Finding]:
    blockers = [f for f in note_decision(note).findings if f.severity is Severity.ERROR]
    if not note.lines.exists():
        blockers.append(_note_finding("note.no_interventions", "The note lists no interventions."))
    for line in note.lines.all():
        if line.therapist_minutes + line.assistant_minutes + line.together_minutes == 0:
            text = f"{line.code} has no minutes: enter today's minutes or remove the line."
            blockers.append(_note_finding("note.line_without_minutes", text))
    for progress in note.goal_progress.select_related("goal"):
        if progress.value is None:
            text = f"The goal '{progress.goal.measure}' was addressed but has no measure."
            blockers.append(_note_finding("note.goal_without_measure", text))
    return blockers


def _note_finding(rule_id: str, message: str) -> Finding:
    return Finding(
        rule_id=rule_id,
        severity=Severity.ERROR,
        message=message,
        citation="BPM Pub. 100-02 ch. 15 sec. 220.3 (treatment note content)",
    )


def _no_supervisor(reason: str) -> Finding:
    return Finding(
        rule_id="supervision.no_supervisor",
        severity=Severity.ERROR,
        message=(
            f"This note needs a co-signature ({reason}), but no supervising OT is on file for "
            "you: ask the clinic admin to name one."
        ),
        citation="shared/reference/supervision.md",
    )


def _credentials(staff: Any, user: Any) -> str:
    return (staff.credentials or user.role)[:40]


def content_sha256(note: TreatmentNote) -> str:
    """SHA-256 of the note's canonical JSON: what was signed, addenda included."""
    canonical = json.dumps(note_document(note), sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def note_document(note: TreatmentNote) -> dict[str, Any]:
    """The note as a canonical document: identity, entries, totals and addenda."""
    content = content_of(note)
    return {
        "id": str(note.pk),
        "episode": str(note.episode_id),
        "author": str(note.author_id),
        "date_of_service": note.date_of_service.isoformat(),
        "lines": [line.__dict__ for line in content.lines],
        "goals": [
            {"goal": str(g.goal_id), "value": str(g.value), "comment": g.comment}
            for g in content.goals
        ],
        "equipment": [e.__dict__ for e in content.equipment],
        "environment": [e.__dict__ for e in content.environment],
        "caregiver": [c.__dict__ for c in content.caregiver],
        "patient_response": note.patient_response,
        "changes_in_condition": note.changes_in_condition,
        "plan_next_visit": note.plan_next_visit,
        "narrative": note.narrative,
        "total_timed_minutes": note.total_timed_minutes,
        "total_treatment_minutes": note.total_treatment_minutes,
        "addenda": [
            {"at": a.written_at.isoformat(), "reason": a.reason, "text": a.text}
            for a in note.addenda.all()
        ],
    }


# Addenda and co-signature


@transaction.atomic
def note_addendum(*, user: Any, note: TreatmentNote, reason: str, text: str) -> Addendum:
    """A dated, signed correction; the note stays as signed. Answers a return with comments."""
    require(user, Capability.WRITE_TREATMENT_NOTE)
    _same_org(user, note)
    current = TreatmentNote.objects.select_for_update().get(pk=note.pk)
    if not current.locked:
        raise ValidationFailed(
            {"text": ["A draft is edited directly; addenda are for signed notes."]}
        )
    staff = _staff(user)
    if staff.pk not in {current.author_id, current.author.supervising_ot_id}:
        raise NotPermitted("Only the note's author or their supervising OT may add an addendum.")
    errors = {}
    if not reason.strip():
        errors["reason"] = ["Say why the addendum is written (e.g. correction, answer to review)."]
    if not text.strip():
        errors["text"] = ["Write the addendum's text."]
    if errors:
        raise ValidationFailed(errors)
    now = timezone.now()
    addendum = Addendum.objects.create(
        organization_id=current.organization_id,
        note=current,
        author=staff,
        written_at=now,
        reason=reason.strip()[:200],
        text=text.strip(),
    )
    digest = hashlib.sha256(
        json.dumps([str(current.pk), now.isoformat(), addendum.reason, addendum.text]).encode()
    ).hexdigest()
    Signature.objects.create(
        organization_id=current.organization_id,
        signer=user,
        meaning=SignatureMeaning.AUTHOR,
        credentials=_credentials(staff, user),
        signed_at=now,
        content_sha256=digest,
        addendum=addendum,
    )
    if current.status == NoteStatus.RETURNED and staff.pk == current.author_id:
        current.status = NoteStatus.COSIGN_PENDING
        current.save(update_fields=["status", "updated_at"])
    return addendum


@transaction.atomic
def note_cosign(*, user: Any, note: TreatmentNote, comment: str = "") -> CosignReview:
    """The supervising OT's co-signature over the note and its addenda."""
    current, reviewer = _pending_for_reviewer(user, note)
    now = timezone.now()
    Signature.objects.create(
        organization_id=current.organization_id,
        signer=user,
        meaning=SignatureMeaning.COSIGNER,
        credentials=_credentials(reviewer, user),
        signed_at=now,
        content_sha256=content_sha256(current),
        note=current,
    )
    review = CosignReview.objects.create(
        organization_id=current.organization_id,
        note=current,
        reviewer=reviewer,
        decision=CosignDecision.COSIGNED,
        comment=comment.strip(),
        decided_at=now,
    )
    current.status = NoteStatus.COSIGNED
    current.save(update_fields=["status", "updated_at"])
    return review


@transaction.atomic
def note_return(*, user: Any, note: TreatmentNote, comment: str) -> CosignReview:
    """Send the note back to its author with comments; they answer with an addendum."""
    if not comment.strip():
        raise ValidationFailed({"comment": ["Say what the author should address."]})
    current, reviewer = _pending_for_reviewer(user, note)
    review = CosignReview.objects.create(
        organization_id=current.organization_id,
        note=current,
        reviewer=reviewer,
        decision=CosignDecision.RETURNED,
        comment=comment.strip(),
        decided_at=timezone.now(),
    )
    current.status = NoteStatus.RETURNED
    current.save(update_fields=["status", "updated_at"])
    return review


def _pending_for_reviewer(user: Any, note: TreatmentNote) -> tuple[TreatmentNote, Any]:
    require(user, Capability.COSIGN)
    _same_org(user, note)
    current = TreatmentNote.objects.select_for_update().select_related("author").get(pk=note.pk)
    reviewer = _staff(user)
    if current.author.supervising_ot_id != reviewer.pk:
        raise NotPermitted("Only the author's supervising OT (or educator) may co-sign this note.")
    if current.status != NoteStatus.COSIGN_PENDING:
        raise ValidationFailed(
            {"note": [f"This note is {current.get_status_display().lower()}: nothing to co-sign."]}
        )
    return current, reviewer


# Helpers


def _same_org(user: Any, record: Any) -> None:
    if record.organization_id != user.organization_id:
        raise NotPermitted("This record belongs to another organization.")


def _staff(user: Any) -> Any:
    profile = getattr(user, "staff_profile", None)
    if profile is None:
        raise NotPermitted("Only staff with a professional profile may write notes.")
    return profile


def _plan_goals(episode: Episode) -> Any:
    return Goal.objects.filter(plan__episode=episode)


def _active_plan_codes(episode: Episode) -> list[str]:
    plan = episode.plans.filter(status=PlanStatus.ACTIVE).first()
    return list(plan.interventions.values_list("code", flat=True)) if plan else []


def _as_uuid(value: Any) -> Any:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None
