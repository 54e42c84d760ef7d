"""Constraint cases for the hiring tables (collected by test_constraints.py)."""

from collections.abc import Callable

from django.utils import timezone

from otclinic.clinic.hiring.models import (
    HiringSettings,
    LicenseLookup,
    NbcotVerification,
    OnboardingItem,
    ReferenceCheck,
)
from tests.clinic import factories as f
from tests.clinic.hiring.helpers import (
    LATER,
    POSTED,
    TODAY,
    applicant_row,
    claimed_license_row,
    posting_row,
)

Case = Callable[[bool], object]


def hiring_posting_closes_after_posted(bad: bool) -> object:
    return posting_row(closes_on=POSTED.replace(day=1) if bad else POSTED)


def hiring_posting_role_hirable(bad: bool) -> object:
    return posting_row(role="patient" if bad else "front_desk")


def hiring_applicant_once_per_posting(bad: bool) -> object:
    first = applicant_row()
    email = first.email if bad else "someone.else@example.org"
    return applicant_row(posting=first.posting, admin=first.stage_changed_by, email=email)


def hiring_declined_has_reason(bad: bool) -> object:
    return applicant_row(stage="declined", declined_reason="" if bad else "Took another job")


def hiring_hired_has_staff_profile(bad: bool) -> object:
    posting = posting_row()
    staff = None if bad else f.StaffProfileFactory(user__organization=posting.organization)
    return applicant_row(posting=posting, stage="hired", staff_profile=staff)


def hiring_stage_known(bad: bool) -> object:
    return applicant_row(stage="ghosted" if bad else "screened")


def hiring_claimed_license_once_per_state(bad: bool) -> object:
    applicant = applicant_row()
    claimed_license_row(applicant, "OH")
    return claimed_license_row(applicant, "OH" if bad else "KY")


def hiring_license_active_has_expiry(bad: bool) -> object:
    applicant = applicant_row()
    return LicenseLookup.objects.create(
        organization=applicant.organization,
        license=claimed_license_row(applicant),
        result="active",
        expires_on=None if bad else LATER,
        source="Ohio OT board license lookup",
        looked_up_on=TODAY,
        looked_up_by=applicant.stage_changed_by,
    )


def hiring_nbcot_active_has_expiry(bad: bool) -> object:
    applicant = applicant_row()
    return NbcotVerification.objects.create(
        organization=applicant.organization,
        applicant=applicant,
        number=applicant.nbcot_number,
        method="online",
        result="active",
        expires_on=None if bad else LATER,
        verified_on=TODAY,
        verified_by=applicant.stage_changed_by,
    )


def hiring_reference_checked_has_who_and_when(bad: bool) -> object:
    applicant = applicant_row()
    return ReferenceCheck.objects.create(
        organization=applicant.organization,
        applicant=applicant,
        name="Former supervisor",
        contact="555-0100",
        result="favourable",
        checked_on=None if bad else TODAY,
        checked_by=applicant.stage_changed_by,
    )


def _item(applicant: object, label: str, *, done: bool = False, by: object = None) -> object:
    return OnboardingItem.objects.create(
        organization=applicant.organization,  # type: ignore[attr-defined]
        applicant=applicant,
        label=label,
        position=1,
        done_at=timezone.now() if done else None,
        done_by=by,
    )


def hiring_onboarding_item_once(bad: bool) -> object:
    applicant = applicant_row()
    _item(applicant, "Orientation")
    return _item(applicant, "Orientation" if bad else "HIPAA training")


def hiring_onboarding_done_has_who_and_when(bad: bool) -> object:
    applicant = applicant_row()
    return _item(
        applicant, "Orientation", done=True, by=None if bad else applicant.stage_changed_by
    )


def _settings(org: object, references: int) -> HiringSettings:
    return HiringSettings.objects.create(organization=org, references_required=references)


def hiring_settings_one_per_org(bad: bool) -> object:
    first = _settings(f.OrganizationFactory(), 2)
    return _settings(first.organization if bad else f.OrganizationFactory(), 3)


def hiring_settings_references_at_most_ten(bad: bool) -> object:
    return _settings(f.OrganizationFactory(), 11 if bad else 10)


HIRING_CASES: list[tuple[str, Case]] = [
    (fn.__name__, fn)
    for fn in (
        hiring_posting_closes_after_posted,
        hiring_posting_role_hirable,
        hiring_applicant_once_per_posting,
        hiring_declined_has_reason,
        hiring_hired_has_staff_profile,
        hiring_stage_known,
        hiring_claimed_license_once_per_state,
        hiring_license_active_has_expiry,
        hiring_nbcot_active_has_expiry,
        hiring_reference_checked_has_who_and_when,
        hiring_onboarding_item_once,
        hiring_onboarding_done_has_who_and_when,
        hiring_settings_one_per_org,
        hiring_settings_references_at_most_ten,
    )
]
