"""Posting an ERA (X12 835): payments, adjustments and patient responsibility onto the ledger.

`era_import` is the one door (the upload page and `otclinic era import` use it). It reads the
file with the pure domain reader, then posts every transaction set in one database transaction:
all or nothing. A transaction set already imported (same organization, file hash and index)
posts nothing and says who imported it and when.

How a remittance becomes ledger entries, per service line (SVC) matched to a claim line:

- the line's charge is on the ledger once (posted here if claim submission did not);
- SVC03 paid: a `payer_payment` entry, negative;
- each CAS triple: CO, OA, PI and CR are `adjustment` entries (negative); PR is a `transfer`
  from the payer's responsibility to the patient's (two entries that net to zero on the line);
- a denying CARC on a line paid nothing is not written down: the amount stays open and a
  `Denial` goes to the work queue, where a biller writes it off, bills the patient or appeals;
- claim-level CAS with service lines present was taken out of the lines' payments (TR3 1.10.2.1:
  CLP04 = sum of SVC03 - claim CAS), so it is posted as the adjustment plus a payment reduction,
  spread over the lines by charge; without service lines, CLP04 and the claim CAS are spread
  over the claim's lines by charge.

So for every line: charge = payments + adjustments + balance, to the cent. A claim sent to a
secondary payer (`primary_claim` set) posts onto the primary claim's lines, which carry the
charge; a claim that matches nothing waits in the unmatched queue until a biller matches it.
"""

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.audit.models import AuditAction
from otclinic.clinic.audit.services import audit_record
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.revenue.models import (
    Claim,
    Denial,
    LedgerEntry,
    Remittance,
    RemittanceClaim,
    RemittanceService,
)
from otclinic.clinic.revenue.posting_lines import (
    ZERO,
    Batch,
    adjustments_json,
    ensure_charges,
    post_claim,
    store_services,
)
from otclinic.domain.access import Capability
from otclinic.domain.claims.x12.era import EraError, read_era_bytes
from otclinic.domain.claims.x12.era_model import (
    Adjustment,
    ClaimPayment,
    ServicePayment,
    Transaction,
)

log = logging.getLogger(__name__)


class EraImportError(ValueError):
    """The file cannot be read as an 835; nothing was posted. The message names the segment."""


@dataclass
class ImportReport:
    """What one import did, for the upload page and the command line."""

    filename: str
    sha256: str
    remittances: list[Remittance] = field(default_factory=list)
    already_imported: list[str] = field(default_factory=list)
    posted: list[RemittanceClaim] = field(default_factory=list)
    unmatched: list[RemittanceClaim] = field(default_factory=list)
    denials: list[Denial] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    entries: int = 0

    @property
    def nothing_posted(self) -> bool:
        return not self.remittances


@transaction.atomic
def era_import(*, user: Any, raw: bytes, filename: str) -> ImportReport:
    """Post every transaction set of the 835 in `raw` for the user's organization, or nothing."""
    require(user, Capability.MANAGE_BILLING)
    try:
        era = read_era_bytes(raw)
    except EraError as exc:
        raise EraImportError(f"{filename}: {exc}") from None
    report = ImportReport(filename=filename, sha256=hashlib.sha256(raw).hexdigest())
    report.warnings.extend(era.warnings)
    earlier = {
        r.transaction_index: r
        for r in Remittance.objects.for_org(user.organization_id)
        .filter(file_sha256=report.sha256)
        .select_related("imported_by")
    }
    for index, tx in enumerate(era.transactions):
        if index in earlier:
            report.already_imported.append(_already_message(tx, earlier[index]))
            continue
        _post_transaction(user=user, tx=tx, index=index, report=report)
    return report


def _already_message(tx: Transaction, earlier: Remittance) -> str:
    when = timezone.localtime(earlier.created_at).date().isoformat()
    return (
        f"transaction {tx.control_number} (payment {tx.payment.amount}) was already imported"
        f" on {when} by {earlier.imported_by.username}: nothing posted"
    )


def _post_transaction(*, user: Any, tx: Transaction, index: int, report: ImportReport) -> None:
    org = user.organization_id
    remittance = Remittance.objects.create(
        organization_id=org,
        file_sha256=report.sha256,
        transaction_index=index,
        payer_name=(tx.payer.name or tx.payer.id or "unnamed payer")[:120],
        payer_identifier=(tx.payer.id or "")[:50],
        payment_amount=tx.payment.amount,
        payment_method=tx.payment.method[:10],
        payment_date=tx.payment.date,
        trace_number=(tx.payment.trace_number or "")[:50],
        provider_adjustments=[
            {"reason": p.reason, "amount": str(p.amount)} for p in tx.provider_adjustments
        ],
        imported_by=user,
    )
    claims = _claims_by_control_number(org, [c.patient_control_number for c in tx.claims])
    batch = Batch()
    remittance_claims = [
        _remittance_claim(remittance, payment, claims.get(payment.patient_control_number))
        for payment in tx.claims
    ]
    RemittanceClaim.objects.bulk_create(remittance_claims, batch_size=1000)
    ensure_charges(org, claims.values(), batch)
    for payment, rc in zip(tx.claims, remittance_claims, strict=True):
        claim = rc.claim
        if claim is None:
            store_services(rc, payment.services, [None] * len(payment.services), batch)
            report.unmatched.append(rc)
            continue
        post_claim(rc=rc, payment=payment, claim=claim, remittance=remittance, batch=batch)
        report.posted.append(rc)
    _write(batch, report)
    report.remittances.append(remittance)
    audit_record(
        action=AuditAction.BULK,
        object_type="revenue.remittance",
        object_id=remittance.pk,
        organization_id=org,
        detail=(
            f"835 import: {len(tx.claims)} claims, {len(batch.entries)} ledger entries,"
            f" {len(batch.denials)} denials"
        ),
    )
    log.info("remittance %s posted: %s ledger entries", remittance.pk, len(batch.entries))


def _write(batch: Batch, report: ImportReport) -> None:
    RemittanceService.objects.bulk_create(batch.services, batch_size=1000)
    LedgerEntry.objects.bulk_create(batch.entries, batch_size=1000)
    Denial.objects.bulk_create(batch.denials, batch_size=1000)
    Claim.objects.bulk_update(
        batch.claims, ["status", "payer_claim_number", "updated_at"], batch_size=1000
    )
    report.denials.extend(batch.denials)
    report.warnings.extend(batch.warnings)
    report.entries += len(batch.entries)


def _claims_by_control_number(org: Any, numbers: Sequence[str]) -> dict[str, Claim]:
    """The organization's claims with these CLM01 numbers (never another organization's)."""
    found: dict[str, Claim] = {}
    unique = sorted(set(numbers))
    for start in range(0, len(unique), 500):
        chunk = unique[start : start + 500]
        rows = (
            Claim.objects.for_org(org)
            .filter(patient_control_number__in=chunk)
            .select_related("primary_claim")
            .prefetch_related("lines", "primary_claim__lines")
        )
        found.update({c.patient_control_number: c for c in rows})
    return found


def _remittance_claim(
    remittance: Remittance, payment: ClaimPayment, claim: Claim | None
) -> RemittanceClaim:
    return RemittanceClaim(
        organization_id=remittance.organization_id,
        remittance=remittance,
        claim=claim,
        patient_control_number=payment.patient_control_number[:38],
        status_code=payment.status_code[:2],
        charge=payment.charge,
        paid=payment.paid,
        patient_responsibility=payment.patient_responsibility,
        payer_claim_number=(payment.payer_claim_number or "")[:50],
        adjustments=adjustments_json(payment.adjustments),
    )


# Posting one claim ---------------------------------------------------------------------------


@transaction.atomic
def remittance_claim_match(*, user: Any, remittance_claim: RemittanceClaim, claim: Claim) -> int:
    """Match a queued remittance claim to one of the organization's claims and post it.

    Returns the number of denials it made.
    """
    require(user, Capability.MANAGE_BILLING)
    rc = (
        RemittanceClaim.objects.select_for_update()
        .select_related("remittance")
        .get(pk=remittance_claim.pk, organization_id=user.organization_id)
    )
    if rc.claim_id is not None:
        raise ValidationFailed({"claim": ["This remittance claim is already posted."]})
    if claim.organization_id != user.organization_id:
        raise ValidationFailed({"claim": ["No such claim."]})
    claim = Claim.objects.select_related("primary_claim").get(pk=claim.pk)
    payment = claim_payment_from_rows(rc)
    rc.services.all().delete()
    batch = Batch()
    ensure_charges(user.organization_id, [claim], batch)
    rc.claim = claim
    rc.save(update_fields=["claim", "updated_at"])
    post_claim(rc=rc, payment=payment, claim=claim, remittance=rc.remittance, batch=batch)
    report = ImportReport(filename="", sha256=rc.remittance.file_sha256)
    _write(batch, report)
    return len(report.denials)


def claim_payment_from_rows(rc: RemittanceClaim) -> ClaimPayment:
    """The reader's facts again, from what the import stored for a queued claim."""
    services = tuple(
        ServicePayment(
            procedure=s.procedure,
            modifiers=tuple(s.modifiers),
            charge=s.charge,
            paid=s.paid,
            units=Decimal(s.units),
            date=s.date_of_service,
            adjustments=_adjustments_from_json(s.adjustments),
            remarks=tuple(s.remarks),
        )
        for s in rc.services.order_by("created_at", "id")
    )
    return ClaimPayment(
        patient_control_number=rc.patient_control_number,
        status_code=rc.status_code,
        charge=rc.charge,
        paid=rc.paid,
        patient_responsibility=rc.patient_responsibility or ZERO,
        payer_claim_number=rc.payer_claim_number or None,
        adjustments=_adjustments_from_json(rc.adjustments),
        services=services,
    )


def _adjustments_from_json(rows: list[dict[str, str]]) -> tuple[Adjustment, ...]:
    return tuple(Adjustment(r["group"], r["reason"], Decimal(r["amount"])) for r in rows)
