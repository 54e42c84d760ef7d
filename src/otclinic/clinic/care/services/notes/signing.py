"""Signing a draft note: the blocking checks, the co-signature rule, and the hash of what is signed.

Signing runs the billing check (errors block), the review before signing (the findings the
clinic chose to block on, `review_adapter`) and the co-signature rule, hashes what was signed
and locks the note: from then on only addenda and the co-signature flow change anything.

A visit can be documented without being billed: signed "not billable" with the clinician's
reason (the patient refused after 7 minutes, treatment stopped for a medical reason, a courtesy
visit...). Any note may be signed so, since the reason is stated; the billing check's errors
then do not block (nothing goes on a claim), the other checks still do, and no charge is made.
"""

import hashlib
import json
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from otclinic.clinic.accounts.models import User
from otclinic.clinic.care.billing_adapter import note_check
from otclinic.clinic.care.hooks import note_pending_proposals
from otclinic.clinic.care.models import (
    NotBillableReason,
    NoteStatus,
    SignatureMeaning,
    TreatmentNote,
)
from otclinic.clinic.care.review_adapter import note_review
from otclinic.clinic.care.services.notes.common import (
    NoteNotSignable,
    draft_for_author,
    signature_create,
)
from otclinic.clinic.care.services.notes.content import NotBillable, content_of
from otclinic.clinic.care.services.notes.sampling import note_sample_for_review
from otclinic.clinic.care.supervision_adapter import authorship_facts
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.staff.credentials import credential_problems_for
from otclinic.domain.compliance.findings import Finding, Severity
from otclinic.domain.compliance.supervision import cosign_required


@transaction.atomic
def note_sign(
    *,
    user: User,
    note: TreatmentNote,
    revision: int,
    not_billable: NotBillable | None = None,
    rng: random.Random | None = None,
) -> TreatmentNote:
    """Sign and lock a draft: billing errors and missing measures refuse it before signing.

    With `not_billable` the note is signed as not billed, with its reason: the billing check's
    errors do not block it. A note that needs a co-signature waits for it; one that does not may
    be picked for the clinic's sampled review (`sampling`, with `rng` the random source in tests).
    """
    current = draft_for_author(user, note, revision)
    if not_billable is not None:
        _check_statement(current, not_billable)
    blocking = _sign_blockers(current, billed=not_billable is None)
    if blocking:
        raise NoteNotSignable(blocking)
    decision = cosign_required(authorship_facts(current))
    author = current.author
    if decision.required and author.supervising_ot_id is None:
        raise NoteNotSignable([_no_supervisor(decision.reason)])
    now = timezone.now()
    sample = note_sample_for_review(
        note=current, cosign_required=decision.required, at=now, rng=rng
    )
    sampled = sample is not None and sample.picked
    pending = decision.required or sampled
    current.status = NoteStatus.COSIGN_PENDING if pending else NoteStatus.SIGNED
    current.cosign_required = decision.required
    current.cosign_reason = (sample.plain if sample and sampled else decision.reason)[:300]
    current.signed_at = now
    if not_billable is not None:
        current.not_billable = True
        current.not_billable_reason = not_billable.reason
        current.not_billable_detail = not_billable.detail.strip()
    current.save()
    signature_create(
        user=user,
        staff=author,
        meaning=SignatureMeaning.AUTHOR,
        signed_at=now,
        digest=content_sha256(current),
        note=current,
    )
    return current


def _check_statement(note: TreatmentNote, statement: NotBillable) -> None:
    """Refuse a not-billable statement without a known reason, an "other" without words, or
    "under 8 timed minutes" on a note whose timed minutes earn a unit in the billing check."""
    if statement.reason not in NotBillableReason.values:
        raise ValidationFailed({"not_billable_reason": ["Choose why this visit is not billed."]})
    if statement.reason == NotBillableReason.OTHER and not statement.detail.strip():
        raise ValidationFailed({"not_billable_detail": ["Say why this visit is not billed."]})
    if len(statement.detail.strip()) > 300:
        raise ValidationFailed({"not_billable_detail": ["Keep the reason to 300 characters."]})
    if statement.reason != NotBillableReason.UNDER_8_MINUTES:
        return
    # The billing check's own count, so that a payer counting units per code is respected.
    decision = note_check(note).decision
    if decision.total_timed_units:
        raise ValidationFailed(
            {
                "not_billable_reason": [
                    f"The note shows {decision.total_timed_minutes} timed minutes, which earn "
                    f"{decision.total_timed_units} unit(s): correct the minutes or choose "
                    "another reason."
                ]
            }
        )


def _sign_blockers(note: TreatmentNote, *, billed: bool = True) -> list[Finding]:
    """What stops signing. A note signed as not billable skips the billing check (nothing goes
    on a claim) and may list no intervention (the patient refused before any treatment)."""
    # A lapsed license or NBCOT certification comes first: nothing else matters until renewed.
    blockers = credential_problems_for(note.author, note.episode.clinic.state, note.date_of_service)
    if billed:
        blockers += [f for f in note_check(note).decision.findings if f.severity is Severity.ERROR]
    for waiting in note_pending_proposals(note=note):
        text = f"The assistant's reading of “{waiting}” waits: accept or discard it first."
        blockers.append(
            Finding(
                rule_id="note.assistant_proposal_pending",
                severity=Severity.ERROR,
                message=text,
                citation="otclinic: the assistant only proposes (docs/assistant.md)",
            )
        )
    if billed and not note.lines.exists():
        blockers.append(_note_finding("note.no_interventions", "The note lists no interventions."))
    for line in note.lines.all():
        if line.therapist_minutes + line.assistant_minutes + line.together_minutes == 0:
            text = f"{line.code} has no minutes: enter today's minutes or remove the line."
            blockers.append(_note_finding("note.line_without_minutes", text))
    for progress in note.goal_progress.select_related("goal"):
        if progress.value is None:
            text = f"The goal '{progress.goal.measure}' was addressed but has no measure."
            blockers.append(_note_finding("note.goal_without_measure", text))
    # The review before signing: the findings the clinic has chosen to block on.
    blockers += [f for f in note_review(note) if f.severity is Severity.ERROR]
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
        citation="rules/supervision_cosign.yaml: the rule named in the message, with its source",
    )


def content_sha256(note: TreatmentNote) -> str:
    """SHA-256 of the note's canonical JSON: what was signed, addenda included."""
    canonical = json.dumps(note_document(note), sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def note_document(note: TreatmentNote) -> dict[str, Any]:
    """The note as a canonical document: identity, entries, totals and addenda (and the
    not-billable statement, when there is one)."""
    content = content_of(note)
    document = {
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
    # Only when set, so that the digests of notes signed before these fields existed still match.
    for section in ("subjective", "assessment"):
        if getattr(note, section):
            document[section] = getattr(note, section)
    if note.not_billable:
        document["not_billable"] = {
            "reason": note.not_billable_reason,
            "detail": note.not_billable_detail,
        }
    return document
