"""Writes for hiring: postings, applicants and their moves through the pipeline, settings.

Every write needs MANAGE_STAFF (clinic admins). The allowed moves are the domain's table
(otclinic.domain.hiring.pipeline); an offer also needs the verification checklist complete and
clean (domain.hiring.checklist). The hire itself is `hire.applicant_hire`. Rows are
audit-logged by the OrgOwned signals.
"""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import organization_id_of, require
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.common.services import validated_save
from otclinic.clinic.hiring.adapters import applicant_checks, errors_by_section, settings_for
from otclinic.clinic.hiring.models import (
    Applicant,
    ClaimedLicense,
    HiringSettings,
    JobPosting,
    OnboardingItem,
    PostingStatus,
    StageMove,
)
from otclinic.clinic.organizations.models import Clinic
from otclinic.domain.access import Capability
from otclinic.domain.hiring.checklist import offer_blockers
from otclinic.domain.hiring.pipeline import ALLOWED_MOVES, Stage, move_refusal


@transaction.atomic
def posting_create(
    *,
    user: User,
    clinic: Clinic,
    title: str,
    role: str,
    employment_type: str,
    posted_on: dt.date,
    closes_on: dt.date | None = None,
    description: str = "",
) -> JobPosting:
    """Open a job posting at one of the practice's clinics."""
    require(user, Capability.MANAGE_STAFF)
    if clinic.organization_id != user.organization_id:
        raise ValidationFailed({"clinic": ["Choose a clinic of this practice."]})
    if closes_on is not None and closes_on < posted_on:
        raise ValidationFailed(
            {"closes_on": [f"The closing date must be on or after {posted_on}."]}
        )
    posting = JobPosting(
        organization_id=user.organization_id,
        clinic=clinic,
        title=title,
        role=role,
        employment_type=employment_type,
        description=description,
        posted_on=posted_on,
        closes_on=closes_on,
    )
    return validated_save(posting)


@transaction.atomic
def posting_close(*, user: User, posting: JobPosting) -> JobPosting:
    """Close a posting (closing a closed one changes nothing); its applicants stay as they are."""
    require(user, Capability.MANAGE_STAFF)
    if posting.status != PostingStatus.CLOSED:
        posting.status = PostingStatus.CLOSED
        if posting.closes_on is None or posting.closes_on > timezone.localdate():
            posting.closes_on = max(timezone.localdate(), posting.posted_on)
        validated_save(posting)
    return posting


@transaction.atomic
def applicant_create(
    *,
    user: User,
    posting: JobPosting,
    first_name: str,
    last_name: str,
    email: str,
    phone: str = "",
    nbcot_credential: str = "",
    nbcot_number: str = "",
    license_state: str = "",
    license_number: str = "",
) -> Applicant:
    """Add an applicant to an open posting, with the clinic's onboarding checklist."""
    require(user, Capability.MANAGE_STAFF)
    errors: dict[str, list[str]] = {}
    if posting.status != PostingStatus.OPEN:
        errors["posting"] = ["The posting is closed; add the applicant to an open posting."]
    if posting.applicants.filter(email__iexact=email).exists():
        errors["email"] = [f"{email} has already applied to this posting."]
    if bool(license_state) != bool(license_number):
        field = "license_number" if license_state else "license_state"
        errors[field] = ["Give both the license's state and its number, or neither."]
    if errors:
        raise ValidationFailed(errors)
    applicant = Applicant(
        organization_id=posting.organization_id,
        posting=posting,
        first_name=first_name,
        last_name=last_name,
        email=email,
        phone=phone,
        nbcot_credential=nbcot_credential,
        nbcot_number=nbcot_number,
        stage=Stage.APPLIED,
        stage_changed_at=timezone.now(),
        stage_changed_by=user,
    )
    validated_save(applicant)
    record_move(applicant, "", user, "")
    if license_state:
        validated_save(
            ClaimedLicense(
                organization_id=applicant.organization_id,
                applicant=applicant,
                state=license_state,
                number=license_number,
            )
        )
    _copy_onboarding(applicant)
    return applicant


def _copy_onboarding(applicant: Applicant) -> None:
    """The checklist is the clinic's settings on the day of the application (later edits of
    the settings do not change checklists already started)."""
    settings = settings_for(applicant.organization_id, on=timezone.localdate())
    for position, item in enumerate(settings.onboarding_items, start=1):
        validated_save(
            OnboardingItem(
                organization_id=applicant.organization_id,
                applicant=applicant,
                label=item["label"],
                before_hire=bool(item.get("before_hire")),
                position=position,
            )
        )


def record_move(applicant: Applicant, from_stage: str, user: User, reason: str) -> None:
    validated_save(
        StageMove(
            organization_id=applicant.organization_id,
            applicant=applicant,
            from_stage=from_stage,
            to_stage=applicant.stage,
            moved_at=applicant.stage_changed_at,
            moved_by=user,
            reason=reason,
        )
    )


def locked(applicant: Applicant) -> Applicant:
    """The applicant's row, locked until the transaction ends, so two moves cannot cross."""
    return (
        Applicant.objects.select_for_update().select_related("posting__clinic").get(pk=applicant.pk)
    )


@transaction.atomic
def stage_move(*, user: User, applicant: Applicant, to: str, reason: str = "") -> Applicant:
    """Move an applicant to another stage, if the pipeline allows it (hiring: `applicant_hire`).

    An offer is refused until the verification checklist is complete and clean; each
    unverified or unclean item is named under its section (nbcot, licenses, references).
    """
    require(user, Capability.MANAGE_STAFF)
    applicant = locked(applicant)
    current, target = applicant.stage_enum, Stage(to)
    refusal = move_refusal(current, target, reason=reason)
    if refusal is None and target == Stage.HIRED:
        refusal = "Hire with the hire button: it creates the staff profile and the account."
    if refusal:
        declining = target == Stage.DECLINED and target in ALLOWED_MOVES[current]
        raise ValidationFailed({"reason" if declining else "stage": [refusal]})
    if target == Stage.OFFERED:
        found = offer_blockers(
            applicant_checks(applicant, on=timezone.localdate()), on=timezone.localdate()
        )
        if found:
            raise ValidationFailed(errors_by_section(found))
    applicant.stage = target
    applicant.stage_changed_at = timezone.now()
    applicant.stage_changed_by = user
    applicant.declined_reason = reason.strip() if target == Stage.DECLINED else ""
    validated_save(applicant)
    record_move(applicant, current, user, reason.strip())
    return applicant


@transaction.atomic
def settings_update(
    *, user: User, references_required: int, onboarding_items: list[dict[str, Any]]
) -> HiringSettings:
    """Set the references an offer needs and the onboarding checklist for new applicants."""
    require(user, Capability.MANAGE_STAFF)
    errors: dict[str, list[str]] = {}
    if not 0 <= references_required <= 10:
        errors["references_required"] = ["Between 0 and 10 references."]
    labels = [str(item["label"]).strip() for item in onboarding_items]
    if any(not label or len(label) > 120 for label in labels):
        errors["onboarding_items"] = ["Each item needs a label of at most 120 characters."]
    elif len({label.lower() for label in labels}) != len(labels):
        errors["onboarding_items"] = ["Each item may appear once."]
    if errors:
        raise ValidationFailed(errors)
    row = settings_for(organization_id_of(user), on=timezone.localdate())
    row.references_required = references_required
    row.onboarding_items = [
        {"label": label, "before_hire": bool(item.get("before_hire"))}
        for label, item in zip(labels, onboarding_items, strict=True)
    ]
    return validated_save(row)
