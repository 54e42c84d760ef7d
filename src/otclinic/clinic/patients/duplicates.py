"""Patients already on file who may be the one the front desk is about to register."""

import datetime as dt
from typing import Any

from otclinic.clinic.patients.models import Patient
from otclinic.clinic.patients.selectors import patients_for_user
from otclinic.domain.patients.duplicates import Name, names_may_match

MAX_SHOWN = 10


def possible_duplicates_for_user(
    *, user: Any, first_name: str, last_name: str, birth_date: dt.date | None
) -> list[Patient]:
    """Patients of the user's organization born the same day whose names may be the same
    person's (by sound or near spelling, either name order); at most `MAX_SHOWN`."""
    if birth_date is None:
        return []
    wanted = Name(first_name, last_name)
    born_that_day = patients_for_user(user=user).filter(birth_date=birth_date)
    return [
        p
        for p in born_that_day.select_related("home_clinic").order_by("last_name", "first_name")
        if names_may_match(wanted, Name(p.first_name, p.last_name))
    ][:MAX_SHOWN]
