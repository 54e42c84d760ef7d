"""The JSON API root, at /api/v1/, with its OpenAPI schema at /api/v1/openapi.json.

Every endpoint requires a signed-in member of a clinic's staff (session cookie and CSRF token,
or HTTP basic for other systems); portal users are refused. Calls are throttled per user or
client address (accounts.api_auth.ApiThrottle: 429 beyond the rate). Each router's functions then check
the user's role and scope every query to the user's organization.

Bodies are read by `common.json_api.DocumentParser` (the bounds of `load_document`): a body
nested too deep, with a huge integer, NaN, a NUL or half a surrogate pair answers 422 with
`{"errors": {field: [message]}}`, the shape the routers' own refusals have. A NUL in a query
string never gets here (common.middleware answers 422 first).
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError

from otclinic.clinic.accounts.api_auth import ApiThrottle, ClinicBasicAuth, ClinicSessionAuth
from otclinic.clinic.common.json_api import DocumentParser, refused_body
from otclinic.clinic.compliance.billing_api import router as billing_router
from otclinic.clinic.compliance.episode_api import router as episode_router
from otclinic.clinic.patients.api import router as patients_router
from otclinic.clinic.payers.api import coverages_router, payers_router
from otclinic.clinic.referrals.api import router as physicians_router

api = NinjaAPI(
    title="otclinic API",
    version="1",
    urls_namespace="api",
    auth=[ClinicSessionAuth(), ClinicBasicAuth()],
    description="The JSON API of otclinic. Every call is scoped to the caller's organization.",
    parser=DocumentParser(),
    throttle=[ApiThrottle()],
)
api.add_router("/patients", patients_router)
api.add_router("/episodes", episode_router)
api.add_router("/billing", billing_router)
api.add_router("/physicians", physicians_router)
api.add_router("/payers", payers_router)
api.add_router("/coverages", coverages_router)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "not allowed"}, status=403)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """A body the parser refused is 422 with its problems by field; the rest as ninja answers."""
    errors = refused_body(exc)
    if errors is not None:
        return api.create_response(request, {"errors": errors}, status=422)
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)
