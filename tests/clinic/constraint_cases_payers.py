"""Constraint cases for the payers app's clinic billing codes (collected by test_constraints.py)."""

import datetime as dt
from collections.abc import Callable
from typing import Any

from otclinic.clinic.payers.models import ClinicBillingCode
from tests.clinic import factories as f

Case = Callable[[bool], object]


def _code(**fields: Any) -> ClinicBillingCode:
    values: dict[str, Any] = {
        "code": "T1015",
        "summary": "clinic encounter",
        "source": "State Medicaid fee schedule, 2026",
    }
    if "organization" not in fields:
        values["organization"] = f.OrganizationFactory()
    return ClinicBillingCode.objects.create(**{**values, **fields})


def clinic_code_unique_in_org(bad: bool) -> object:
    first = _code()
    return _code(organization=first.organization, code="T1015" if bad else "T1016")


def clinic_code_kind_known(bad: bool) -> object:
    return _code(kind="hourly" if bad else "untimed")


def clinic_code_unit_minutes_in_range(bad: bool) -> object:
    return _code(unit_minutes=0 if bad else 60)


def clinic_code_dates_in_order(bad: bool) -> object:
    return _code(
        effective_from=dt.date(2026, 3, 1),
        effective_to=dt.date(2026, 2, 28) if bad else dt.date(2026, 3, 1),
    )


PAYERS_CASES: list[tuple[str, Case]] = [
    ("clinic_code_unique_in_org", clinic_code_unique_in_org),
    ("clinic_code_kind_known", clinic_code_kind_known),
    ("clinic_code_unit_minutes_in_range", clinic_code_unit_minutes_in_range),
    ("clinic_code_dates_in_order", clinic_code_dates_in_order),
]
