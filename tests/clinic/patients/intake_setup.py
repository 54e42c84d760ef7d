"""Shared setup of the intake tests: a practice, its front desk signed in, a payer."""

import datetime as dt
from typing import Any

from tests.clinic import factories as f


def patient_form(clinic: Any, **values: Any) -> dict[str, Any]:
    """The new-patient form as the front desk fills it in."""
    data = {
        "first_name": "Sydney",
        "last_name": "Garcia",
        "birth_date": "2019-04-07",
        "sex": "F",
        "phone": "(555) 014-2231",
        "home_clinic": str(clinic.pk),
    }
    return data | values


def desk_of(org: Any) -> Any:
    return f.staff_user(organization=org, role="front_desk")


BORN = dt.date(2019, 4, 7)
