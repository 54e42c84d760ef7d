"""OperationOutcome and Bundle shapes (FHIR R4 sec. 2.36, 2.20; issue codes: IssueType)."""

from collections.abc import Sequence
from typing import Any


def operation_outcome(
    *, code: str, diagnostics: str, expression: str | None = None, severity: str = "error"
) -> dict[str, Any]:
    """One issue; `expression` names the parameter or element it is about."""
    issue: dict[str, Any] = {"severity": severity, "code": code, "diagnostics": diagnostics}
    if expression:
        issue["expression"] = [expression]
    return {"resourceType": "OperationOutcome", "issue": [issue]}


def searchset(
    *,
    total: int,
    links: Sequence[tuple[str, str]],
    matches: Sequence[tuple[str, dict[str, Any]]],
    included: Sequence[tuple[str, dict[str, Any]]] = (),
) -> dict[str, Any]:
    """A searchset Bundle: the matches (search mode `match`), then what was included."""
    entries = [
        {"fullUrl": url, "resource": resource, "search": {"mode": "match"}}
        for url, resource in matches
    ]
    entries += [
        {"fullUrl": url, "resource": resource, "search": {"mode": "include"}}
        for url, resource in included
    ]
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": total,
        "link": [{"relation": relation, "url": url} for relation, url in links],
        "entry": entries,
    }
