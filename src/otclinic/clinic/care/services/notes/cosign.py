"""Co-signature: the supervising OT co-signs a pending note or returns it with comments."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import require, user_may
from otclinic.clinic.care.models import (
    CosignDecision,
    CosignReview,
    NoteStatus,
    SignatureMeaning,
    TreatmentNote,
)
from otclinic.clinic.care.services.notes.common import (
    NoteNotSignable,
    same_org,
    signature_create,
    staff_of,
)
from otclinic.clinic.care.services.notes.signing import content_sha256
from otclinic.clinic.common.errors import NotPermitted, ValidationFailed
from otclinic.clinic.fieldwork.selectors import is_fieldwork_educator
from otclinic.clinic.fieldwork.student_notes import educates_author_on, is_student_note
from otclinic.clinic.staff.credentials import credential_problems_for
from otclinic.domain.access import Capability


@transaction.atomic
def note_cosign(*, user: User, note: TreatmentNote, comment: str = "") -> CosignReview:
    """The supervising OT's co-signature over the note and its addenda."""
    current, reviewer = _pending_for_reviewer(user, note)
    lapsed = credential_problems_for(
        reviewer, current.episode.clinic.state, current.date_of_service
    )
    if lapsed:
        raise NoteNotSignable(lapsed)
    now = timezone.now()
    signature_create(
        user=user,
        staff=reviewer,
        meaning=SignatureMeaning.COSIGNER,
        signed_at=now,
        digest=content_sha256(current),
        note=current,
    )
    return _decide(current, reviewer, CosignDecision.COSIGNED, comment, now)


@transaction.atomic
def note_return(*, user: User, note: TreatmentNote, comment: str) -> CosignReview:
    """Send the note back to its author with comments; they answer with an addendum."""
    if not comment.strip():
        raise ValidationFailed({"comment": ["Say what the author should address."]})
    current, reviewer = _pending_for_reviewer(user, note)
    return _decide(current, reviewer, CosignDecision.RETURNED, comment, timezone.now())


_STATUS_AFTER = {
    CosignDecision.COSIGNED: NoteStatus.COSIGNED,
    CosignDecision.RETURNED: NoteStatus.RETURNED,
}


def _decide(
    note: TreatmentNote, reviewer: Any, decision: CosignDecision, comment: str, at: dt.datetime
) -> CosignReview:
    """The reviewer's decision on record, and the note's status that follows from it."""
    review = CosignReview.objects.create(
        organization_id=note.organization_id,
        note=note,
        reviewer=reviewer,
        decision=decision,
        comment=comment.strip(),
        decided_at=at,
        # In the queue without a rule requiring it: picked for the clinic's sampled review.
        sampled=not note.cosign_required,
    )
    note.status = _STATUS_AFTER[decision]
    note.save(update_fields=["status", "updated_at"])
    return review


def _pending_for_reviewer(user: User, note: TreatmentNote) -> tuple[TreatmentNote, Any]:
    if not is_fieldwork_educator(user=user):
        require(user, Capability.COSIGN)
    same_org(user, note)
    current = TreatmentNote.objects.select_for_update().select_related("author").get(pk=note.pk)
    reviewer = staff_of(user)
    refusal = cosign_refusal(user=user, note=current, reviewer=reviewer)
    if refusal:
        raise NotPermitted(refusal)
    if current.status != NoteStatus.COSIGN_PENDING:
        raise ValidationFailed(
            {"note": [f"This note is {current.get_status_display().lower()}: nothing to co-sign."]}
        )
    return current, reviewer


def cosign_refusal(*, user: User, note: TreatmentNote, reviewer: Any) -> str | None:
    """Why `user` may not co-sign (or return) `note`; None when they may.

    A co-signer (an OT, PT or SLP) reviews the notes of the staff they supervise and of their own
    fieldwork students. An OTA co-signs nothing else than the notes of their own OTA students,
    written during the placement (ACOTE Standards (2018), Level II fieldwork: an OTA with a
    year of practice may be the fieldwork educator of OTA students).
    """
    if note.organization_id != user.organization_id:
        return "This note belongs to another organization."
    educator = educates_author_on(user=user, note=note)
    if user_may(user, Capability.COSIGN):
        if educator or note.author.supervising_ot_id == reviewer.pk:
            return None
        return "Only the author's supervising OT (or educator) may co-sign this note."
    if not is_student_note(note):
        return (
            "An OTA co-signs only the notes of their own fieldwork students; this note is by "
            f"{note.author.user.get_role_display()}, not a student."
        )
    if not educator:
        return (
            "An OTA co-signs only the notes of their own fieldwork students: you are not this "
            f"student's fieldwork educator in a placement on {note.date_of_service}."
        )
    return None


def may_cosign(*, user: User, note: TreatmentNote) -> bool:
    """Whether the note waits for `user`'s co-signature (for the note page's buttons)."""
    if note.status != NoteStatus.COSIGN_PENDING:
        return False
    if not (user_may(user, Capability.COSIGN) or is_fieldwork_educator(user=user)):
        return False
    reviewer = getattr(user, "staff_profile", None)
    return reviewer is not None and cosign_refusal(user=user, note=note, reviewer=reviewer) is None
