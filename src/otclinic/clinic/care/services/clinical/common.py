"""What the clinical-document services share: who may write, same-organization checks, signing."""

import hashlib
import json
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import organization_id_of, require
from otclinic.clinic.care.models import Episode, EpisodeStatus, Signature, SignatureMeaning
from otclinic.clinic.common.access import require_same_organization
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.common.services import validated_save
from otclinic.clinic.staff.models import StaffProfile
from otclinic.domain.access import Capability
from otclinic.domain.codes import Discipline, Role
from otclinic.domain.compliance.episode_model import THERAPIST_FOR


class AlreadySigned(ValidationFailed):
    """A signed document cannot be changed."""

    def __init__(self, what: str) -> None:
        super().__init__({"__all__": [f"This {what} is signed and can no longer be changed."]})


def staff_of(user: User) -> StaffProfile:
    profile: StaffProfile | None = getattr(user, "staff_profile", None)
    if profile is None:
        raise PermissionDenied("only staff with a clinician profile may write clinical documents")
    return profile


def require_therapist(user: User, episode: Episode, capability: Capability) -> StaffProfile:
    """The user's staff profile, if the user is the therapist of the episode's discipline."""
    require(user, capability)
    require_same_organization(user, episode)
    therapist = THERAPIST_FOR[Discipline(episode.discipline)]
    if Role(user.role).value != therapist.value:
        raise PermissionDenied(
            f"only an {therapist.value} may do this on an {episode.discipline} episode"
        )
    return staff_of(user)


def content_hash(content: dict[str, Any]) -> str:
    return hashlib.sha256(
        json.dumps(content, sort_keys=True, default=str).encode("utf-8")
    ).hexdigest()


def sign(*, user: User, document: str, target: Any, content: dict[str, Any]) -> Signature:
    """The author's signature on one document, with a hash of what was signed."""
    staff = staff_of(user)
    return validated_save(
        Signature(
            organization_id=organization_id_of(user),
            signer=user,
            meaning=SignatureMeaning.AUTHOR,
            credentials=staff.credentials or user.role,
            signed_at=timezone.now(),
            content_sha256=content_hash(content),
            **{document: target},
        )
    )


def same_org(user: Any, *rows: Any) -> None:
    """Another organization's record is answered like a missing one (404)."""
    require_same_organization(user, *rows)


def refuse_if_closed(episode: Episode) -> None:
    if episode.status != EpisodeStatus.OPEN:
        raise ValidationFailed({"__all__": ["This episode is closed; open a new one."]})
