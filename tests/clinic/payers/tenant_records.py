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


def eligibility_file(t: Any) -> Any:
    from django.core.files.base import ContentFile

    from otclinic.clinic.payers.models import EligibilityFile

    made = t.__dict__.setdefault("_made", {})
    if "eligibility_file" not in made:
        record = EligibilityFile(organization=t.org, kind="270", sha256="0" * 64, created_by=t.user)
        # The patient's name: a secret the isolation test looks for in every answer.
        raw = f"ISA*00*~NM1*IL*1*{t.patient.last_name}~".encode()
        record.file.save("270.x12", ContentFile(raw), save=True)
        made["eligibility_file"] = record
    return made["eligibility_file"]


ID_KINDS = {
    "billing_code_id": lambda t: clinic_code(t).pk,
    "file_id": lambda t: eligibility_file(t).pk,
}
