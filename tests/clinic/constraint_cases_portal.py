"""Constraint cases for portal-sharing consents (collected by test_constraints.py)."""

import datetime as dt
from collections.abc import Callable

from otclinic.clinic.patients.models import Consent, PatientContact
from tests.clinic import factories as f

Case = Callable[[bool], object]
D = dt.date


def _contact(patient: object) -> PatientContact:
    return PatientContact.objects.create(
        organization=patient.organization,  # type: ignore[attr-defined]
        patient=patient,
        name="Rosa Example",
        relationship="spouse",
        is_caregiver=True,
    )


def consent_expires_after_signed(bad: bool) -> object:
    patient = f.PatientFactory()
    return Consent.objects.create(
        organization=patient.organization,
        patient=patient,
        kind="portal_sharing",
        contact=_contact(patient),
        scopes=["goals"],
        signed_on=D(2026, 1, 10),
        expires_on=D(2026, 1, 9) if bad else D(2026, 1, 10),
    )


def consent_portal_sharing_names_contact(bad: bool) -> object:
    patient = f.PatientFactory()
    return Consent.objects.create(
        organization=patient.organization,
        patient=patient,
        kind="portal_sharing",
        contact=None if bad else _contact(patient),
        scopes=["goals"],
        signed_on=D(2026, 1, 10),
    )


PORTAL_CASES: list[tuple[str, Case]] = [
    ("consent_expires_after_signed", consent_expires_after_signed),
    ("consent_portal_sharing_names_contact", consent_portal_sharing_names_contact),
]
