"""Constraint cases for the staff app's tables (collected by test_constraints.py)."""

import datetime as dt
from collections.abc import Callable

from django.utils import timezone

from otclinic.clinic.staff.models import CredentialAlert
from tests.clinic import factories as f

Case = Callable[[bool], object]


def credential_alert_once_per_window(bad: bool) -> object:
    staff = f.StaffProfileFactory()
    values = {
        "organization": staff.organization,
        "staff": staff,
        "kind": "nbcot",
        "credential_id": staff.pk,
        "expires_on": dt.date(2026, 6, 30),
        "sent_at": timezone.now(),
    }
    CredentialAlert.objects.create(window_days=30, **values)
    return CredentialAlert.objects.create(window_days=30 if bad else 7, **values)


STAFF_CASES: list[tuple[str, Case]] = [
    ("credential_alert_once_per_window", credential_alert_once_per_window),
]
