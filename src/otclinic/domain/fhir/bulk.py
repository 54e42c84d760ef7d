"""Bulk Data Access IG v2 (`$export`): the kick-off's parameters and the manifest's shape.

Pure: the clinic side hands in the query's (name, value) pairs and the types the caller may
export; what comes back is a typed request or a `BadParameter` naming the parameter
(HL7 FHIR Bulk Data Access 2.0.0, "Bulk Data Kick-off Request" and "Response - Complete Status").
"""

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from otclinic.domain.fhir.search import BadParameter

# The formats the IG names for NDJSON; the server writes application/fhir+ndjson for all three.
NDJSON_FORMATS = frozenset({"application/fhir+ndjson", "application/ndjson", "ndjson"})
NDJSON = "application/fhir+ndjson"
# Parameters of the IG this server does not serve: refused by name rather than ignored
# (the IG lets a server refuse what it cannot honour).
UNSUPPORTED = frozenset(
    {"_elements", "_typeFilter", "includeAssociatedData", "patient", "_until", "organizeOutputBy"}
)


@dataclass(frozen=True)
class ExportRequest:
    """What a kick-off asks for: the types in order, and the instant after which they changed."""

    types: tuple[str, ...]
    since: dt.datetime | None


def parse_since(value: str) -> dt.datetime:
    """A FHIR instant (`2026-12-01T00:00:00Z`, `...+05:00`): a time with its offset."""
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise BadParameter("_since", f"{value!r} is not a FHIR instant") from None
    if "T" not in value or moment.tzinfo is None:
        raise BadParameter("_since", f"{value!r} needs a time and a time zone offset")
    return moment


def parse_types(
    values: Sequence[str], *, known: Collection[str], allowed: Sequence[str]
) -> tuple[str, ...]:
    """`_type` (comma-separated, may repeat) as the types to write, in `allowed`'s order;
    every type allowed when none is given."""
    if not values:
        return tuple(allowed)
    asked = {name.strip() for value in values for name in value.split(",") if name.strip()}
    for name in sorted(asked):
        if name not in known:
            raise BadParameter("_type", f"this server does not serve {name}")
        if name not in allowed:
            raise BadParameter("_type", f"{name} cannot be exported by this caller at this level")
    return tuple(name for name in allowed if name in asked)


def parse_kickoff(
    pairs: Sequence[tuple[str, str]], *, known: Collection[str], allowed: Sequence[str]
) -> ExportRequest:
    """The kick-off's query: `_outputFormat` (NDJSON only), `_type`, `_since`."""
    types, since = list[str](), list[str]()
    for name, value in pairs:
        if name == "_outputFormat":
            if value not in NDJSON_FORMATS:
                raise BadParameter(name, f"{value!r}: only {NDJSON} is written")
        elif name == "_type":
            types.append(value)
        elif name == "_since":
            since.append(value)
        elif name in UNSUPPORTED:
            raise BadParameter(name, "not supported by this server")
        else:
            raise BadParameter(name, "not a parameter of $export")
    if len(since) > 1:
        raise BadParameter("_since", "give it once")
    return ExportRequest(
        types=parse_types(types, known=known, allowed=allowed),
        since=parse_since(since[0]) if since else None,
    )


@dataclass(frozen=True)
class OutputFile:
    """One NDJSON file of an export: its resource type, its URL and how many lines it holds."""

    type: str
    url: str
    count: int


def manifest(
    *,
    transaction_time: dt.datetime,
    request: str,
    output: Sequence[OutputFile],
    error: Sequence[OutputFile],
) -> dict[str, Any]:
    """The complete-status body: the files to download (each needs the same authorization)."""
    return {
        "transactionTime": transaction_time.isoformat(),
        "request": request,
        "requiresAccessToken": True,
        "output": [{"type": f.type, "url": f.url, "count": f.count} for f in output],
        "error": [{"type": f.type, "url": f.url, "count": f.count} for f in error],
    }
