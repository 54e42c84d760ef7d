"""The refusals of a FHIR write and the OperationOutcome each answers with."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from otclinic.clinic.fhir.auth import NotSignedIn
from otclinic.clinic.fhir.writes import Duplicate, PreconditionFailed, PreconditionRequired
from otclinic.clinic.scheduling.services import BookingRefused
from otclinic.domain.fhir import input as fin
from otclinic.domain.fhir.search import BadParameter

REFUSALS = (
    fin.Invalid,
    BadParameter,
    NotSignedIn,
    PermissionDenied,
    Http404,
    Duplicate,
    PreconditionFailed,
    PreconditionRequired,
    BookingRefused,
)


def refusal(exc: Exception) -> tuple[int, dict[str, Any]]:
    """The status and the OperationOutcome issue for one of `REFUSALS`."""
    if isinstance(exc, fin.Invalid):
        code = "invalid" if exc.status == 400 else "processing"
        return exc.status, _issue(code, exc.message, exc.expression)
    if isinstance(exc, BadParameter):
        return 400, _issue("invalid", str(exc), exc.name)
    if isinstance(exc, NotSignedIn):
        return 401, _issue(
            "login",
            "sign in to write: a session, an otclinic API token or a SMART access token "
            "(expired, revoked or unknown tokens are refused)",
        )
    if isinstance(exc, PermissionDenied):
        return 403, _issue("forbidden", str(exc) or "not allowed")
    if isinstance(exc, Http404):
        return 404, _issue("not-found", str(exc) or "not found")
    if isinstance(exc, Duplicate):
        found = ", ".join(exc.references)
        return 409, _issue("duplicate", f"{exc} ({found})", exc.resource_type)
    if isinstance(exc, PreconditionFailed):
        return 412, _issue("conflict", str(exc))
    if isinstance(exc, PreconditionRequired):
        return 428, _issue("required", str(exc))
    if isinstance(exc, BookingRefused):
        return 409, _issue("conflict", "; ".join(exc.reasons), "Appointment")
    raise exc


def _issue(code: str, diagnostics: str, expression: str | None = None) -> dict[str, Any]:
    issue: dict[str, Any] = {"severity": "error", "code": code, "diagnostics": diagnostics}
    if expression:
        issue["expression"] = [expression]
    return issue


def outcome_body(issue: dict[str, Any]) -> dict[str, Any]:
    return {"resourceType": "OperationOutcome", "issue": [issue]}


def in_entry(issue: dict[str, Any], index: int) -> dict[str, Any]:
    """The issue of a Bundle's entry: its expression under `Bundle.entry[i].resource`."""
    at = f"Bundle.entry[{index}]"
    paths = (
        [
            f"{at}.resource.{e.split('.', 1)[1]}" if "." in e else f"{at}.resource"
            for e in issue.get("expression", [])
            if not e.startswith("Bundle.")
        ]
        or [e for e in issue.get("expression", []) if e.startswith("Bundle.")]
        or [at]
    )
    return {**issue, "expression": paths, "diagnostics": f"entry {index}: {issue['diagnostics']}"}
