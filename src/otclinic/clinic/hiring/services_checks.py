"""Writes for an applicant's checklists: claimed licenses, NBCOT verification, license lookups,
references and onboarding items. Each records who did it and when; each needs MANAGE_STAFF.

A hired applicant's verification is closed (the staff profile holds the credentials from
then on); their onboarding items stay open to tick in the first days of work.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.common.services import validated_save
from otclinic.clinic.hiring.models import (
    Applicant,
    ClaimedLicense,
    LicenseLookup,
    NbcotVerification,
    OnboardingItem,
    ReferenceCheck,
)
from otclinic.domain.access import Capability
from otclinic.domain.hiring.checklist import CheckResult, ReferenceResult
from otclinic.domain.hiring.pipeline import Stage


def _open_for_verification(user: User, applicant: Applicant) -> None:
    require(user, Capability.MANAGE_STAFF)
    if applicant.stage == Stage.HIRED:
        raise ValidationFailed(
            {"stage": ["The applicant is hired: record credentials on their staff profile."]}
        )


def _lookup_errors(result: str, expires_on: dt.date | None, on: dt.date) -> dict[str, list[str]]:
    if result == CheckResult.ACTIVE and expires_on is None:
        return {"expires_on": ["Give the expiry date the lookup shows for an active credential."]}
    if on > timezone.localdate():
        return {"verified_on": ["The date cannot be in the future."]}
    return {}


@transaction.atomic
def license_claim(*, user: User, applicant: Applicant, state: str, number: str) -> ClaimedLicense:
    """Add a state license the applicant says they hold (one per state)."""
    _open_for_verification(user, applicant)
    if applicant.licenses.filter(state=state).exists():
        raise ValidationFailed({"state": [f"A license for {state} is already recorded."]})
    row = ClaimedLicense(
        organization_id=applicant.organization_id, applicant=applicant, state=state, number=number
    )
    return validated_save(row)


@transaction.atomic
def nbcot_claim(
    *, user: User, applicant: Applicant, nbcot_credential: str, nbcot_number: str
) -> Applicant:
    """Record or correct the NBCOT credential and number the applicant claims.

    Verifications of an earlier number stay on record but no longer count: the offer looks at
    the latest verification, which must be of the number claimed.
    """
    _open_for_verification(user, applicant)
    applicant.nbcot_credential = nbcot_credential
    applicant.nbcot_number = nbcot_number.strip()
    return validated_save(applicant)


@transaction.atomic
def nbcot_verify(
    *,
    user: User,
    applicant: Applicant,
    number: str,
    method: str,
    result: str,
    verified_on: dt.date,
    expires_on: dt.date | None = None,
    notes: str = "",
) -> NbcotVerification:
    """Record what NBCOT's verification showed; the latest verification counts."""
    _open_for_verification(user, applicant)
    errors = _lookup_errors(result, expires_on, verified_on)
    if number != applicant.nbcot_number:
        errors["number"] = [
            f"The number verified ({number}) differs from the one claimed "
            f"({applicant.nbcot_number or 'none'}); correct the claim first or verify the claimed number."
        ]
    if errors:
        raise ValidationFailed(errors)
    row = NbcotVerification(
        organization_id=applicant.organization_id,
        applicant=applicant,
        number=number,
        method=method,
        result=result,
        expires_on=expires_on,
        verified_on=verified_on,
        verified_by=user,
        notes=notes,
    )
    return validated_save(row)


@transaction.atomic
def license_lookup_record(
    *,
    user: User,
    applicant: Applicant,
    license: ClaimedLicense,
    result: str,
    source: str,
    looked_up_on: dt.date,
    expires_on: dt.date | None = None,
) -> LicenseLookup:
    """Record a state board's lookup of one claimed license; the latest lookup counts."""
    _open_for_verification(user, applicant)
    errors = _lookup_errors(result, expires_on, looked_up_on)
    if "verified_on" in errors:
        errors["looked_up_on"] = errors.pop("verified_on")
    if license.applicant_id != applicant.pk:
        errors["license"] = ["Choose one of this applicant's licenses."]
    if errors:
        raise ValidationFailed(errors)
    row = LicenseLookup(
        organization_id=applicant.organization_id,
        license=license,
        result=result,
        expires_on=expires_on,
        source=source,
        looked_up_on=looked_up_on,
        looked_up_by=user,
    )
    return validated_save(row)


@transaction.atomic
def reference_add(*, user: User, applicant: Applicant, name: str, contact: str) -> ReferenceCheck:
    """Add a reference the applicant gave, not yet checked."""
    _open_for_verification(user, applicant)
    if applicant.references.filter(name__iexact=name, contact__iexact=contact).exists():
        raise ValidationFailed({"name": [f"{name} is already on the list."]})
    row = ReferenceCheck(
        organization_id=applicant.organization_id, applicant=applicant, name=name, contact=contact
    )
    return validated_save(row)


@transaction.atomic
def reference_record(
    *,
    user: User,
    applicant: Applicant,
    reference: ReferenceCheck,
    result: str,
    checked_on: dt.date,
    notes: str = "",
) -> ReferenceCheck:
    """Record what a reference said, and who asked them when."""
    _open_for_verification(user, applicant)
    errors: dict[str, list[str]] = {}
    if reference.applicant_id != applicant.pk:
        errors["reference"] = ["Choose one of this applicant's references."]
    if result == ReferenceResult.PENDING:
        errors["result"] = ["Choose what the reference said (or that they did not respond)."]
    if checked_on > timezone.localdate():
        errors["checked_on"] = ["The date cannot be in the future."]
    if errors:
        raise ValidationFailed(errors)
    reference.result = result
    reference.checked_on = checked_on
    reference.checked_by = user
    reference.notes = notes
    return validated_save(reference)


@transaction.atomic
def onboarding_done(*, user: User, applicant: Applicant, item: OnboardingItem) -> OnboardingItem:
    """Tick an onboarding item done, by the user, now; ticking it again changes nothing."""
    require(user, Capability.MANAGE_STAFF)
    if item.applicant_id != applicant.pk:
        raise ValidationFailed({"item": ["Choose one of this applicant's onboarding items."]})
    if applicant.stage == Stage.DECLINED:
        raise ValidationFailed({"stage": ["The applicant is declined; reopen them first."]})
    if item.done_at is None:
        item.done_at = timezone.now()
        item.done_by = user
        validated_save(item)
    return item
