"""A practice with a student, an eligible OT educator and a placement, for fieldwork tests."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from otclinic.clinic.fieldwork.models import FieldworkPlacement
from tests.clinic import factories as f

START = dt.date(2026, 1, 5)
END = dt.date(2026, 6, 19)
EXPERIENCED = dt.date(2020, 6, 1)


@dataclass
class Fieldwork:
    org: Any
    admin: Any  # User, clinic_admin
    student: Any  # StaffProfile
    educator: Any  # StaffProfile (OT)


def fieldwork(*, org: Any = None) -> Fieldwork:
    org = org or f.OrganizationFactory()
    admin = f.staff_user(organization=org, role="clinic_admin")
    student = f.StaffProfileFactory(user__organization=org, user__role="student", npi="")
    educator = f.StaffProfileFactory(
        user__organization=org, user__role="OT", practice_started_on=EXPERIENCED
    )
    return Fieldwork(org, admin, student, educator)


def placement_row(
    *, student: Any = None, educator: Any = None, program: str = "OT", **fields: Any
) -> FieldworkPlacement:
    """A placement written directly (below the service), for constraint and isolation tests."""
    educator = educator or f.StaffProfileFactory(user__role="OT", practice_started_on=EXPERIENCED)
    student = student or f.StaffProfileFactory(
        user__organization=educator.organization, user__role="student", npi=""
    )
    values = {
        "organization": educator.organization,
        "student": student,
        "educator": educator,
        "program": program,
        "school": "State University",
        "level": "II",
        "starts_on": START,
        "ends_on": END,
        "full_time_hours_per_week": Decimal("40"),
        **fields,
    }
    return FieldworkPlacement.objects.create(**values)
