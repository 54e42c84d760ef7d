"""A small practice for supervision tests: a clinic in one state, an OT and the OTA they supervise."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from otclinic.clinic.staff.models import StaffProfile
from otclinic.clinic.supervision.models import SupervisionContact, SupervisionPlan
from tests.clinic import factories as f

TODAY = dt.date(2026, 3, 12)
FIRST_YEAR = dt.date(2025, 9, 1)
VETERAN = dt.date(2018, 1, 1)


@dataclass
class Team:
    org: Any
    clinic: Any
    ot: StaffProfile
    ota: StaffProfile
    admin: Any  # User


def team(*, state: str = "OH", practice_started_on: dt.date = FIRST_YEAR, **clinic: Any) -> Team:
    org = f.OrganizationFactory()
    place = f.ClinicFactory(organization=org, state=state, **clinic)
    ot = f.StaffProfileFactory(
        user__organization=org, user__role="OT", nbcot_credential="OTR", practice_started_on=VETERAN
    )
    ota = f.StaffProfileFactory(
        user__organization=org,
        user__role="OTA",
        supervising_ot=ot,
        practice_started_on=practice_started_on,
    )
    ota.clinics.add(place)
    ot.clinics.add(place)
    admin = f.staff_user(organization=org, role="clinic_admin")
    return Team(org, place, ot, ota, admin)


def plan_row(t: Team, **kw: Any) -> SupervisionPlan:
    values: dict[str, Any] = {
        "organization": t.org,
        "ota": t.ota,
        "supervising_ot": t.ot,
        "contact_every_days": 14,
        "by_in_person": True,
        "notes_cosigned": True,
        "effective_from": TODAY - dt.timedelta(days=60),
    }
    values.update(kw)
    return SupervisionPlan.objects.create(**values)


def contact_row(t: Team, *, days_ago: int = 1, **kw: Any) -> SupervisionContact:
    values: dict[str, Any] = {
        "organization": t.org,
        "ota": t.ota,
        "supervisor": t.ot,
        "contact_on": TODAY - dt.timedelta(days=days_ago),
        "method": "phone",
        "minutes": 30,
        "content": "Reviewed caseload",
        "recorded_by": t.ot.user,
    }
    values.update(kw)
    return SupervisionContact.objects.create(**values)
