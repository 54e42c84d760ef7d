"""Writes to the referral records. Each is one transaction and is audit-logged by the trail."""

from typing import Any

from django.db import transaction

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import organization_id_of, require
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.common.services import validated_save
from otclinic.clinic.referrals.models import ReferringPhysician
from otclinic.domain.access import Capability

PHYSICIAN_FIELDS = frozenset(
    {
        "first_name",
        "last_name",
        "credentials",
        "npi",
        "practice_name",
        "phone",
        "fax",
        "direct_address",
        "preferred_channel",
    }
)


@transaction.atomic
def physician_create(*, user: User, data: dict[str, Any]) -> ReferringPhysician:
    """A referring physician for the user's organization; each NPI is on file once."""
    require(user, Capability.INTAKE_REFERRAL)
    unknown = set(data) - PHYSICIAN_FIELDS
    if unknown:
        raise ValidationFailed({name: ["This field cannot be set here."] for name in unknown})
    npi = str(data.get("npi", "")).strip()
    if ReferringPhysician.objects.for_org(user.organization_id).filter(npi=npi).exists():
        raise ValidationFailed(
            {"npi": [f"A referring physician with NPI {npi} is already on file."]}
        )
    physician = ReferringPhysician(organization_id=organization_id_of(user), **{**data, "npi": npi})
    return validated_save(physician)
