"""Signing a draft note: the blocking checks, the co-signature rule, and the hash of what is signed.

Signing runs the billing check (errors block) and the co-signature rule, hashes what was signed
and locks the note: from then on only addenda and the co-signature flow change anything.
"""

import hashlib
import json
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from otclinic.clinic.care.billing_adapter import note_decision
from otclinic.clinic.care.models import NoteStatus, SignatureMeaning, TreatmentNote
from otclinic.clinic.care.services.notes.common import (
    NoteNotSignable,
    draft_for_author,
    signature_create,
)
from otclinic.clinic.care.services.notes.content import content_of
from otclinic.clinic.care.services.notes.sampling import note_sample_for_review
from otclinic.clinic.care.supervision_adapter import authorship_facts
from otclinic.clinic.staff.credentials import credential_problems_for
from otclinic.domain.compliance.findings import Finding, Severity
from otclinic.domain.compliance.supervision import cosign_required


@transaction.atomic
def note_sign(
    *, user: Any, note: TreatmentNote, revision: int, rng: random.Random | None = None
) -> TreatmentNote:
    """Sign and lock a draft: billing errors and missing measures refuse it before signing.

    A note that needs a co-signature waits for it; one that does not may be picked for the
    clinic's sampled review (`sampling`, with `rng` as the random source in tests).
    """
    current = draft_for_author(user, note, revision)
    blocking = _sign_blockers(current)
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
    current.cosign_reason = (sample.reason if sample and sampled else decision.reason)[:300]
    current.signed_at = now
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


def _sign_blockers(note: TreatmentNote) -> list[Finding]:
    # A lapsed license or NBCOT certification comes first: nothing else matters until renewed.
    blockers = credential_problems_for(note.author, note.episode.clinic.state, note.date_of_service)
    blockers += [f for f in note_decision(note).findings if f.severity is Severity.ERROR]
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
        citation="rules/supervision_cosign.yaml: the rule named in the message, with its source",
    )


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
