"""What the note services share: their refusals, the author's draft, and signature rows."""

import datetime as dt
from typing import Any

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import organization_id_of, require
from otclinic.clinic.care.models import Signature, TreatmentNote
from otclinic.clinic.common.access import require_same_organization
from otclinic.clinic.common.errors import NotPermitted
from otclinic.clinic.staff.models import StaffProfile
from otclinic.domain.access import Capability
from otclinic.domain.compliance.findings import Finding


class NoteLocked(NotPermitted):
    """The note is signed: it cannot be changed, only amended by an addendum."""


class StaleRevision(ValueError):
    """Someone saved this draft after it was opened: the save is refused, nothing is lost."""


class NoteNotSignable(ValueError):
    """Signing is refused: the findings (billing errors, missing measures) say why."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__("; ".join(f.message for f in findings))
        self.findings = findings


def draft_for_author(
    user: User, note: TreatmentNote, revision: int, editor: str = ""
) -> TreatmentNote:
    """The draft, locked for update, if `user` wrote it and `revision` is the saved one.

    A page that saved the newer revision itself (`editor`, the token of one load of the
    editing page) may save over it: an autosave still in flight when the page saved or signed
    is not someone else's work."""
    require(user, Capability.WRITE_TREATMENT_NOTE)
    same_org(user, note)
    current = TreatmentNote.objects.select_for_update().get(pk=note.pk)
    if current.locked:
        raise NoteLocked("This note is signed and locked: add an addendum to correct it.")
    if current.author.user_id != user.pk:
        raise NotPermitted("Only the author of a draft note may change it.")
    if current.revision != revision and not (editor and current.editor == editor):
        raise StaleRevision(
            f"This draft was saved by someone else since you opened it (your copy is revision "
            f"{revision}, the saved one is {current.revision}). Reload to see their changes; "
            "your entries were not saved."
        )
    return current


def signature_create(
    *,
    user: User,
    staff: StaffProfile,
    meaning: str,
    signed_at: dt.datetime,
    digest: str,
    **document: Any,
) -> Signature:
    """A signature by `user` (as `staff`) on one note or addendum, over `digest`."""
    return Signature.objects.create(
        organization_id=organization_id_of(user),
        signer=user,
        meaning=meaning,
        credentials=(staff.credentials or user.role)[:40],
        signed_at=signed_at,
        content_sha256=digest,
        **document,
    )


def same_org(user: Any, record: Any) -> None:
    """Another organization's record is answered like a missing one (404)."""
    require_same_organization(user, record)


def staff_of(user: User) -> StaffProfile:
    profile: StaffProfile | None = getattr(user, "staff_profile", None)
    if profile is None:
        raise NotPermitted("Only staff with a professional profile may write notes.")
    return profile
