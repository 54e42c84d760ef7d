"""A practice with a clinic admin and an open posting; rows written below the services."""

import datetime as dt
from typing import Any

from django.utils import timezone

from otclinic.clinic.hiring.models import Applicant, ClaimedLicense, JobPosting
from tests.clinic import factories as f

POSTED = dt.date(2026, 11, 2)
TODAY = dt.date(2026, 11, 27)
LATER = dt.date(2027, 9, 30)


def posting_row(*, org: Any = None, **fields: Any) -> JobPosting:
    org = org or f.OrganizationFactory()
    values = {
        "organization": org,
        "clinic": f.ClinicFactory(organization=org, state="OH"),
        "title": "Occupational therapy assistant",
        "role": "OTA",
        "employment_type": "full_time",
        "posted_on": POSTED,
        **fields,
    }
    return JobPosting.objects.create(**values)


def applicant_row(*, posting: Any = None, admin: Any = None, **fields: Any) -> Applicant:
    posting = posting or posting_row()
    admin = admin or f.staff_user(organization=posting.organization, role="clinic_admin")
    values = {
        "organization": posting.organization,
        "posting": posting,
        "first_name": "Avery",
        "last_name": "Sample",
        "email": "avery.sample@example.org",
        "nbcot_credential": "COTA",
        "nbcot_number": "TEST-COTA-0001",
        "stage_changed_at": timezone.now(),
        "stage_changed_by": admin,
        **fields,
    }
    return Applicant.objects.create(**values)


def claimed_license_row(applicant: Any, state: str = "OH") -> ClaimedLicense:
    return ClaimedLicense.objects.create(
        organization=applicant.organization, applicant=applicant, state=state, number="TEST-OTA-1"
    )
