"""One of each remittance record for a tenant of tests/clinic/test_tenant_isolation.py.

Its ID_KINDS names these for the URLs that take remittance_id (its 835 file),
remittance_claim_id, denial_id and statement_id. Each is made once per tenant (kept on the
tenant) and belongs to its patient.
"""

from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile

from otclinic.clinic.care.models import Episode
from otclinic.clinic.revenue.models import (
    Denial,
    PatientStatement,
    Remittance,
    RemittanceClaim,
)
from tests.clinic.revenue.remittance.helpers import make_claim


def _once(tenant: Any, name: str, make: Any) -> Any:
    made = tenant.__dict__.setdefault("_made", {})
    if name not in made:
        made[name] = make()
    return made[name]


def _remittance(t: Any) -> Remittance:
    def make() -> Remittance:
        remittance = Remittance(
            organization=t.org,
            file_sha256="0" * 64,
            file_name="era.835",
            payer_name=t.payer.name,
            payment_amount=Decimal("0.00"),
            imported_by=t.user,
        )
        # The patient's name: a secret the isolation test looks for in every answer.
        raw = f"ISA*00*~NM1*QC*1*{t.patient.last_name}~".encode()
        remittance.file.save("era.835", ContentFile(raw), save=True)
        return remittance

    return _once(t, "remittance", make)


def _claim(t: Any) -> Any:
    return _once(
        t,
        "claim",
        lambda: make_claim(
            organization=t.org,
            control_number=f"T{t.org.pk.hex[:12]}",
            coverage=t.coverage,
            # The patient's episode, when the isolation test made one already (one per discipline).
            episode=Episode.objects.filter(patient=t.patient).first(),
        ),
    )


def remittance_claim(t: Any) -> RemittanceClaim:
    """A claim of a remittance still waiting in the unmatched queue."""
    return _once(
        t,
        "remittance_claim",
        lambda: RemittanceClaim.objects.create(
            organization=t.org,
            remittance=_remittance(t),
            patient_control_number="UNMATCHED1",
            status_code="1",
            charge=Decimal("150.00"),
            paid=Decimal("100.00"),
        ),
    )


def denial(t: Any) -> Denial:
    def make() -> Denial:
        claim = _claim(t)
        rc = RemittanceClaim.objects.create(
            organization=t.org,
            remittance=_remittance(t),
            claim=claim,
            patient_control_number=claim.patient_control_number,
            status_code="4",
            charge=Decimal("150.00"),
            paid=Decimal("0.00"),
        )
        return Denial.objects.create(
            organization=t.org,
            claim=claim,
            claim_line=claim.lines.get(),
            remittance_claim=rc,
            group_code="CO",
            reason_code="97",
            amount=Decimal("150.00"),
        )

    return _once(t, "denial", make)


def statement(t: Any) -> PatientStatement:
    def make() -> PatientStatement:
        record = PatientStatement(
            organization=t.org,
            patient=t.patient,
            statement_date=t.coverage.starts_on,
            balance=Decimal("0.00"),
            sha256="0" * 64,
        )
        record.file.save("statement.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
        return record

    return _once(t, "statement", make)


def rejection(t: Any) -> Any:
    from otclinic.clinic.revenue.models import Acknowledgment, ClaimRejection

    def make() -> Any:
        ack = Acknowledgment.objects.create(
            organization=t.org, kind="277CA", sha256="0" * 64, imported_by=t.user
        )
        return ClaimRejection.objects.create(
            organization=t.org, claim=_claim(t), acknowledgment=ack, reasons=["test"]
        )

    return _once(t, "rejection", make)


def payment(t: Any) -> Any:
    import uuid as _uuid

    from otclinic.clinic.revenue.models import PatientPayment

    return _once(
        t,
        "payment",
        lambda: PatientPayment.objects.create(
            organization=t.org,
            patient=t.patient,
            amount=Decimal("10.00"),
            method="cash",
            received_on=t.coverage.starts_on,
            receipt_number=f"R{t.org.pk.hex[:10]}",
            taken_by=t.user,
            request_token=_uuid.uuid4(),
        ),
    )


ID_KINDS = {
    "payment_id": lambda t: payment(t).pk,
    "rejection_id": lambda t: rejection(t).pk,
    "remittance_claim_id": lambda t: remittance_claim(t).pk,
    "denial_id": lambda t: denial(t).pk,
    "statement_id": lambda t: statement(t).pk,
    "remittance_id": lambda t: _remittance(t).pk,
}
