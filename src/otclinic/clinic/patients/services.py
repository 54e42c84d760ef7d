"""Writes to the patient record. Each is one transaction and is audit-logged by the trail."""

import datetime as dt
from typing import Any

from django.db import transaction

from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.common.services import validated_save
from otclinic.clinic.patients.models import Patient, PatientDiagnosis
from otclinic.domain.access import Capability
from otclinic.domain.diagnoses import check_icd10


@transaction.atomic
def patient_create(*, user: Any, data: dict[str, Any]) -> Patient:
    """A new patient in the user's organization."""
    require(user, Capability.EDIT_DEMOGRAPHICS)
    clinic = data.get("home_clinic")
    if clinic is not None and clinic.organization_id != user.organization_id:
        raise ValidationFailed({"home_clinic": ["Choose one of your organization's clinics."]})
    # Checked here so that a second submit of the same form says which field clashes, rather
    # than failing on the database's unique constraint.
    mrn = str(data.get("mrn", "")).strip()
    if mrn and Patient.objects.for_org(user.organization_id).filter(mrn=mrn).exists():
        raise ValidationFailed(
            {"mrn": [f"A patient with MRN {mrn} already exists; open that chart instead."]}
        )
    patient = Patient(organization_id=user.organization_id, **data)
    return validated_save(patient)


@transaction.atomic
def diagnosis_add(
    *, user: Any, patient: Patient, code: str, onset_on: dt.date | None = None
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
