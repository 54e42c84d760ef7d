"""Small pieces every mapper uses: references, meta, codings, periods, narrative."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from html import escape
from typing import Any

from otclinic.clinic.fhir.versions import WRITABLE, version_id
from otclinic.domain.fhir.terminology import PROFILES, UCUM, UCUM_UNITS


@dataclass(frozen=True)
class Ctx:
    """Where the server answers: the site's root (for attachment URLs) and the FHIR base."""

    site: str  # "https://clinic.example" (no trailing slash)
    base: str  # "https://clinic.example/fhir/R4"


def ref(resource_type: str, pk: object, display: str = "") -> dict[str, Any]:
    reference: dict[str, Any] = {"reference": f"{resource_type}/{pk}"}
    if display:
        reference["display"] = display
    return reference


def meta(resource_type: str, row: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"lastUpdated": instant(row.updated_at)}
    if resource_type in WRITABLE:
        out["versionId"] = version_id(row)
    profile = PROFILES.get(resource_type)
    if profile:
        out["profile"] = [profile]
    return out


def base(resource_type: str, row: Any) -> dict[str, Any]:
    return {"resourceType": resource_type, "id": str(row.pk), "meta": meta(resource_type, row)}


def instant(value: dt.datetime) -> str:
    return value.isoformat()


def day(value: dt.date) -> str:
    return value.isoformat()


def coding(system: str, code: str, display: str = "") -> dict[str, Any]:
    out = {"system": system, "code": code}
    if display:
        out["display"] = display
    return out


def concept(system: str, code: str, display: str = "", text: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {"coding": [coding(system, code, display)]}
    if text:
        out["text"] = text
    return out


def quantity(value: Decimal, unit: str) -> dict[str, Any]:
    out: dict[str, Any] = {"value": float(value) if value % 1 else int(value)}
    if unit:
        out["unit"] = unit
        if unit in UCUM_UNITS:
            out["system"], out["code"] = UCUM, UCUM_UNITS[unit]
    return out


def narrative(*lines: str) -> dict[str, Any]:
    """Generated narrative: the lines as paragraphs of escaped XHTML."""
    body = "".join(f"<p>{escape(line)}</p>" for line in lines if line)
    return {"status": "generated", "div": f'<div xmlns="http://www.w3.org/1999/xhtml">{body}</div>'}


def telecom(phone: str = "", email: str = "", fax: str = "") -> list[dict[str, Any]]:
    points = [("phone", phone), ("email", email), ("fax", fax)]
    return [{"system": system, "value": value, "use": "work"} for system, value in points if value]


def address(line: str, city: str, state: str, postal_code: str) -> list[dict[str, Any]]:
    if not any((line, city, state, postal_code)):
        return []
    out: dict[str, Any] = {"country": "US"}
    for key, value in (("city", city), ("state", state), ("postalCode", postal_code)):
        if value:
            out[key] = value
    if line:
        out["line"] = [line]
    return [out]


def prune(resource: dict[str, Any]) -> dict[str, Any]:
    """Drop empty lists, strings and None: FHIR forbids empty elements."""
    return {k: v for k, v in resource.items() if v not in (None, "", [], {})}
