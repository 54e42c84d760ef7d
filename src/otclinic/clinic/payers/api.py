"""Payers and patients' coverage over the JSON API."""

import datetime as dt
import uuid
from typing import Any

from ninja import Router, Schema, Status

from otclinic.clinic.accounts.http import AuthenticatedHttpRequest
from otclinic.clinic.common.api_schemas import FieldProblems
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.patients.selectors import patient_get_for_user
from otclinic.clinic.payers import selectors, services
from otclinic.domain.codes import CoveragePriority

payers_router = Router(tags=["payers"])
coverages_router = Router(tags=["coverage"])


class PayerOut(Schema):
    id: uuid.UUID
    name: str
    payer_id: str
    plan_kind: str


class CoverageOut(Schema):
    id: uuid.UUID
    patient_id: uuid.UUID
    payer_id: uuid.UUID
    member_id: str
    priority: str
    starts_on: dt.date
    ends_on: dt.date | None
    subscriber_relationship: str
    subscriber_name: str


class CoverageIn(Schema):
    patient_id: uuid.UUID
    payer_id: uuid.UUID
    member_id: str
    priority: CoveragePriority = CoveragePriority.PRIMARY
    starts_on: dt.date
    ends_on: dt.date | None = None
    group_number: str = ""
    subscriber_relationship: str = "self"
    subscriber_name: str = ""
    subscriber_address: str = ""
    subscriber_city: str = ""
    subscriber_state: str = ""
    subscriber_zip_code: str = ""


@payers_router.get("/", response=list[PayerOut])
def payer_list(request: AuthenticatedHttpRequest) -> list[Any]:
    return list(selectors.payers_for_user(user=request.user))


@coverages_router.get("/", response=list[CoverageOut])
def coverage_list(request: AuthenticatedHttpRequest, patient_id: uuid.UUID) -> list[Any]:
    patient = patient_get_for_user(user=request.user, patient_id=patient_id)
    return list(selectors.coverages_for_user(user=request.user).filter(patient=patient))


@coverages_router.get("/{coverage_id}", response=CoverageOut)
def coverage_get(request: AuthenticatedHttpRequest, coverage_id: uuid.UUID) -> Any:
    return selectors.coverage_get_for_user(user=request.user, coverage_id=coverage_id)


@coverages_router.post("/", response={201: CoverageOut, 422: FieldProblems})
def coverage_add(request: AuthenticatedHttpRequest, payload: CoverageIn) -> Any:
    data = payload.dict()
    patient = patient_get_for_user(user=request.user, patient_id=data.pop("patient_id"))
    payer = selectors.payers_for_user(user=request.user).filter(pk=data.pop("payer_id")).first()
    if payer is None:
        return Status(422, {"errors": {"payer_id": ["Choose one of your organization's payers."]}})
    data["priority"] = str(data["priority"])
    try:
        coverage = services.coverage_add(
            user=request.user, patient=patient, data=data | {"payer": payer}
        )
    except ValidationFailed as exc:
        return Status(422, {"errors": exc.errors})
    return Status(201, coverage)
