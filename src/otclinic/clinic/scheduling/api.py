"""Appointments over the JSON API: list a span of days (one clinician's or all the caller may
see), read one, book one, cancel one. The same selectors and services as the schedule pages:
who sees what is scheduling.access, booking runs every check the booking page runs."""

import datetime as dt
import uuid
from typing import Any

from django.utils import timezone
from ninja import Field, Router, Schema, Status

from otclinic.clinic.accounts.http import AuthenticatedHttpRequest
from otclinic.clinic.accounts.permissions import organization_id_of
from otclinic.clinic.care.models import Episode
from otclinic.clinic.common.api_schemas import WHOLE_INPUT, FieldProblems
from otclinic.clinic.organizations.models import Clinic
from otclinic.clinic.patients.selectors import patient_get_for_user
from otclinic.clinic.scheduling import selectors, selectors_calendar, services
from otclinic.clinic.scheduling.forms import refusal_field
from otclinic.clinic.scheduling.models import AppointmentKind

router = Router(tags=["appointments"])

# The longest span one list call covers, in days.
MAX_SPAN_DAYS = 31
# The booking page's fields, by the names the API gives them.
_FIELDS = {
    "clinician": "clinician_id",
    "patient": "patient_id",
    "room": "room_id",
    "episode": "episode_id",
    "day": "starts_at",
    "minutes": "minutes",
}


class AppointmentOut(Schema):
    id: uuid.UUID
    patient_id: uuid.UUID
    clinician_id: uuid.UUID
    episode_id: uuid.UUID | None
    kind: str
    status: str
    starts_at: dt.datetime
    ends_at: dt.datetime


class AppointmentIn(Schema):
    patient_id: uuid.UUID
    clinician_id: uuid.UUID
    clinic_id: uuid.UUID
    episode_id: uuid.UUID | None = None
    starts_at: dt.datetime
    minutes: int = Field(ge=1, le=480)
    kind: AppointmentKind = AppointmentKind.TREATMENT


class CancelIn(Schema):
    # Checked by the service, after the appointment is found: another organization's id is
    # 404 whatever the body holds.
    reason: str = Field("", max_length=200)
    no_show: bool = False


@router.get("/", response={200: list[AppointmentOut], 422: FieldProblems})
def appointment_list(
    request: AuthenticatedHttpRequest,
    first: dt.date | None = None,
    last: dt.date | None = None,
    clinician_id: uuid.UUID | None = None,
) -> Any:
    """The appointments from `first` to `last` (both included; today when not given) that the
    caller may see, by start time; one clinician's with `clinician_id`."""
    first = first or timezone.localdate()
    last = last or first
    if not 0 <= (last - first).days < MAX_SPAN_DAYS:
        message = f"Choose a last day on or after the first, within {MAX_SPAN_DAYS} days."
        return Status(422, {"errors": {"last": [message]}})
    filters: dict[str, Any] = {}
    if clinician_id is not None:
        filters["clinician"] = selectors.clinician_get_for_user(
            user=request.user, clinician_id=clinician_id
        )
    rows = selectors_calendar.appointments_between(
        user=request.user, first=first, last=last, filters=filters
    )
    return list(rows)


@router.get("/{appointment_id}", response=AppointmentOut)
def appointment_get(request: AuthenticatedHttpRequest, appointment_id: uuid.UUID) -> Any:
    return selectors_calendar.appointment_get_for_user(
        user=request.user, appointment_id=appointment_id
    )


def _refused(reasons: list[str]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for reason in reasons:
        field = _FIELDS.get(refusal_field(reason, _FIELDS) or "", WHOLE_INPUT)
        errors.setdefault(field, []).append(reason)
    return errors


@router.post("/", response={201: AppointmentOut, 422: FieldProblems})
def appointment_book(request: AuthenticatedHttpRequest, payload: AppointmentIn) -> Any:
    """Book one appointment; 422 names every reason the schedule refuses it (a conflict, the
    clinician's credentials, the plan's certification, the payer's authorization)."""
    organization_id = organization_id_of(request.user)
    patient = patient_get_for_user(user=request.user, patient_id=payload.patient_id)
    clinician = selectors.clinician_get_for_user(
        user=request.user, clinician_id=payload.clinician_id
    )
    clinic = Clinic.objects.filter(pk=payload.clinic_id, organization_id=organization_id).first()
    if clinic is None:
        return Status(
            422, {"errors": {"clinic_id": ["Choose one of your organization's clinics."]}}
        )
    episode = None
    if payload.episode_id is not None:
        episode = Episode.objects.filter(
            pk=payload.episode_id, organization_id=organization_id, patient=patient
        ).first()
        if episode is None:
            return Status(
                422, {"errors": {"episode_id": ["Choose one of the patient's episodes."]}}
            )
    try:
        booked = services.appointment_book(
            user=request.user,
            patient=patient,
            clinician=clinician,
            clinic=clinic,
            starts_at=payload.starts_at,
            minutes=payload.minutes,
            episode=episode,
            kind=str(payload.kind),
        )
    except services.BookingRefused as exc:
        return Status(422, {"errors": _refused(exc.reasons)})
    return Status(201, booked)


@router.post("/{appointment_id}/cancel", response={200: AppointmentOut, 422: FieldProblems})
def appointment_cancel(
    request: AuthenticatedHttpRequest, appointment_id: uuid.UUID, payload: CancelIn
) -> Any:
    """Cancel an open appointment (or mark it a no-show) with a reason."""
    appointment = selectors_calendar.appointment_get_for_user(
        user=request.user, appointment_id=appointment_id
    )
    try:
        services.appointment_cancel(
            user=request.user,
            appointment=appointment,
            reason=payload.reason,
            no_show=payload.no_show,
        )
    except services.CancelRefused as exc:
        field = "reason" if not payload.reason.strip() else "status"
        return Status(422, {"errors": {field: [str(exc)]}})
    appointment.refresh_from_db()
    return appointment
