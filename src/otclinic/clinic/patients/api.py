"""Patients over the JSON API: search, read, create, and add a diagnosis."""

import datetime as dt
import uuid
from typing import Any

from ninja import Router, Schema, Status

from otclinic.clinic.accounts.http import AuthenticatedHttpRequest
from otclinic.clinic.accounts.permissions import organization_id_of
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.organizations.models import Clinic
from otclinic.clinic.patients import selectors, services

router = Router(tags=["patients"])


class PatientOut(Schema):
    id: uuid.UUID
    mrn: str
    first_name: str
    last_name: str
    birth_date: dt.date
    sex: str
    home_clinic_id: uuid.UUID


class PatientIn(Schema):
    mrn: str
    first_name: str
    last_name: str
    birth_date: dt.date
    sex: str
    home_clinic_id: uuid.UUID
    phone: str = ""
    email: str = ""


class DiagnosisIn(Schema):
    code: str
    onset_on: dt.date | None = None


class DiagnosisOut(Schema):
    id: uuid.UUID
    code: str
    description: str


class Problems(Schema):
    errors: dict[str, list[str]]


@router.get("/", response=list[PatientOut])
def patient_search(request: AuthenticatedHttpRequest, q: str = "") -> list[Any]:
    return selectors.patient_search_for_user(user=request.user, query=q)


@router.get("/{patient_id}", response=PatientOut)
def patient_get(request: AuthenticatedHttpRequest, patient_id: uuid.UUID) -> Any:
    return selectors.patient_get_for_user(user=request.user, patient_id=patient_id)


@router.post("/", response={201: PatientOut, 422: Problems})
def patient_create(request: AuthenticatedHttpRequest, payload: PatientIn) -> Any:
    data = payload.dict()
    clinic = Clinic.objects.filter(
        pk=data.pop("home_clinic_id"), organization_id=organization_id_of(request.user)
    ).first()
    if clinic is None:
        return Status(
            422, {"errors": {"home_clinic_id": ["Choose one of your organization's clinics."]}}
        )
    try:
        return Status(
            201, services.patient_create(user=request.user, data={**data, "home_clinic": clinic})
        )
    except ValidationFailed as exc:
        return Status(422, {"errors": exc.errors})


@router.post("/{patient_id}/diagnoses", response={201: DiagnosisOut, 422: Problems})
def diagnosis_add(
    request: AuthenticatedHttpRequest, patient_id: uuid.UUID, payload: DiagnosisIn
) -> Any:
    patient = selectors.patient_get_for_user(user=request.user, patient_id=patient_id)
    try:
        return Status(
            201,
            services.diagnosis_add(
                user=request.user, patient=patient, code=payload.code, onset_on=payload.onset_on
            ),
        )
    except ValidationFailed as exc:
        return Status(422, {"errors": exc.errors})
