"""FHIR create and update of Patient, Coverage, Appointment and ServiceRequest, through the
services the pages call (the same checks: duplicates, conflicts, credentials, roles).

Pure of HTTP: the views hand in the caller's access, the resource and the conditional headers,
and map the exceptions to OperationOutcomes. Each function runs in the caller's transaction.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from otclinic.clinic.care.services.clinical.intake import referral_intake
from otclinic.clinic.common.errors import NotFoundForUser, ValidationFailed
from otclinic.clinic.fhir import writes_inputs as inputs
from otclinic.clinic.fhir.catalog import TYPES
from otclinic.clinic.fhir.references import Resolver
from otclinic.clinic.fhir.server import Query, _filtered
from otclinic.clinic.fhir.versions import service_version, version_id
from otclinic.clinic.organizations.models import Clinic
from otclinic.clinic.patients import intake
from otclinic.clinic.patients import services as patient_services
from otclinic.clinic.patients.models import Patient
from otclinic.clinic.payers import services as coverage_services
from otclinic.clinic.payers.models import Coverage
from otclinic.clinic.referrals import services as referral_services
from otclinic.clinic.referrals.models import Referral
from otclinic.clinic.scheduling import services as booking
from otclinic.clinic.scheduling.models import Appointment, AppointmentStatus
from otclinic.domain.fhir import input as fin
from otclinic.domain.fhir.terminology import APPOINTMENT_STATUS


class PreconditionFailed(Exception):
    """412: the If-Match version is not the current one, or a conditional create matched
    more than one record."""


class PreconditionRequired(Exception):
    """428: this server is set to require If-Match on every update."""


class Duplicate(Exception):
    """409: records on file that may be the one posted; nothing was written."""

    def __init__(self, resource_type: str, ids: list[str], message: str) -> None:
        super().__init__(message)
        self.resource_type = resource_type
        self.references = [f"{resource_type}/{pk}" for pk in ids]


@dataclass(frozen=True)
class Written:
    """The outcome of one write: the row, and whether it was made (201) or found (200)."""

    resource_type: str
    row: Model
    created: bool


def conditional_match(refs: Resolver, resource_type: str, criteria: str) -> Model | None:
    """The one record an `If-None-Exist` search finds (None: none), with the type's search
    parameters; PreconditionFailed when it finds several."""
    pairs = [tuple(part.split("=", 1)) for part in criteria.lstrip("?").split("&") if "=" in part]
    if not pairs:
        raise fin.Invalid(f"{resource_type}", "If-None-Exist needs search parameters")
    served, query = TYPES[resource_type], Query([(k, v) for k, v in pairs])
    found: list[Model] = []
    for source in served.sources:
        found += list(_filtered(source, source.rows(refs.access, resource_type), query, served)[:2])
    if len(found) > 1:
        raise PreconditionFailed(f"If-None-Exist matches more than one {resource_type}")
    return found[0] if found else None


def _default_clinic(refs: Resolver) -> Clinic:
    clinic = Clinic.objects.for_org(refs.access.organization_id).order_by("name").first()
    if clinic is None:
        raise fin.Invalid("Patient.extension", "name the home clinic (Location)", status=422)
    return clinic


def patient_create(refs: Resolver, resource: Mapping[str, Any]) -> Written:
    """A new chart, unless one of this organization's MRNs in `identifier` names a chart on
    file (then that chart, unchanged); a likely duplicate by name and birth date is refused."""
    user = refs.access.user
    mrn = inputs.patient_mrn(resource, refs.access.organization_id)
    if mrn:
        on_file = refs.patients().filter(mrn=mrn).first()
        if on_file is not None:
            return Written("Patient", on_file, created=False)
    data = inputs.patient_data(resource, refs)
    data.setdefault("home_clinic", _default_clinic(refs))
    try:
        patient = intake.patient_register(user=user, data={**data, "mrn": mrn})
    except intake.PossibleDuplicates as exc:
        raise Duplicate(
            "Patient",
            [str(p.pk) for p in exc.matches],
            "a patient born the same day with a similar name is on file: "
            "send that chart's MRN as the identifier if it is the same person",
        ) from exc
    return Written("Patient", patient, created=True)


def patient_update(refs: Resolver, row: Patient, resource: Mapping[str, Any]) -> Written:
    data = inputs.patient_data(resource, refs)
    updated = patient_services.patient_update(
        user=refs.access.user, patient=row, data=data, version=service_version(row)
    )
    return Written("Patient", updated, created=False)


def _coverage_save(refs: Resolver, resource: Mapping[str, Any], row: Coverage | None) -> Written:
    data = inputs.coverage_data(resource, refs)
    patient = data.pop("patient")
    if row is not None:
        if patient.pk != row.patient_id:
            raise fin.Invalid("Coverage.beneficiary", "a coverage cannot move to another patient")
        saved = coverage_services.coverage_update(
            user=refs.access.user, coverage=row, data=data, version=service_version(row)
        )
        return Written("Coverage", saved, created=False)
    started = timezone.now()
    saved = coverage_services.coverage_add(user=refs.access.user, patient=patient, data=data)
    return Written("Coverage", saved, created=saved.created_at >= started)


def coverage_create(refs: Resolver, resource: Mapping[str, Any]) -> Written:
    """A coverage for the beneficiary; the same payer, member id and start again is the one on
    file (200, unchanged)."""
    return _coverage_save(refs, resource, None)


def coverage_update(refs: Resolver, row: Coverage, resource: Mapping[str, Any]) -> Written:
    return _coverage_save(refs, resource, row)


def referral_create(refs: Resolver, resource: Mapping[str, Any]) -> Written:
    """A referral through the intake the referral page uses; the same patient, physician,
    discipline and signing day again is the referral on file (200, nothing written)."""
    data = inputs.referral_data(resource, refs)
    user = refs.access.user
    if isinstance(data["physician"], dict):
        data["physician"] = referral_services.physician_create(user=user, data=data["physician"])
    same = Referral.objects.for_org(refs.access.organization_id).filter(
        patient=data["patient"],
        physician=data["physician"],
        discipline=data["discipline"],
        signed_on=data["signed_on"],
    )
    on_file = same.first()
    if on_file is not None:
        return Written("ServiceRequest", on_file, created=False)
    referral = referral_intake(user=user, received_on=timezone.localdate(), **data)
    return Written("ServiceRequest", referral, created=True)


def appointment_create(refs: Resolver, resource: Mapping[str, Any]) -> Written:
    """A booking through the scheduling service (credentials, supervision, double booking,
    certification, authorizations); only a `booked` appointment can be posted."""
    if resource.get("status", "booked") != "booked":
        raise fin.Invalid("Appointment.status", "a new appointment is booked")
    data = inputs.booking_data(resource, refs)
    booked = booking.appointment_book(user=refs.access.user, **data)
    return Written("Appointment", booked, created=True)


_CANCEL = {"cancelled": False, "noshow": True}


def appointment_update(refs: Resolver, row: Appointment, resource: Mapping[str, Any]) -> Written:
    """Cancel (status `cancelled`) or mark a no-show (`noshow`), with `cancelationReason`;
    sending the appointment as it stands changes nothing. Moving it is refused: cancel it and
    book the new time, so that the new time passes the booking checks."""
    status = resource.get("status")
    current = APPOINTMENT_STATUS[row.status]
    starts = inputs.booking_data(resource, refs)["starts_at"]
    if starts != row.starts_at:
        raise fin.Invalid(
            "Appointment.start", "to move it, cancel it and book the new time", status=422
        )
    if status == current:
        return Written("Appointment", row, created=False)
    if status not in _CANCEL or row.status not in {
        AppointmentStatus.SCHEDULED,
        AppointmentStatus.CHECKED_IN,
    }:
        raise fin.Invalid("Appointment.status", f"cannot go from {current} to {status}", status=422)
    reason = resource.get("cancelationReason") or {}
    booking.appointment_cancel(
        user=refs.access.user,
        appointment=row,
        reason=str(reason.get("text", "")) if isinstance(reason, Mapping) else "",
        no_show=_CANCEL[status],
    )
    row.refresh_from_db()
    return Written("Appointment", row, created=False)


CREATE: dict[str, Callable[[Resolver, Mapping[str, Any]], Written]] = {
    "Patient": patient_create,
    "Coverage": coverage_create,
    "Appointment": appointment_create,
    "ServiceRequest": referral_create,
}
UPDATE: dict[str, Callable[[Resolver, Any, Mapping[str, Any]], Written]] = {
    "Patient": patient_update,
    "Coverage": coverage_update,
    "Appointment": appointment_update,
}
# The rows an update may name, among those the writer may see.
_UPDATABLE: dict[str, Callable[[Resolver], Any]] = {
    "Patient": lambda refs: refs.patients(),
    "Coverage": lambda refs: Coverage.objects.filter(patient__in=refs.patients()),
    "Appointment": lambda refs: Appointment.objects.for_org(refs.access.organization_id).filter(
        patient__in=refs.patients()
    ),
}


def _check_body(resource: Any, resource_type: str) -> Mapping[str, Any]:
    if not isinstance(resource, Mapping) or resource.get("resourceType") != resource_type:
        raise fin.Invalid(f"{resource_type}.resourceType", f"send a {resource_type} resource")
    return resource


def create(
    *, refs: Resolver, resource_type: str, resource: Any, if_none_exist: str | None = None
) -> Written:
    """Create (or, by `If-None-Exist`, find) one resource, all or nothing."""
    body = _check_body(resource, resource_type)
    with transaction.atomic():
        if if_none_exist:
            found = conditional_match(refs, resource_type, if_none_exist)
            if found is not None:
                return Written(resource_type, found, created=False)
        return _refusals(resource_type, lambda: CREATE[resource_type](refs, body))


def update(
    *,
    refs: Resolver,
    resource_type: str,
    resource_id: str,
    resource: Any,
    if_match: str | None = None,
) -> Written:
    """Update one resource the writer may see, at the version `If-Match` names."""
    body = _check_body(resource, resource_type)
    if body.get("id") != resource_id:
        raise fin.Invalid(f"{resource_type}.id", "must be the id in the URL")
    if if_match is None and settings.OTCLINIC_FHIR_REQUIRE_IF_MATCH:
        raise PreconditionRequired("send If-Match with the version you read (its ETag)")
    with transaction.atomic():
        try:
            row = _UPDATABLE[resource_type](refs).select_for_update().filter(pk=resource_id).first()
        except (ValueError, ValidationError):
            row = None
        if row is None:
            raise NotFoundForUser(f"no such {resource_type}")
        if if_match is not None and fin.etag_version(if_match) != version_id(row):
            raise PreconditionFailed(
                f"{resource_type}/{resource_id} is at version {version_id(row)}, "
                f"not {fin.etag_version(if_match)}: read it again"
            )
        return _refusals(resource_type, lambda: UPDATE[resource_type](refs, row, body))


def _refusals(resource_type: str, work: Callable[[], Written]) -> Written:
    """The services' refusals as Invalid (422) naming the element."""
    try:
        return work()
    except ValidationFailed as exc:
        field, messages = next(iter(exc.errors.items()))
        raise fin.Invalid(
            inputs.element(resource_type, field), " ".join(messages), status=422
        ) from exc
    except booking.CancelRefused as exc:
        raise fin.Invalid("Appointment.cancelationReason", str(exc), status=422) from exc
