"""Django validators over the pure domain's identifier and code checks."""

from django.core.exceptions import ValidationError

from otclinic.domain.diagnoses import check_icd10
from otclinic.domain.identifiers import member_id_problem, npi_problem

US_STATES = [
    "AL",
    "AK",
    "AZ",
    "AR",
    "CA",
    "CO",
    "CT",
    "DE",
    "DC",
    "FL",
    "GA",
    "HI",
    "ID",
    "IL",
    "IN",
    "IA",
    "KS",
    "KY",
    "LA",
    "ME",
    "MD",
    "MA",
    "MI",
    "MN",
    "MS",
    "MO",
    "MT",
    "NE",
    "NV",
    "NH",
    "NJ",
    "NM",
    "NY",
    "NC",
    "ND",
    "OH",
    "OK",
    "OR",
    "PA",
    "RI",
    "SC",
    "SD",
    "TN",
    "TX",
    "UT",
    "VT",
    "VA",
    "WA",
    "WV",
    "WI",
    "WY",
    "PR",
    "VI",
    "GU",
]
STATE_CHOICES = [(s, s) for s in US_STATES]


def validate_npi(value: str) -> None:
    problem = npi_problem(value)
    if problem:
        raise ValidationError(f"Invalid NPI {value!r}: {problem}.", code="npi")


def validate_member_id(value: str) -> None:
    problem = member_id_problem(value)
    if problem:
        raise ValidationError(f"Invalid member id: {problem}.", code="member_id")


def validate_icd10(value: str) -> None:
    result = check_icd10(value)
    if result.problem:
        raise ValidationError(result.problem[0].upper() + result.problem[1:] + ".", code="icd10")
