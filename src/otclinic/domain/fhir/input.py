"""Reading what a partner sends: elements of a posted resource, references and identifiers.

Each problem is an `Invalid` naming the element it is about (a FHIRPath such as
`Patient.birthDate`), so the server's OperationOutcome can point at it.
"""

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")


class Invalid(ValueError):
    """An element the server cannot use: `expression` names it; `status` 400 (not readable
    FHIR) or 422 (readable, but refused by a business rule)."""

    def __init__(self, expression: str, message: str, *, status: int = 400) -> None:
        super().__init__(f"{expression}: {message}")
        self.expression = expression
        self.message = message
        self.status = status


def text(resource: Mapping[str, Any], name: str, expression: str, *, required: bool = False) -> str:
    """A string element, "" when absent (Invalid if required and absent, or not a string)."""
    value = resource.get(name)
    if value is None or value == "":
        if required:
            raise Invalid(expression, "is required")
        return ""
    if not isinstance(value, str):
        raise Invalid(expression, "must be a string")
    return value.strip()


def date(value: Any, expression: str) -> dt.date:
    """A FHIR `date` (YYYY-MM-DD) or the day of a `dateTime`."""
    if not isinstance(value, str) or len(value) < 10:
        raise Invalid(expression, "must be a full date, YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError as exc:
        raise Invalid(expression, f"{value!r} is not a date") from exc


def instant(value: Any, expression: str) -> dt.datetime:
    """A FHIR `instant`/`dateTime` with a time and a zone."""
    if not isinstance(value, str):
        raise Invalid(expression, "must be a date and time with a zone")
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise Invalid(expression, f"{value!r} is not a date and time") from exc
    if parsed.tzinfo is None:
        raise Invalid(expression, "needs a time zone (e.g. -05:00 or Z)")
    return parsed


@dataclass(frozen=True)
class Reference:
    """A Reference as sent: `Type/id`, a `urn:uuid:` of another entry of the same Bundle, a
    conditional `Type?identifier=...`, or a logical identifier."""

    resource_type: str
    id: str = ""
    urn: str = ""
    query: str = ""
    identifier: tuple[str, str] | None = None


def reference(value: Any, expression: str, *, resource_type: str) -> Reference:
    """The reference to a `resource_type`, in any form the server resolves."""
    if not isinstance(value, Mapping):
        raise Invalid(expression, f"must be a Reference to a {resource_type}")
    raw = value.get("reference")
    if isinstance(raw, str) and raw:
        return _reference_string(raw, expression, resource_type)
    ident = value.get("identifier")
    if isinstance(ident, Mapping) and ident.get("system") and ident.get("value"):
        return Reference(resource_type, identifier=(str(ident["system"]), str(ident["value"])))
    raise Invalid(expression, f"must reference a {resource_type} (reference or identifier)")


def _reference_string(raw: str, expression: str, resource_type: str) -> Reference:
    if raw.startswith("urn:uuid:"):
        return Reference(resource_type, urn=raw)
    path = raw.split("/fhir/R4/")[-1]
    kind, _, rest = path.partition("?") if "?" in path else path.partition("/")
    if kind != resource_type:
        raise Invalid(expression, f"must reference a {resource_type}, not {raw!r}")
    if "?" in path:
        return Reference(resource_type, query=rest)
    if not _ID.match(rest):
        raise Invalid(expression, f"{raw!r} is not a {resource_type} id")
    return Reference(resource_type, id=rest)


def identifier_query(query: str, expression: str) -> tuple[str, str]:
    """`identifier=system|value` (the one search a conditional create or reference may use)."""
    name, _, token = query.partition("=")
    system, bar, value = token.partition("|")
    if name != "identifier" or not bar or not system or not value:
        raise Invalid(expression, "use identifier=system|value")
    return system, value


def codings(concept: Any, expression: str) -> list[tuple[str, str]]:
    """The (system, code) pairs of a CodeableConcept."""
    if concept is None:
        return []
    if not isinstance(concept, Mapping) or not isinstance(concept.get("coding", []), list):
        raise Invalid(expression, "must be a CodeableConcept")
    return [
        (str(c.get("system", "")), str(c.get("code", "")))
        for c in concept.get("coding", [])
        if isinstance(c, Mapping)
    ]


def etag_version(value: str) -> str:
    """The version an `If-Match`/`ETag` names: `W/"3"` or `"3"` -> `3`."""
    value = value.strip()
    if value.startswith("W/"):
        value = value[2:]
    return value.strip('"')
