"""A tenant's clearinghouse file and payer for tests/clinic/test_tenant_isolation.py."""

from typing import Any


def exchange_file(t: Any) -> Any:
    from otclinic.clinic.clearinghouse.files import inbox_put

    made = t.__dict__.setdefault("_made", {})
    if "exchange_file" not in made:
        # The patient's name: a secret the isolation test looks for in every answer.
        raw = f"ISA*00*~NM1*IL*1*{t.patient.last_name}~".encode()
        made["exchange_file"] = inbox_put(organization_id=t.org.pk, name="in.277", data=raw)
    return made["exchange_file"]


def payer(t: Any) -> Any:
    from tests.clinic import factories as f

    made = t.__dict__.setdefault("_made", {})
    if "payer" not in made:
        made["payer"] = f.PayerFactory(organization=t.org, name=f"Plan {t.patient.last_name}")
    return made["payer"]


ID_KINDS = {
    "exchange_file_id": lambda t: exchange_file(t).pk,
    "payer_id": lambda t: payer(t).pk,
}
