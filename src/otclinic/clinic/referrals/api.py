"""Referring physicians over the JSON API: list, read and add."""

import uuid
from typing import Any

from ninja import Router, Schema, Status

from otclinic.clinic.accounts.http import AuthenticatedHttpRequest
from otclinic.clinic.common.api_schemas import FieldProblems
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.referrals import selectors, services

router = Router(tags=["referring physicians"])


class PhysicianOut(Schema):
    id: uuid.UUID
    first_name: str
    last_name: str
    credentials: str
    npi: str
    practice_name: str


class PhysicianIn(Schema):
    first_name: str
    last_name: str
    npi: str
    credentials: str = ""
    practice_name: str = ""
    phone: str = ""
    fax: str = ""


@router.get("/", response=list[PhysicianOut])
def physician_list(request: AuthenticatedHttpRequest) -> list[Any]:
    return list(selectors.physicians_for_user(user=request.user))


@router.get("/{physician_id}", response=PhysicianOut)
def physician_get(request: AuthenticatedHttpRequest, physician_id: uuid.UUID) -> Any:
    return selectors.physician_get_for_user(user=request.user, physician_id=physician_id)


@router.post("/", response={201: PhysicianOut, 422: FieldProblems})
def physician_create(request: AuthenticatedHttpRequest, payload: PhysicianIn) -> Any:
    try:
        return Status(201, services.physician_create(user=request.user, data=payload.dict()))
    except ValidationFailed as exc:
        return Status(422, {"errors": exc.errors})
