"""A tenant's registered SMART backend service, for tests/clinic/test_tenant_isolation.py (the
URLs that take smart_client_id)."""

import json
from typing import Any

from otclinic.clinic.smart import services
from otclinic.clinic.smart.models import ClientKind, SmartClient
from tests.clinic.smart.helpers import ec_key


def _client(t: Any) -> SmartClient:
    made = t.__dict__.setdefault("_made", {})
    if "smart_client" not in made:
        made["smart_client"] = services.client_register(
            user=t.user,
            kind=ClientKind.BACKEND,
            name=f"Registry {t.org.slug}",
            scopes=["system/*.rs"],
            jwks={"keys": [json.loads(ec_key().export_public())]},
        )
    return made["smart_client"]


ID_KINDS = {"smart_client_id": lambda t: _client(t).pk}
