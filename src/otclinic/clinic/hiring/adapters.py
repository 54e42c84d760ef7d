"""Hiring rows as the facts of otclinic.domain.hiring."""

import datetime as dt
import uuid
from typing import Any

from otclinic.clinic.hiring import models
from otclinic.clinic.hiring.models import (
    Applicant,
    HiringSettings,
    LicenseLookup,
    NbcotVerification,
)
from otclinic.domain.codes import Role
from otclinic.domain.compliance.findings import Finding
from otclinic.domain.hiring.checklist import (
    ApplicantChecks,
    CheckResult,
    ClaimedLicense,
    Lookup,
    Reference,
    ReferenceResult,
)
from otclinic.domain.hiring.policy import default_onboarding, default_references_required

# Which checklist section each finding belongs to: the "field" a refusal names.
SECTIONS = {"nbcot": "nbcot", "license": "licenses", "references": "references"}


def settings_for(organization_id: uuid.UUID, *, on: dt.date) -> HiringSettings:
    """The practice's hiring settings, or (unsaved) otclinic's defaults when it has none."""
    found = HiringSettings.objects.filter(organization_id=organization_id).first()
    if found is not None:
        return found
    return HiringSettings(
        organization_id=organization_id,
        references_required=default_references_required(on),
        onboarding_items=[
            {"label": item.label, "before_hire": item.before_hire}
            for item in default_onboarding(on)
        ],
    )


def _lookup(row: Any) -> Lookup | None:
    return None if row is None else Lookup(CheckResult(row.result), row.expires_on)


def latest_license_lookup(claimed: models.ClaimedLicense) -> LicenseLookup | None:
    return claimed.lookups.order_by("-looked_up_on", "-created_at").first()


def latest_nbcot_verification(applicant: Applicant) -> NbcotVerification | None:
    """The latest verification of the number the applicant claims (an earlier claim's do not count)."""
    return (
        applicant.nbcot_checks.filter(number=applicant.nbcot_number)
        .order_by("-verified_on", "-created_at")
        .first()
    )


def applicant_checks(applicant: Applicant, *, on: dt.date) -> ApplicantChecks:
    """What the offer and the hire look at, from the applicant's latest checks."""
    nbcot = latest_nbcot_verification(applicant)
    return ApplicantChecks(
        role=Role(applicant.posting.role),
        practice_state=applicant.posting.clinic.state,
        nbcot_number=applicant.nbcot_number,
        nbcot=_lookup(nbcot),
        licenses=tuple(
            ClaimedLicense(lic.state, lic.number, _lookup(latest_license_lookup(lic)))
            for lic in applicant.licenses.all()
        ),
        references=tuple(
            Reference(ref.name, ReferenceResult(ref.result)) for ref in applicant.references.all()
        ),
        references_required=settings_for(applicant.organization_id, on=on).references_required,
        open_before_hire=tuple(
            item.label
            for item in applicant.onboarding.all()
            if item.before_hire and item.done_at is None
        ),
    )


def errors_by_section(findings: tuple[Finding, ...]) -> dict[str, list[str]]:
    """Findings as a service's field errors, each under the checklist section it is about."""
    errors: dict[str, list[str]] = {}
    for finding in findings:
        part = finding.rule_id.split(".")[1]
        errors.setdefault(SECTIONS.get(part, part), []).append(finding.message)
    return errors
