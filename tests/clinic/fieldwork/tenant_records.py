"""A fieldwork placement for a tenant of tests/clinic/test_tenant_isolation.py (placement_id)."""

from typing import Any

from otclinic.clinic.fieldwork.models import FieldworkPlacement
from tests.clinic import factories as f
from tests.clinic.fieldwork.helpers import EXPERIENCED, placement_row


def placement(t: Any) -> FieldworkPlacement:
    made = t.__dict__.setdefault("_made", {})
    if "placement" not in made:
        educator = f.StaffProfileFactory(
            user__organization=t.org, user__role="OT", practice_started_on=EXPERIENCED
        )
        made["placement"] = placement_row(educator=educator)
    return made["placement"]


ID_KINDS = {"placement_id": lambda t: placement(t).pk}
