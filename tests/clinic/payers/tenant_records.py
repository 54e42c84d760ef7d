"""One of a tenant's own billing codes for tests/clinic/test_tenant_isolation.py (billing_code_id)."""

from typing import Any

from otclinic.clinic.payers.models import ClinicBillingCode


def clinic_code(t: Any) -> ClinicBillingCode:
    made = t.__dict__.setdefault("_made", {})
    if "clinic_code" not in made:
        made["clinic_code"] = ClinicBillingCode.objects.create(
            organization=t.org,
            code="T1015",
            kind="untimed",
            # The patient's name: a secret the walk looks for in another organization's answers.
            summary=f"Encounter {t.patient.last_name}",
            source="State Medicaid fee schedule, 2026",
            added_by=t.user,
        )
    return made["clinic_code"]


ID_KINDS = {"billing_code_id": lambda t: clinic_code(t).pk}
