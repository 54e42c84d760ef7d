"""Who may start, follow and download bulk exports.

`export_access` is the one door from a request to a `FhirAccess` for every `$export` route:
the read views' `fhir.auth.fhir_caller` (a SMART access token, an otclinic API token, the
session or HTTP basic).
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from otclinic.clinic.fhir.access import FhirAccess
from otclinic.clinic.fhir.auth import fhir_caller
from otclinic.clinic.fhir.bulk.models import BulkExport
from otclinic.domain.codes import Role


def export_access(request: HttpRequest) -> FhirAccess:
    """The caller's reach, as every FHIR endpoint reads it (`fhir.auth.fhir_caller`)."""
    return fhir_caller(request)


def reaches_whole_organization(access: FhirAccess) -> bool:
    """Whether the caller reads every record of the organization, as a system or Patient-level
    export hands over: the clinic's administrator, with no narrowing scopes, or a Backend
    Services client (for the types its `system/` scopes name: the kick-off offers only those)."""
    if access.system:
        return True
    whole_scopes = access.types is None or "*" in access.types
    return access.staff and whole_scopes and getattr(access.user, "role", None) == Role.CLINIC_ADMIN


def require_whole_organization(access: FhirAccess) -> None:
    if not reaches_whole_organization(access):
        raise PermissionDenied(
            "your role may not export the whole organization: ask the clinic's administrator"
        )


def require_staff(access: FhirAccess) -> None:
    """Staff, or a Backend Services client: who may export a Group (of its organization)."""
    if not (access.staff or access.system):
        raise PermissionDenied("your role may not use the API")


def may_follow(access: FhirAccess, export: BulkExport) -> bool:
    """Only who started an export polls it, downloads its files or cancels it: the same user,
    or the same Backend Services client (with any token it gets later)."""
    if export.organization_id != access.organization_id:
        return False
    if export.client_id is not None:
        return access.system and access.client_id == export.client_id
    requester: Any = access.user
    return not access.system and export.requested_by_id == getattr(requester, "pk", None)
