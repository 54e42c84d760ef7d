"""The CapabilityStatement at /fhir/R4/metadata: exactly the types and searches served."""

from typing import Any

from otclinic.clinic.fhir.capability_writes import SYSTEM_INTERACTIONS, write_capability
from otclinic.clinic.fhir.catalog import TYPES
from otclinic.clinic.fhir.server import COMMON
from otclinic.domain.fhir.terminology import FHIR_VERSION, PROFILES

US_CORE_SERVER = "http://hl7.org/fhir/us/core/CapabilityStatement/us-core-server"
OAUTH_URIS = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris"
SECURITY_SERVICE = "http://terminology.hl7.org/CodeSystem/restful-security-service"


def smart_security(*, base: str) -> dict[str, Any]:
    """`rest.security`'s SMART parts: the service coding and the OAuth endpoints (the site's
    /oauth/, beside /fhir/R4)."""
    oauth = base.removesuffix("/fhir/R4") + "/oauth"
    return {
        "extension": [
            {
                "url": OAUTH_URIS,
                "extension": [
                    {"url": name, "valueUri": f"{oauth}/{name}"}
                    for name in ("authorize", "token", "revoke")
                ],
            }
        ],
        "service": [
            {
                "coding": [{"system": SECURITY_SERVICE, "code": "SMART-on-FHIR"}],
                "text": "OAuth2 using SMART-on-FHIR profile (see http://docs.smarthealthit.org)",
            }
        ],
    }


BULK_EXPORT = "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export"


def capability_statement(*, base: str, date: str) -> dict[str, Any]:
    resources = []
    for name, served in sorted(TYPES.items()):
        resource: dict[str, Any] = {
            "type": name,
            "interaction": [{"code": "read"}, {"code": "search-type"}],
            "searchParam": [
                {"name": param, "type": kind} for param, kind in {**COMMON, **served.search}.items()
            ],
        }
        if PROFILES.get(name):
            resource["supportedProfile"] = [PROFILES[name]]
        if served.revinclude_provenance:
            resource["searchRevInclude"] = ["Provenance:target"]
        includes = list(served.includes)
        if any(source.patient_paths for source in served.sources) and name != "Patient":
            includes.insert(0, f"{name}:patient")
        if includes:
            resource["searchInclude"] = includes
        writes = write_capability(name)
        resource["interaction"] += writes.pop("interaction", [])
        resources.append(resource | writes)
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": date,
        "kind": "instance",
        "software": {"name": "otclinic"},
        "implementation": {
            "description": "otclinic FHIR R4 server (read, search, and writes of referrals, patients, coverages and appointments)",
            "url": base,
        },
        "fhirVersion": FHIR_VERSION,
        "format": ["json"],
        "instantiates": [US_CORE_SERVER],
        "rest": [
            {
                "mode": "server",
                "security": {
                    "cors": False,
                    "description": (
                        "Staff sign in by session or HTTP basic (roles that use the API; "
                        "writes by session or an API token with the write scope); "
                        "patients and caregivers by their portal session, and see only the "
                        "patients and parts of the record shared with them. Registered apps "
                        "connect with SMART on FHIR (App Launch and Backend Services)."
                    ),
                    **smart_security(base=base),
                },
                "resource": resources,
                # Bulk Data Access IG v2: system, Patient and Group level (docs/fhir.md).
                "operation": [{"name": "export", "definition": BULK_EXPORT}],
                "interaction": SYSTEM_INTERACTIONS,
            }
        ],
    }
