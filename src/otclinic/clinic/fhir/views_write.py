"""The FHIR write endpoints: create (POST Type), update (PUT Type/id) and Bundles (POST base).

Every write asks `write_access.request_write_access` who the caller is and whether they may,
then one function of `writes` (or `bundles`) calls the services the pages call; every refusal
is an OperationOutcome (`refusals`). GETs go on to the read views.
"""

import json
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.http import http_date

from otclinic.clinic.fhir import bundles, server, views, writes
from otclinic.clinic.fhir.access import FhirAccess
from otclinic.clinic.fhir.auth import NotSignedIn
from otclinic.clinic.fhir.references import Resolver
from otclinic.clinic.fhir.refusals import REFUSALS, in_entry, outcome_body, refusal
from otclinic.clinic.fhir.versions import etag, version_id
from otclinic.clinic.fhir.write_access import (
    Interaction,
    Writer,
    entry_allowed,
    request_write_access,
    request_writer,
    writer_access_of,
)
from otclinic.domain.fhir import input as fin


def _body(request: HttpRequest) -> Any:
    try:
        return json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError) as exc:
        raise fin.Invalid("Bundle" if not request.body else "resource", "not JSON") from exc


def _refused(exc: Exception) -> HttpResponse:
    status, issue = refusal(exc)
    response = views.fhir_response(outcome_body(issue), status=status)
    if isinstance(exc, NotSignedIn):
        response["WWW-Authenticate"] = exc.challenge
    return response


def _resource(access: FhirAccess, written: writes.Written, request: HttpRequest) -> dict[str, Any]:
    return server.read(
        access=access,
        resource_type=written.resource_type,
        resource_id=str(written.row.pk),
        ctx=views._ctx(request),
    )


def _location(request: HttpRequest, written: writes.Written) -> str:
    base = views._ctx(request).base
    return f"{base}/{written.resource_type}/{written.row.pk}/_history/{version_id(written.row)}"


def _written_response(
    request: HttpRequest, access: FhirAccess, written: writes.Written
) -> HttpResponse:
    response = views.fhir_response(
        _resource(access, written, request), status=201 if written.created else 200
    )
    response["Location"] = _location(request, written)
    response["ETag"] = etag(written.row)
    response["Last-Modified"] = http_date(written.row.updated_at.timestamp())  # type: ignore[attr-defined]
    return response


def _write(
    request: HttpRequest, resource_type: str, interaction: Interaction, **kw: Any
) -> HttpResponse:
    try:
        access = request_write_access(request, resource_type=resource_type, interaction=interaction)
        refs = Resolver(access)
        if interaction == "c":
            written = writes.create(
                refs=refs,
                resource_type=resource_type,
                resource=_body(request),
                if_none_exist=request.headers.get("If-None-Exist"),
            )
        else:
            written = writes.update(
                refs=refs,
                resource_type=resource_type,
                resource=_body(request),
                if_match=request.headers.get("If-Match"),
                **kw,
            )
        return _written_response(request, access, written)
    except REFUSALS as exc:
        return _refused(exc)


def search_or_create(request: HttpRequest, resource_type: str) -> HttpResponse:
    if request.method == "POST" and resource_type in writes.CREATE:
        return _write(request, resource_type, "c")
    return views.search(request, resource_type)


def read_or_update(request: HttpRequest, resource_type: str, **ids: str) -> HttpResponse:
    if request.method == "PUT" and resource_type in writes.UPDATE:
        (resource_id,) = ids.values()
        return _write(request, resource_type, "u", resource_id=resource_id)
    return views.read(request, resource_type, **ids)


def _entry_response(
    request: HttpRequest, access: FhirAccess, written: writes.Written
) -> dict[str, Any]:
    return {
        "fullUrl": f"{views._ctx(request).base}/{written.resource_type}/{written.row.pk}",
        "resource": _resource(access, written, request),
        "response": {
            "status": "201 Created" if written.created else "200 OK",
            "location": _location(request, written).split("/fhir/R4/")[-1],
            "etag": etag(written.row),
            "lastModified": written.row.updated_at.isoformat(),  # type: ignore[attr-defined]
        },
    }


def _checked(writer: Writer, entries: list[bundles.Entry]) -> Callable[[bundles.Entry], None]:
    """The check of one entry: the writer may make its write (role and token scopes)."""
    if not entries:
        raise fin.Invalid("Bundle.entry", "the Bundle has no entries")

    def check(entry: bundles.Entry) -> None:
        entry_allowed(writer, entry.resource_type, "c" if entry.method == "POST" else "u")

    return check


def bundle(request: HttpRequest) -> HttpResponse:
    """POST [base]: a transaction (all or nothing: every entry is checked before any is
    written) or a batch Bundle (each entry checked and written on its own)."""
    if request.method != "POST":
        return views.outcome(405, "not-supported", "POST a transaction or batch Bundle here")
    try:
        writer = request_writer(request)  # who it is before what it says: 401 before 400
        access = writer_access_of(writer)
        kind, entries = bundles.entries_of(_body(request))
        check = _checked(writer, entries)
        refs = Resolver(access)
        if kind == "transaction":
            try:
                done = bundles.transaction_run(refs, entries, check)
            except bundles.EntryFailed as exc:
                status, issue = refusal(exc.cause)
                return views.fhir_response(outcome_body(in_entry(issue, exc.index)), status=status)
            answers = [_entry_response(request, access, w) for w in done]
        else:
            answers = [
                _entry_response(request, access, w) if isinstance(w, writes.Written) else w
                for w in bundles.batch_run(refs, entries, _batch_refusal, check)
            ]
    except REFUSALS as exc:
        return _refused(exc)
    return views.fhir_response(
        {"resourceType": "Bundle", "type": f"{kind}-response", "entry": answers}
    )


def _batch_refusal(exc: Exception) -> dict[str, Any]:
    status, issue = refusal(exc)
    return {"response": {"status": str(status), "outcome": outcome_body(issue)}}
