"""An OTA for a tenant of tests/clinic/test_tenant_isolation.py (ota_id)."""

from typing import Any

from otclinic.clinic.staff.models import StaffProfile
from tests.clinic import factories as f


def ota(t: Any) -> StaffProfile:
    made = t.__dict__.setdefault("_made", {})
    if "ota" not in made:
        made["ota"] = f.StaffProfileFactory(user__organization=t.org, user__role="OTA")
    return made["ota"]


ID_KINDS = {"ota_id": lambda t: ota(t).pk}
