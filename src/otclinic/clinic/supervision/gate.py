"""The scheduling seam: may this clinician be booked, as far as supervision rules go?

New York (8 NYCRR 76.8): an OTA with no written supervision plan in force cannot be scheduled.
The answer comes from the supervision engine itself (`SupervisionStatus.blocks_scheduling`), so
any pack that requires a written plan blocks booking the same way.
"""

import datetime as dt
from typing import Any

from otclinic.clinic.supervision.adapters import plan_facts
from otclinic.clinic.supervision.plans import plan_in_force
from otclinic.domain.codes import Role, Setting
from otclinic.domain.compliance.findings import Severity
from otclinic.domain.compliance.supervision_contacts import OtaFacts, supervision_status
from otclinic.domain.compliance.supervision_packs import WorkContext


def booking_problems(*, clinician: Any, clinic: Any, day: dt.date) -> list[str]:
    """Why `clinician` may not be booked at `clinic` on `day` (empty: nothing in the way)."""
    if clinician.user.role != Role.OTA:
        return []
    plan = plan_in_force(ota=clinician, day=day)
    facts = OtaFacts(
        contexts=(WorkContext(clinic.state, Setting(clinic.setting)),),
        plan=plan_facts(plan) if plan else None,
    )
    status = supervision_status(facts, as_of=day)
    if not status.blocks_scheduling:
        return []
    return [
        f"{clinician}: {f.message} Record the plan under Supervision ({f.citation})."
        for f in status.findings
        if f.rule_id == status.plan_required_by and f.severity is Severity.ERROR
    ]
