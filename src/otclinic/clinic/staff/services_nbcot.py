"""Recording or renewing a clinician's NBCOT certification (clinic admins only).

An OT holds OTR and an OTA holds COTA (NBCOT certifies each at its own level; the OTA works under
an OT's supervision, 42 CFR 410.59(c)(2)), so the credential must match the role.
A renewal sets the new number and expiry on the staff profile; the credential checks read the
profile, so a lapsed certification stops blocking signing, booking and claims at once.
"""

import datetime as dt

from django.db import transaction

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.common.access import require_same_organization
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.common.services import validated_save
from otclinic.clinic.staff.models import NbcotCredential, StaffProfile
from otclinic.domain.access import Capability
from otclinic.domain.codes import Role

_CREDENTIAL_FOR_ROLE = {str(Role.OT): NbcotCredential.OTR, str(Role.OTA): NbcotCredential.COTA}


@transaction.atomic
def nbcot_record(
    *,
    user: User,
    staff: StaffProfile,
    nbcot_credential: str,
    nbcot_number: str,
    nbcot_expires_on: dt.date,
    today: dt.date,
) -> StaffProfile:
    """Record or renew `staff`'s NBCOT certification. The same values again change nothing."""
    require(user, Capability.MANAGE_STAFF)
    require_same_organization(user, staff)
    # Lock the row, then read its current values into the caller's object (which the page
    # re-renders from).
    list(StaffProfile.objects.select_for_update().filter(pk=staff.pk).values_list("pk"))
    staff.refresh_from_db()
    role = staff.user.role
    expected = _CREDENTIAL_FOR_ROLE.get(role)
    if expected is None:
        raise ValidationFailed(
            {"nbcot_credential": [f"Only OTs and OTAs hold NBCOT certification, not a {role}."]}
        )
    if nbcot_credential != expected:
        raise ValidationFailed(
            {
                "nbcot_credential": [
                    f"An {role} holds {expected.value}, not {nbcot_credential or 'nothing'}: "
                    "NBCOT certifies OTs as OTR and OTAs as COTA."
                ]
            }
        )
    number = nbcot_number.strip()
    if not number:
        raise ValidationFailed({"nbcot_number": ["Enter the NBCOT certification number."]})
    if nbcot_expires_on < today:
        raise ValidationFailed(
            {
                "nbcot_expires_on": [
                    f"The expiry date must not be before today ({today}): "
                    "a certification that has already run out is not a renewal."
                ]
            }
        )
    current = (staff.nbcot_credential, staff.nbcot_number, staff.nbcot_expires_on)
    if current == (expected.value, number, nbcot_expires_on):
        return staff
    staff.nbcot_credential = expected.value
    staff.nbcot_number = number
    staff.nbcot_expires_on = nbcot_expires_on
    return validated_save(staff)
