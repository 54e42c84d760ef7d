"""Constraint cases for intake: the MRN pattern and coverage authorizations (collected by
test_constraints.py)."""

import datetime as dt
from collections.abc import Callable
from typing import Any

from otclinic.clinic.patients.models import MrnPattern
from otclinic.clinic.payers.models import Authorization
from tests.clinic import factories as f

Case = Callable[[bool], object]


def _pattern(**fields: Any) -> MrnPattern:
    if "organization" not in fields:
        fields["organization"] = f.OrganizationFactory()
    return MrnPattern.objects.create(**fields)


def mrn_pattern_one_per_org(bad: bool) -> object:
    first = _pattern()
    return _pattern(organization=first.organization if bad else f.OrganizationFactory())


def mrn_pattern_digits_3_to_12(bad: bool) -> object:
    return _pattern(digits=13 if bad else 12)


def mrn_pattern_next_number_positive(bad: bool) -> object:
    return _pattern(next_number=0 if bad else 1)


def _authorization(coverage: Any = None, **fields: Any) -> Authorization:
    coverage = coverage or f.CoverageFactory()
    values: dict[str, Any] = {
        "organization": coverage.organization,
        "coverage": coverage,
        "discipline": "OT",
        "number": "A1",
        "visits": 12,
        "starts_on": dt.date(2026, 12, 1),
        "ends_on": dt.date(2027, 2, 28),
    }
    return Authorization.objects.create(**(values | fields))


def authorization_ends_after_start(bad: bool) -> object:
    return _authorization(ends_on=dt.date(2026, 11, 30) if bad else dt.date(2026, 12, 1))


def authorization_visits_positive(bad: bool) -> object:
    return _authorization(visits=0 if bad else 1)


def authorization_discipline_known(bad: bool) -> object:
    return _authorization(discipline="XX" if bad else "SLP")


def authorization_unique(bad: bool) -> object:
    first = _authorization()
    return _authorization(first.coverage, number="A1" if bad else "A2")


INTAKE_CASES: list[tuple[str, Case]] = [
    ("mrn_pattern_one_per_org", mrn_pattern_one_per_org),
    ("mrn_pattern_digits_3_to_12", mrn_pattern_digits_3_to_12),
    ("mrn_pattern_next_number_positive", mrn_pattern_next_number_positive),
    ("authorization_ends_after_start", authorization_ends_after_start),
    ("authorization_visits_positive", authorization_visits_positive),
    ("authorization_discipline_known", authorization_discipline_known),
    ("authorization_unique", authorization_unique),
]
