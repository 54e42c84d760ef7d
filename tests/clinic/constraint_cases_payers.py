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


def _eligibility_file(user: Any, sha256: str = "a" * 64) -> Any:
    from otclinic.clinic.payers.models import EligibilityFile

    return EligibilityFile.objects.create(
        organization=user.organization, kind="270", sha256=sha256, created_by=user
    )


def eligibility_file_once(bad: bool) -> object:
    user = f.UserFactory(role="front_desk")
    _eligibility_file(user)
    return _eligibility_file(user, "a" * 64 if bad else "b" * 64)


def _eligibility_request(coverage: Any, sent_in: Any, **fields: Any) -> Any:
    from otclinic.clinic.payers.models import EligibilityRequest

    values = {
        "organization": coverage.organization,
        "coverage": coverage,
        "service_date": dt.date(2026, 12, 4),
        "trace_number": "T1",
        "sent_in": sent_in,
    }
    return EligibilityRequest.objects.create(**(values | fields))


def eligibility_trace_unique(bad: bool) -> object:
    user = f.UserFactory(role="front_desk")
    sent = _eligibility_file(user)
    first = f.CoverageFactory(patient__organization=user.organization)
    second = f.CoverageFactory(patient__organization=user.organization)
    _eligibility_request(first, sent, trace_number="T1")
    return _eligibility_request(second, sent, trace_number="T1" if bad else "T2")


def eligibility_once_per_day(bad: bool) -> object:
    user = f.UserFactory(role="front_desk")
    sent = _eligibility_file(user)
    coverage = f.CoverageFactory(patient__organization=user.organization)
    _eligibility_request(coverage, sent, trace_number="T1")
    day = dt.date(2026, 12, 4) if bad else dt.date(2026, 12, 5)
    return _eligibility_request(coverage, sent, trace_number="T2", service_date=day)


PAYERS_CASES: list[tuple[str, Case]] = [
    ("eligibility_file_once", eligibility_file_once),
    ("eligibility_trace_unique", eligibility_trace_unique),
    ("eligibility_once_per_day", eligibility_once_per_day),
    ("clinic_code_unique_in_org", clinic_code_unique_in_org),
    ("clinic_code_kind_known", clinic_code_kind_known),
    ("clinic_code_unit_minutes_in_range", clinic_code_unit_minutes_in_range),
    ("clinic_code_dates_in_order", clinic_code_dates_in_order),
]
