"""The questions lower apps ask that the portal answers (common.hooks), registered when Django
starts (`PortalConfig.ready`)."""

import uuid
from typing import Any

from otclinic.clinic.patients.hooks import portal_shared_patient_ids
from otclinic.clinic.portal.access import portal_home_for


def shared_patient_ids(*, user: Any, scope: str | None) -> list[uuid.UUID]:
    """`patients.hooks.portal_shared_patient_ids`: from the user's grants of today."""
    grants = portal_home_for(user=user).grants
    return [g.patient.pk for g in grants if scope is None or g.may(scope)]


def register() -> None:
    portal_shared_patient_ids.register(shared_patient_ids)
