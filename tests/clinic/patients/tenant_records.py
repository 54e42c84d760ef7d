"""A tenant's patient contact, for tests/clinic/test_tenant_isolation.py (contact_id)."""

from typing import Any

from otclinic.clinic.patients.models import PatientContact


def contact(t: Any) -> PatientContact:
    made = t.__dict__.setdefault("_made", {})
    if "contact" not in made:
        made["contact"] = PatientContact.objects.create(
            organization=t.org,
            patient=t.patient,
            name=f"Kin{t.org.slug}",
            relationship="sibling",
            phone="555-0100",
        )
    return made["contact"]


ID_KINDS = {"contact_id": lambda t: contact(t).pk}
