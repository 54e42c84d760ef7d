"""The JSON API root, at /api/v1/, with its OpenAPI schema at /api/v1/openapi.json.

Every endpoint requires a member of a clinic's staff: an API token (`Authorization: Bearer`,
the way for other programs, and the only one that writes without a browser), the browser's
session (with its CSRF token), or HTTP basic (reads only); portal users are refused
(accounts.api_auth). Calls are throttled per token, user or client address
(accounts.api_auth.ApiThrottle: 429 beyond the rate). Each router's functions then check the
user's role and scope every query to the user's organization.

Bodies are read by `common.json_api.DocumentParser` (the bounds of `load_document`): a body
nested too deep, with a huge integer, NaN, a NUL or half a surrogate pair answers 422 with
`{"errors": {field: [message]}}`, the shape the routers' own refusals and ninja's parameter
validation have too. A NUL in a query string never gets here (common.middleware answers 422
first). Every error body has one shape per status (common.api_schemas), and the schema
declares 401, 403, 404, 422 and 429 on every operation.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema

from otclinic.clinic.accounts.api_auth import (
    ApiThrottle,
    ClinicBasicAuth,
    ClinicSessionAuth,
    ClinicTokenAuth,
)
from otclinic.clinic.care.api import episodes_router, notes_router
from otclinic.clinic.common.api_schemas import ApiError, FieldProblems, field_problems
from otclinic.clinic.common.errors import NotPermitted
from otclinic.clinic.common.json_api import DocumentParser, refused_body
from otclinic.clinic.compliance.billing_api import router as billing_router
from otclinic.clinic.compliance.episode_api import router as episode_router
from otclinic.clinic.messaging.api import tasks_router, threads_router
from otclinic.clinic.patients.api import router as patients_router
from otclinic.clinic.payers.api import coverages_router, payers_router
from otclinic.clinic.referrals.api import router as physicians_router
from otclinic.clinic.revenue.api import claims_router, denials_router, remittances_router
from otclinic.clinic.scheduling.api import router as appointments_router

# The error answers every operation may give, and the schema of each body.
ERROR_RESPONSES: dict[int, tuple[str, type[ApiError] | type[FieldProblems]]] = {
    401: ("No API token, session or basic login, or not a live one.", ApiError),
    403: ("The caller's role (or the token's scopes) may not do this.", ApiError),
    404: ("No such record in the caller's organization.", ApiError),
    422: ("Input that cannot be used, with what is wrong by field.", FieldProblems),
    429: ("Too many calls: wait the Retry-After seconds.", ApiError),
}
_REF = "#/components/schemas/{model}"


class ClinicAPI(NinjaAPI):
    """ninja's API, whose schema declares the error answers of every operation."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for _description, model in ERROR_RESPONSES.values():
            components.setdefault(model.__name__, model.model_json_schema(ref_template=_REF))
        for path in schema["paths"].values():
            for operation in path.values():
                _declare_errors(operation["responses"])
        return schema


def _declare_errors(responses: dict[str, Any]) -> None:
    """Add the API's error answers an operation does not declare itself (a door's own 422)."""
    for status, (description, model) in ERROR_RESPONSES.items():
        ref = {"$ref": _REF.format(model=model.__name__)}
        responses.setdefault(
            str(status),
            {"description": description, "content": {"application/json": {"schema": ref}}},
        )


api = ClinicAPI(
    title="otclinic API",
    version="1",
    urls_namespace="api",
    auth=[ClinicTokenAuth(), ClinicSessionAuth(), ClinicBasicAuth()],
    description="The JSON API of otclinic. Every call is scoped to the caller's organization.",
    parser=DocumentParser(),
    throttle=[ApiThrottle()],
)
api.add_router("/patients", patients_router)
api.add_router("/episodes", episode_router)
api.add_router("/episodes", episodes_router)
api.add_router("/notes", notes_router)
api.add_router("/billing", billing_router)
api.add_router("/physicians", physicians_router)
api.add_router("/payers", payers_router)
api.add_router("/coverages", coverages_router)
api.add_router("/appointments", appointments_router)
api.add_router("/claims", claims_router)
api.add_router("/remittances", remittances_router)
api.add_router("/denials", denials_router)
api.add_router("/threads", threads_router)
api.add_router("/tasks", tasks_router)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "not allowed"}, status=403)


@api.exception_handler(NotPermitted)
def not_permitted(request: HttpRequest, exc: NotPermitted) -> HttpResponse:
    """A service's refusal of the caller (another's draft, a role the service checks)."""
    return api.create_response(request, {"detail": str(exc) or "not allowed"}, status=403)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    # One answer for a record of another organization and one that does not exist.
    return api.create_response(request, {"detail": "Not Found"}, status=404)


@api.exception_handler(ValidationError)
def invalid_parameters(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Parameters or a body that do not fit the operation's schema: 422 by field."""
    return api.create_response(request, {"errors": field_problems(exc.errors)}, status=422)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """A body the parser refused is 422 with its problems by field; the rest as ninja answers."""
    errors = refused_body(exc)
    if errors is not None:
        return api.create_response(request, {"errors": errors}, status=422)
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)
