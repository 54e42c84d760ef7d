"""Applicants brought through the services to a given point of the pipeline."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from otclinic.clinic.hiring import services, services_checks
from otclinic.clinic.hiring.models import Applicant, JobPosting
from tests.clinic import factories as f

EXPIRES = dt.date(2027, 9, 30)


@dataclass
class Practice:
    org: Any
    admin: Any
    posting: JobPosting


def practice(*, role: str = "OTA") -> Practice:
    org = f.OrganizationFactory()
    admin = f.staff_user(organization=org, role="clinic_admin")
    clinic = f.ClinicFactory(organization=org, state="OH")
    posting = services.posting_create(
        user=admin,
        clinic=clinic,
        title=f"{role} full time",
        role=role,
        employment_type="full_time",
        posted_on=dt.date(2026, 11, 2),
    )
    return Practice(org, admin, posting)


def applied(p: Practice, **fields: Any) -> Applicant:
    values = {
        "first_name": "Avery",
        "last_name": "Sample",
        "email": "avery.sample@example.org",
        "nbcot_credential": "COTA",
        "nbcot_number": "TEST-COTA-0001",
        "license_state": "OH",
        "license_number": "TEST-OTA-1",
        **fields,
    }
    return services.applicant_create(user=p.admin, posting=p.posting, **values)


def move(p: Practice, applicant: Applicant, *stages: str) -> Applicant:
    for stage in stages:
        applicant = services.stage_move(user=p.admin, applicant=applicant, to=stage)
    return applicant


def verify(p: Practice, applicant: Applicant, *, on: dt.date, references: int = 2) -> None:
    """A clean checklist: NBCOT and every license active, `references` favourable references."""
    services_checks.nbcot_verify(
        user=p.admin,
        applicant=applicant,
        number=applicant.nbcot_number,
        method="online",
        result="active",
        expires_on=EXPIRES,
        verified_on=on,
    )
    for claimed in applicant.licenses.all():
        services_checks.license_lookup_record(
            user=p.admin,
            applicant=applicant,
            license=claimed,
            result="active",
            expires_on=EXPIRES,
            source="Ohio OT board license lookup",
            looked_up_on=on,
        )
    for n in range(references):
        ref = services_checks.reference_add(
            user=p.admin, applicant=applicant, name=f"Reference {n}", contact=f"555-01{n:02d}"
        )
        services_checks.reference_record(
            user=p.admin, applicant=applicant, reference=ref, result="favourable", checked_on=on
        )


def before_hire_done(p: Practice, applicant: Applicant) -> None:
    for item in applicant.onboarding.filter(before_hire=True):
        services_checks.onboarding_done(user=p.admin, applicant=applicant, item=item)


def offered(p: Practice, *, on: dt.date, **fields: Any) -> Applicant:
    """An applicant with a clean checklist, moved to offered, ready to hire."""
    applicant = applied(p, **fields)
    verify(p, applicant, on=on)
    return move(p, applicant, "screened", "interviewed", "offered")
