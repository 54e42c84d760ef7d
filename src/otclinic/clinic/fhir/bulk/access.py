"""Who may start, follow and download bulk exports.

`export_access` is the one door from a request to a `FhirAccess` for every `$export` route:
today an API token (bearer, as the JSON API) or the read views' way (`views._caller`: session
or HTTP basic), then `fhir_access`; the SMART backend-services token replaces it here, and
nowhere else.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja.errors import AuthenticationError

from otclinic.clinic.accounts.api_auth import ClinicTokenAuth
from otclinic.clinic.accounts.models import User
from otclinic.clinic.fhir.access import FhirAccess, fhir_access
from otclinic.clinic.fhir.bulk.models import BulkExport
from otclinic.clinic.fhir.views import NotSignedIn, _caller
from otclinic.domain.codes import Role


def _token_user(request: HttpRequest) -> User | None:
    """The user of an API token (`Authorization: Bearer`), as the JSON API reads it: a GET
    reads; a DELETE (cancelling one's export) needs the token's write scope."""
    scheme, _, _ = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    try:
        return ClinicTokenAuth(read_only=request.method == "GET")(request)
    except AuthenticationError:
        raise NotSignedIn from None


def export_access(request: HttpRequest) -> FhirAccess:
    """The caller's reach (NotSignedIn: nobody; PermissionDenied: a role without the API)."""
    user = _token_user(request) or _caller(request)
    if user.organization_id is None:
        raise PermissionDenied("your account belongs to no organization")
    return fhir_access(organization_id=user.organization_id, user=user, scopes=None)


def reaches_whole_organization(access: FhirAccess) -> bool:
    """Whether the caller reads every record of the organization, as a system or Patient-level
    export hands over: the clinic's administrator, with no narrowing scopes."""
    whole_scopes = access.types is None or "*" in access.types
    return access.staff and whole_scopes and getattr(access.user, "role", None) == Role.CLINIC_ADMIN


def require_whole_organization(access: FhirAccess) -> None:
    if not reaches_whole_organization(access):
        raise PermissionDenied(
            "your role may not export the whole organization: ask the clinic's administrator"
        )


def require_staff(access: FhirAccess) -> None:
    if not access.staff:
        raise PermissionDenied("your role may not use the API")


def may_follow(access: FhirAccess, export: BulkExport) -> bool:
    """Only who started an export polls it, downloads its files or cancels it."""
    requester: Any = access.user
    return export.organization_id == access.organization_id and export.requested_by_id == getattr(
        requester, "pk", None
    )
