"""Addenda: dated, signed corrections to a signed note, which itself stays as signed."""

import hashlib
import json

from django.db import transaction
from django.utils import timezone

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.care.models import Addendum, NoteStatus, SignatureMeaning, TreatmentNote
from otclinic.clinic.care.services.notes.common import same_org, signature_create, staff_of
from otclinic.clinic.common.errors import NotPermitted, ValidationFailed
from otclinic.domain.access import Capability


@transaction.atomic
def note_addendum(*, user: User, note: TreatmentNote, reason: str, text: str) -> Addendum:
    """A dated, signed correction; the note stays as signed. Answers a return with comments."""
    require(user, Capability.WRITE_TREATMENT_NOTE)
    same_org(user, note)
    current = TreatmentNote.objects.select_for_update().get(pk=note.pk)
    if not current.locked:
        raise ValidationFailed(
            {"text": ["A draft is edited directly; addenda are for signed notes."]}
        )
    staff = staff_of(user)
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
    signature_create(
        user=user,
        staff=staff,
        meaning=SignatureMeaning.AUTHOR,
        signed_at=now,
        digest=digest,
        addendum=addendum,
    )
    if current.status == NoteStatus.RETURNED and staff.pk == current.author_id:
        current.status = NoteStatus.COSIGN_PENDING
        current.save(update_fields=["status", "updated_at"])
    return addendum
