"""Patients over the JSON API: search, read, create, and add a diagnosis."""

import datetime as dt
import uuid
from typing import Any

from ninja import Router, Schema, Status

from otclinic.clinic.accounts.http import AuthenticatedHttpRequest
from otclinic.clinic.accounts.permissions import organization_id_of
from otclinic.clinic.common.api_schemas import FieldProblems
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.organizations.models import Clinic
from otclinic.clinic.patients import intake, selectors, services

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
    # Blank: the organization's pattern assigns the MRN; given, a chart brought over keeps it.
    mrn: str = ""
    first_name: str
    last_name: str
    birth_date: dt.date
    sex: str
    home_clinic_id: uuid.UUID
    phone: str = ""
    email: str = ""
    # True after a 409 listed possible duplicates and the caller checked they are not this one.
    create_anyway: bool = False


class PossibleMatch(Schema):
    id: uuid.UUID
    mrn: str
    first_name: str
    last_name: str
    birth_date: dt.date


class Duplicates(Schema):
    detail: str
    matches: list[PossibleMatch]


class DiagnosisIn(Schema):
    code: str
    onset_on: dt.date | None = None


class DiagnosisOut(Schema):
    id: uuid.UUID
    code: str
    description: str


SEARCH_LIMIT = 50


@router.get("/", response=list[PatientOut])
def patient_search(
    request: AuthenticatedHttpRequest,
    q: str = "",
    limit: int = 25,
    offset: int = 0,
) -> list[Any]:
    """Patients matching `q` (names, MRN, birth date or phone), by name, `limit` (at most
    `SEARCH_LIMIT`) at a time."""
    found = selectors.patient_search_for_user(user=request.user, query=q)
    limit, offset = min(max(limit, 1), SEARCH_LIMIT), max(offset, 0)
    return list(found[offset : offset + limit])


@router.get("/{patient_id}", response=PatientOut)
def patient_get(request: AuthenticatedHttpRequest, patient_id: uuid.UUID) -> Any:
    return selectors.patient_get_for_user(user=request.user, patient_id=patient_id)


@router.post("/", response={201: PatientOut, 409: Duplicates, 422: FieldProblems})
def patient_create(request: AuthenticatedHttpRequest, payload: PatientIn) -> Any:
    data = payload.dict()
    create_anyway = data.pop("create_anyway")
    clinic = Clinic.objects.filter(
        pk=data.pop("home_clinic_id"), organization_id=organization_id_of(request.user)
    ).first()
    if clinic is None:
        return Status(
            422, {"errors": {"home_clinic_id": ["Choose one of your organization's clinics."]}}
        )
    try:
        patient = intake.patient_register(
            user=request.user, data={**data, "home_clinic": clinic}, create_anyway=create_anyway
        )
    except intake.PossibleDuplicates as exc:
        detail = "Patients born the same day with a similar name are on file; resend with "
        detail += "create_anyway true if this is not one of them."
        return Status(409, {"detail": detail, "matches": exc.matches})
    except ValidationFailed as exc:
        return Status(422, {"errors": exc.errors})
    return Status(201, patient)


@router.post("/{patient_id}/diagnoses", response={201: DiagnosisOut, 422: FieldProblems})
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
