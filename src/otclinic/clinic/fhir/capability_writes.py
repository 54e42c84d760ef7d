"""What the CapabilityStatement says of writes: per type its create/update, versions and
conditional create, and the system's transaction and batch."""

from typing import Any

from otclinic.clinic.fhir.versions import WRITABLE
from otclinic.clinic.fhir.writes import CREATE, UPDATE

SYSTEM_INTERACTIONS = [{"code": "transaction"}, {"code": "batch"}]


def write_capability(resource_type: str) -> dict[str, Any]:
    """The elements to add to the type's `rest.resource` (nothing for a read-only type)."""
    if resource_type not in WRITABLE:
        return {}
    interactions = [{"code": "create"}]
    if resource_type in UPDATE:
        interactions.append({"code": "update"})
    return {
        "interaction": interactions,
        "versioning": "versioned-update",
        "readHistory": False,
        "updateCreate": False,
        "conditionalCreate": resource_type in CREATE,
    }
