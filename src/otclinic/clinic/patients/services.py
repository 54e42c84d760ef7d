"""Writes to the patient record. Each is one transaction and is audit-logged by the trail."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import organization_id_of, require
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.common.services import validate_except, validated_save
from otclinic.clinic.common.versions import locked_at_version
from otclinic.clinic.patients.models import (
    PATIENT_FIELDS,
    Patient,
    PatientContact,
    PatientDiagnosis,
)
from otclinic.clinic.patients.mrn import mrn_take_next
from otclinic.domain.access import Capability
from otclinic.domain.diagnoses import check_icd10


def _check_home_clinic(user: Any, data: dict[str, Any]) -> None:
    clinic = data.get("home_clinic")
    if clinic is not None and clinic.organization_id != user.organization_id:
        raise ValidationFailed({"home_clinic": ["Choose one of your organization's clinics."]})


@transaction.atomic
def patient_create(*, user: Any, data: dict[str, Any]) -> Patient:
    """A new patient in the user's organization, numbered by the organization's MRN pattern.

    An MRN in `data` (a chart brought over from another system) is kept as given."""
    require(user, Capability.EDIT_DEMOGRAPHICS)
    _check_home_clinic(user, data)
    # Checked here so that a second submit of the same form says which field clashes, rather
    # than failing on the database's unique constraint.
    mrn = str(data.get("mrn", "")).strip()
    if mrn and Patient.objects.for_org(user.organization_id).filter(mrn=mrn).exists():
        raise ValidationFailed(
            {"mrn": [f"A patient with MRN {mrn} already exists; open that chart instead."]}
        )
    patient = Patient(organization_id=organization_id_of(user), **{**data, "mrn": mrn})
    # Validated before a number is taken, so that a refused form does not use one up.
    validate_except(patient, exclude=["mrn"])
    patient.mrn = mrn or mrn_take_next(organization_id=organization_id_of(user))
    return validated_save(patient)


@transaction.atomic
def patient_update(*, user: Any, patient: Patient, data: dict[str, Any], version: str) -> Patient:
    """Change the patient's demographics (never the MRN); refused if someone else saved them
    after `version`. The audit trail records the fields changed."""
    require(user, Capability.EDIT_DEMOGRAPHICS)
    _check_home_clinic(user, data)
    changes = {k: v for k, v in data.items() if k in PATIENT_FIELDS}
    locked: Patient = locked_at_version(
        patient, version=version, what="this patient's details", data=changes
    )
    for field in PATIENT_FIELDS:
        if field in data:
            setattr(locked, field, data[field])
    return validated_save(locked)


@transaction.atomic
def diagnosis_add(
    *, user: User, patient: Patient, code: str, onset_on: dt.date | None = None
) -> PatientDiagnosis:
    """Add an ICD-10-CM code to the patient's problem list; adding it again changes nothing."""
    require(user, Capability.EDIT_DIAGNOSES)
    result = check_icd10(code)
    if result.problem:
        raise ValidationFailed({"code": [result.problem[0].upper() + result.problem[1:] + "."]})
    existing = patient.diagnoses.filter(code=result.code).first()
    if existing:
        return existing
    diagnosis = PatientDiagnosis(
        organization_id=patient.organization_id,
        patient=patient,
        code=result.code,
        description=result.description[:255],
        onset_on=onset_on,
    )
    return validated_save(diagnosis)


CONTACT_FIELDS = ("name", "relationship", "phone", "email", "is_caregiver", "is_emergency_contact")


def _same_contact(patient: Patient, *, name: str, relationship: str) -> QuerySet[PatientContact]:
    # One person under one relationship is one contact, however the name was spaced or cased.
    return patient.contacts.filter(name__iexact=name, relationship=relationship)


def _contact_checks(contact: PatientContact) -> None:
    contact.name = " ".join(contact.name.split())
    contact.phone = contact.phone.strip()
    contact.email = contact.email.strip().lower()
    # A caregiver is someone the clinic must be able to reach (and may invite to the portal);
    # either channel will do, since the portal invitation asks for its own email address.
    if contact.is_caregiver and not (contact.phone or contact.email):
        raise ValidationFailed(
            {"phone": ["A caregiver needs a phone number or an email address; enter one."]}
        )


@transaction.atomic
def contact_add(*, user: User, patient: Patient, data: dict[str, Any]) -> PatientContact:
    """Add someone to the patient's contacts; the same name and relationship again adds nothing."""
    require(user, Capability.EDIT_DEMOGRAPHICS)
    contact = PatientContact(
        organization_id=patient.organization_id,
        patient=patient,
        **{k: v for k, v in data.items() if k in CONTACT_FIELDS},
    )
    _contact_checks(contact)
    existing = _same_contact(patient, name=contact.name, relationship=contact.relationship).first()
    if existing is not None:
        return existing
    return validated_save(contact)


@transaction.atomic
def contact_update(
    *, user: User, contact: PatientContact, data: dict[str, Any], version: str
) -> PatientContact:
    """Change a contact's details; renaming it onto another contact of the patient is refused,
    and so is a save over someone else's made after `version`."""
    require(user, Capability.EDIT_DEMOGRAPHICS)
    changes = {k: v for k, v in data.items() if k in CONTACT_FIELDS}
    contact = locked_at_version(contact, version=version, what="this contact", data=changes)
    for field in CONTACT_FIELDS:
        if field in data:
            setattr(contact, field, data[field])
    _contact_checks(contact)
    clash = _same_contact(contact.patient, name=contact.name, relationship=contact.relationship)
    if clash.exclude(pk=contact.pk).exists():
        raise ValidationFailed(
            {
                "name": [
                    f"{contact.name} is already a contact with this relationship; edit that one."
                ]
            }
        )
    return validated_save(contact)
