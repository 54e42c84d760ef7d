"""The bulk export's HTTP doors: kick-off (`$export` at system, Patient and Group level), the
status URL (poll, DELETE to cancel) and the file downloads.

Refusals are OperationOutcomes as on the read routes: 401 nobody signed in, 403 a role that may
not export, 404 another organization's (or a missing) group or export, 400 a parameter or a
missing `Prefer: respond-async`, 405 another method.
"""

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import http_date

from otclinic.clinic.audit.reads import saw
from otclinic.clinic.fhir.access import FhirAccess
from otclinic.clinic.fhir.auth import NotSignedIn
from otclinic.clinic.fhir.bulk import services
from otclinic.clinic.fhir.bulk.access import (
    export_access,
    require_staff,
    require_whole_organization,
)
from otclinic.clinic.fhir.bulk.files import folder
from otclinic.clinic.fhir.bulk.models import BulkExport, ExportLevel, ExportStatus
from otclinic.clinic.fhir.bulk.selectors import export_get_for_caller
from otclinic.clinic.fhir.catalog import TYPES
from otclinic.clinic.fhir.groups import group_members
from otclinic.clinic.fhir.views import fhir_response, outcome
from otclinic.domain.fhir.bulk import NDJSON, OutputFile, manifest, parse_kickoff
from otclinic.domain.fhir.outcome import operation_outcome
from otclinic.domain.fhir.search import BadParameter

RETRY_AFTER_SECONDS = 5


class _Refused(Exception):
    def __init__(self, response: HttpResponse) -> None:
        self.response = response


@contextmanager
def _refusals() -> Iterator[None]:
    try:
        yield
    except NotSignedIn as exc:
        raise _Refused(outcome(401, "login", str(exc), challenge=exc.challenge)) from None
    except PermissionDenied as exc:
        raise _Refused(outcome(403, "forbidden", str(exc) or "not allowed")) from None
    except Http404 as exc:
        raise _Refused(outcome(404, "not-found", str(exc) or "not found")) from None
    except BadParameter as exc:
        raise _Refused(outcome(400, "invalid", str(exc), expression=exc.name)) from None


def _answer(
    request: HttpRequest, methods: set[str], work: Callable[[], HttpResponseBase]
) -> HttpResponseBase:
    if request.method not in methods:
        return outcome(405, "not-supported", f"use {' or '.join(sorted(methods))}")
    try:
        with _refusals():
            return work()
    except _Refused as refused:
        return refused.response


def _compartment_types() -> list[str]:
    return [name for name, served in TYPES.items() if any(s.patient_paths for s in served.sources)]


def _allowed(access: FhirAccess, level: ExportLevel) -> list[str]:
    names = list(TYPES) if level == ExportLevel.SYSTEM else _compartment_types()
    return [name for name in names if access.may_read(name)]


def _kickoff(request: HttpRequest, level: ExportLevel, group_id: str) -> HttpResponse:
    access = export_access(request)
    if level == ExportLevel.GROUP:
        require_staff(access)
        if group_members(access, group_id) is None:
            raise Http404("no such Group")
    else:
        require_whole_organization(access)
    if "respond-async" not in request.headers.get("Prefer", ""):
        raise BadParameter("Prefer", "send the header Prefer: respond-async")
    pairs = [(k, v) for k, values in request.GET.lists() for v in values]
    asked = parse_kickoff(pairs, known=TYPES, allowed=_allowed(access, level))
    site = request.build_absolute_uri("/").rstrip("/")
    export = services.export_start(
        access=access,
        level=level,
        asked=asked,
        request_url=request.build_absolute_uri(),
        site_url=site,
        group_id=group_id,
    )
    response = fhir_response(
        operation_outcome(
            code="informational", severity="information", diagnostics="export started"
        ),
        status=202,
    )
    response["Content-Location"] = f"{export.base_url}/$export-status/{export.pk}"
    return response


def export_system(request: HttpRequest) -> HttpResponseBase:
    return _answer(request, {"GET"}, lambda: _kickoff(request, ExportLevel.SYSTEM, ""))


def export_patients(request: HttpRequest) -> HttpResponseBase:
    return _answer(request, {"GET"}, lambda: _kickoff(request, ExportLevel.PATIENT, ""))


def export_group(request: HttpRequest, group_id: str) -> HttpResponseBase:
    return _answer(request, {"GET"}, lambda: _kickoff(request, ExportLevel.GROUP, group_id))


def _file_url(export: BulkExport, name: str) -> str:
    return f"{export.base_url}/$export-file/{export.pk}/{name}"


def _manifest(export: BulkExport) -> dict[str, Any]:
    assert export.transaction_time is not None
    return manifest(
        transaction_time=export.transaction_time,
        request=export.request_url,
        output=[
            OutputFile(f["type"], _file_url(export, f["name"]), f["count"]) for f in export.output
        ],
        error=[
            OutputFile(f["type"], _file_url(export, f["name"]), f["count"]) for f in export.errors
        ],
    )


def _status(request: HttpRequest, export_id: str) -> HttpResponse:
    export = export_get_for_caller(access=export_access(request), export_id=export_id)
    if request.method == "DELETE":
        services.export_cancel(export=export)
        return fhir_response(
            operation_outcome(
                code="informational", severity="information", diagnostics="export cancelled"
            ),
            status=202,
        )
    if export.status == ExportStatus.DONE:
        response = HttpResponse(json.dumps(_manifest(export)), content_type="application/json")
        assert export.expires_at is not None
        response["Expires"] = http_date(export.expires_at.timestamp())
        return response
    if export.status == ExportStatus.FAILED:
        return outcome(500, "exception", export.failure or "the export failed")
    response = HttpResponse(status=202)
    response["X-Progress"] = (
        f"{export.done} of {export.total} resources" if export.total is not None else "queued"
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def export_status(request: HttpRequest, bulkexport_id: str) -> HttpResponseBase:
    return _answer(request, {"GET", "DELETE"}, lambda: _status(request, bulkexport_id))


def _download(request: HttpRequest, export_id: str, name: str) -> HttpResponseBase:
    export = export_get_for_caller(access=export_access(request), export_id=export_id)
    held = {f["name"]: f for f in [*export.output, *export.errors]}
    if export.status != ExportStatus.DONE or name not in held:
        raise Http404("no such file")
    saw(held[name].get("patients", []), "FHIR bulk export file")
    path = f"{folder(organization_id=export.organization_id, export_id=export.pk)}/{name}"
    return FileResponse(default_storage.open(path, "rb"), content_type=NDJSON)


def export_file(request: HttpRequest, bulkexport_id: str, export_file: str) -> HttpResponseBase:
    return _answer(request, {"GET"}, lambda: _download(request, bulkexport_id, export_file))
