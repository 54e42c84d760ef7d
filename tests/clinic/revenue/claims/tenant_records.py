"""One claim and one 837P batch for a tenant of tests/clinic/test_tenant_isolation.py.

Its ID_KINDS names these for the URLs that take claim_id and batch_id. Each is made once per
tenant (kept on the tenant, shared with the remittance records' claim) and belongs to it.
"""

import hashlib
from typing import Any

from django.core.files.base import ContentFile

from otclinic.clinic.care.models import Episode
from otclinic.clinic.revenue.models import ClaimBatch
from tests.clinic.revenue.remittance.helpers import make_claim


def _once(tenant: Any, name: str, make: Any) -> Any:
    made = tenant.__dict__.setdefault("_made", {})
    if name not in made:
        made[name] = make()
    return made[name]


def _claim(t: Any) -> Any:
    return _once(
        t,
        "claim",
        lambda: make_claim(
            organization=t.org,
            control_number=f"T{t.org.pk.hex[:12]}",
            coverage=t.coverage,
            episode=Episode.objects.filter(patient=t.patient).first(),
        ),
    )


def _batch(t: Any) -> ClaimBatch:
    content = f"ISA*00*{t.patient.last_name}~"  # the patient's name: a secret the test looks for

    def make() -> ClaimBatch:
        batch = ClaimBatch(
            organization=t.org,
            payer=t.payer,
            interchange_control_number=1,
            sha256=hashlib.sha256(content.encode()).hexdigest(),
            created_by=t.user,
        )
        batch.file.save("837P-000000001.x12", ContentFile(content.encode()), save=True)
        return batch

    return _once(t, "batch", make)


ID_KINDS = {"claim_id": lambda t: _claim(t).pk, "batch_id": lambda t: _batch(t).pk}
