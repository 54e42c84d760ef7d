"""The FHIR R4 endpoints: metadata, read and search, each answering application/fhir+json.

The caller and what they may read come from `auth.fhir_caller` (a SMART bearer token, the
session, or HTTP basic). Every refusal is an OperationOutcome: 401 nobody signed in, 403 a
role that may not read, 404 an unknown type or an id that is missing or another
organization's (alike), 400 a search parameter the server cannot use (named in the issue),
405 anything but GET.
"""

import json
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone

from otclinic.clinic.fhir import server
from otclinic.clinic.fhir.auth import NotSignedIn, fhir_caller
from otclinic.clinic.fhir.capability import capability_statement
from otclinic.clinic.fhir.shapes import Ctx
from otclinic.domain.fhir.outcome import operation_outcome
from otclinic.domain.fhir.search import BadParameter

CONTENT_TYPE = "application/fhir+json"


def fhir_response(body: dict[str, Any], *, status: int = 200) -> HttpResponse:
    response = HttpResponse(json.dumps(body), status=status, content_type=CONTENT_TYPE)
    version = body.get("meta", {}).get("versionId")
    if version:
        response["ETag"] = f'W/"{version}"'
    return response


def outcome(
    status: int,
    code: str,
    diagnostics: str,
    *,
    expression: str | None = None,
    challenge: str = 'Basic realm="otclinic FHIR"',
) -> HttpResponse:
    response = fhir_response(
        operation_outcome(code=code, diagnostics=diagnostics, expression=expression), status=status
    )
    if status == 401:
        response["WWW-Authenticate"] = challenge
    return response


def _ctx(request: HttpRequest) -> Ctx:
    site = request.build_absolute_uri("/").rstrip("/")
    return Ctx(site=site, base=f"{site}/fhir/R4")


def _answer(request: HttpRequest, work: Callable[[], dict[str, Any]]) -> HttpResponse:
    if request.method != "GET":
        return outcome(405, "not-supported", "this server reads and searches only (GET)")
    try:
        return fhir_response(work())
    except NotSignedIn as exc:
        return outcome(401, "login", str(exc), challenge=exc.challenge)
    except PermissionDenied as exc:
        return outcome(403, "forbidden", str(exc) or "not allowed")
    except Http404 as exc:
        return outcome(404, "not-found", str(exc) or "not found")
    except BadParameter as exc:
        return outcome(400, "invalid", str(exc), expression=exc.name)


def metadata(request: HttpRequest) -> HttpResponse:
    """The CapabilityStatement: open to anyone, as FHIR expects (it holds no records)."""
    return _answer(
        request,
        lambda: capability_statement(
            base=_ctx(request).base, date=timezone.localdate().isoformat()
        ),
    )


def read(request: HttpRequest, resource_type: str, **ids: str) -> HttpResponse:
    (resource_id,) = ids.values()
    return _answer(
        request,
        lambda: server.read(
            access=fhir_caller(request),
            resource_type=resource_type,
            resource_id=resource_id,
            ctx=_ctx(request),
        ),
    )


def search(request: HttpRequest, resource_type: str) -> HttpResponse:
    query = server.Query([(k, v) for k, values in request.GET.lists() for v in values])
    return _answer(
        request,
        lambda: server.search(
            access=fhir_caller(request), resource_type=resource_type, query=query, ctx=_ctx(request)
        ),
    )


def unknown_type(request: HttpRequest, *args: str) -> HttpResponse:
    return _answer(request, lambda: _raise_unknown(args[0]))


def _raise_unknown(name: str) -> dict[str, Any]:
    raise Http404(f"this server does not serve {name}")
