"""The front desk's registration of a new patient: a warning about charts that may already be
theirs, then the chart, numbered by the organization's pattern.

The warning is not a refusal: twins and namesakes exist. The desk reads the possible matches
(with links to their charts) and either opens one or confirms "create anyway". A form sent
twice (a double click) finds the first submission's chart as a match and warns instead of
creating a second one.
"""

from typing import Any

from django.db import transaction

from otclinic.clinic.patients import services
from otclinic.clinic.patients.duplicates import possible_duplicates_for_user
from otclinic.clinic.patients.models import Patient


class PossibleDuplicates(Exception):
    """Patients on file who may be the one being registered; nothing was written."""

    def __init__(self, matches: list[Patient]) -> None:
        self.matches = matches
        super().__init__(f"{len(matches)} possible duplicate(s)")


@transaction.atomic
def patient_register(*, user: Any, data: dict[str, Any], create_anyway: bool = False) -> Patient:
    """A new patient, unless charts born the same day with a similar name are on file and the
    desk has not confirmed: then PossibleDuplicates names them."""
    if not create_anyway:
        matches = possible_duplicates_for_user(
            user=user,
            first_name=str(data.get("first_name", "")),
            last_name=str(data.get("last_name", "")),
            birth_date=data.get("birth_date"),
        )
        if matches:
            raise PossibleDuplicates(matches)
    return services.patient_create(user=user, data=data)
