"""A tenant's clinician for tests/clinic/test_tenant_isolation.py (staff_id)."""

from typing import Any

from tests.clinic import factories as f


def clinician(t: Any) -> Any:
    made = t.__dict__.setdefault("_made", {})
    if "clinician" not in made:
        made["clinician"] = f.StaffProfileFactory(user__organization=t.org, user__role="OT")
    return made["clinician"]


ID_KINDS = {"staff_id": lambda t: clinician(t).pk}
