"""A tenant's portal-sharing consent and portal access, for tests/clinic/test_tenant_isolation.py."""

from typing import Any

from otclinic.clinic.patients.models import Consent, PortalAccess
from tests.clinic import factories as f
from tests.clinic.portal.helpers import contact_for, sharing_consent


def _made(t: Any) -> dict[str, Any]:
    return t.__dict__.setdefault("_made", {})  # type: ignore[no-any-return]


def consent(t: Any) -> Consent:
    made = _made(t)
    if "portal_consent" not in made:
        made["portal_consent"] = sharing_consent(t.patient, contact_for(t.patient))
    return made["portal_consent"]  # type: ignore[no-any-return]


def access(t: Any) -> PortalAccess:
    made = _made(t)
    if "portal_access" not in made:
        made["portal_access"] = f.PortalAccessFactory(patient=t.patient)
    return made["portal_access"]  # type: ignore[no-any-return]


ID_KINDS = {"consent_id": lambda t: consent(t).pk, "access_id": lambda t: access(t).pk}
