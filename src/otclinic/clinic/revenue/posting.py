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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.audit.models import AuditAction
from otclinic.clinic.audit.services import audit_record
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.revenue.denial_codes import carc_text, denies
from otclinic.clinic.revenue.models import (
    Claim,
    ClaimLine,
    ClaimStatus,
    Denial,
    LedgerEntry,
    LedgerKind,
    Remittance,
    RemittanceClaim,
    RemittanceService,
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

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
PATIENT_GROUP = "PR"

# CLP02 claim status codes (835 TR3 2100 CLP02) and what they make of our claim.
CLAIM_STATUS = {
    "1": ClaimStatus.PAID,  # processed as primary
    "2": ClaimStatus.PAID,  # processed as secondary
    "3": ClaimStatus.PAID,  # processed as tertiary
    "4": ClaimStatus.DENIED,
    "19": ClaimStatus.PAID,  # primary, forwarded to another payer
    "20": ClaimStatus.PAID,  # secondary, forwarded
    "21": ClaimStatus.PAID,  # tertiary, forwarded
    "22": ClaimStatus.SUBMITTED,  # reversal of a previous payment: awaiting the corrected one
}
REVERSAL = "22"


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


@dataclass
class _Batch:
    """Rows to write at the end of a transaction set, in bulk."""

    entries: list[LedgerEntry] = field(default_factory=list)
    denials: list[Denial] = field(default_factory=list)
    services: list[RemittanceService] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


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
    batch = _Batch()
    remittance_claims = [
        _remittance_claim(remittance, payment, claims.get(payment.patient_control_number))
        for payment in tx.claims
    ]
    RemittanceClaim.objects.bulk_create(remittance_claims, batch_size=1000)
    _ensure_charges(org, claims.values(), batch)
    for payment, rc in zip(tx.claims, remittance_claims, strict=True):
        claim = rc.claim
        if claim is None:
            _store_services(rc, payment.services, [None] * len(payment.services), batch)
            report.unmatched.append(rc)
            continue
        _post_claim(rc=rc, payment=payment, claim=claim, remittance=remittance, batch=batch)
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


def _write(batch: _Batch, report: ImportReport) -> None:
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
        adjustments=_adjustments_json(payment.adjustments),
    )


def _adjustments_json(adjustments: Iterable[Adjustment]) -> list[dict[str, str]]:
    return [{"group": a.group, "reason": a.reason, "amount": str(a.amount)} for a in adjustments]


def _store_services(
    rc: RemittanceClaim,
    services: Sequence[ServicePayment],
    lines: Sequence[ClaimLine | None],
    batch: _Batch,
) -> None:
    for svc, line in zip(services, lines, strict=True):
        batch.services.append(
            RemittanceService(
                organization_id=rc.organization_id,
                remittance_claim=rc,
                claim_line=line,
                procedure=svc.procedure[:10],
                modifiers=list(svc.modifiers),
                charge=svc.charge,
                paid=svc.paid,
                units=max(1, int(svc.units)),
                date_of_service=svc.date,
                adjustments=_adjustments_json(svc.adjustments),
                remarks=list(svc.remarks),
            )
        )


# Posting one claim ---------------------------------------------------------------------------


def ledger_claim(claim: Claim) -> Claim:
    """The claim whose lines carry the charge: the primary's, for a claim to a secondary payer."""
    return claim.primary_claim if claim.primary_claim_id else claim


def _ensure_charges(org: Any, claims: Iterable[Claim], batch: _Batch) -> None:
    """Put each claim line's charge on the ledger, unless it is there already."""
    targets = {c.pk: ledger_claim(c) for c in claims}.values()
    lines = [line for claim in targets for line in claim.lines.all()]
    charged: set[Any] = set()
    ids = [line.pk for line in lines]
    for start in range(0, len(ids), 500):
        charged.update(
            LedgerEntry.objects.for_org(org)
            .filter(kind=LedgerKind.CHARGE, claim_line_id__in=ids[start : start + 500])
            .values_list("claim_line_id", flat=True)
        )
    claims_by_id = {c.pk: c for c in targets}
    for line in lines:
        if line.pk in charged:
            continue
        claim = claims_by_id[line.claim_id]
        batch.entries.append(
            _entry(claim, line, LedgerKind.CHARGE, line.amount, posted_on=line.date_of_service)
        )


def _entry(
    claim: Claim,
    line: ClaimLine | None,
    kind: str,
    amount: Decimal,
    *,
    posted_on: date,
    responsibility: str = "payer",
    adjustment: Adjustment | None = None,
    remittance: Remittance | None = None,
    memo: str = "",
) -> LedgerEntry:
    return LedgerEntry(
        organization_id=claim.organization_id,
        patient_id=claim.patient_id,
        claim=claim,
        claim_line=line,
        kind=kind,
        amount=amount,
        responsibility=responsibility,
        posted_on=posted_on,
        group_code=adjustment.group[:2] if adjustment else "",
        reason_code=adjustment.reason[:5] if adjustment else "",
        remittance=remittance,
        memo=memo[:200],
    )


@dataclass
class _Poster:
    """Writes the entries of one remittance claim onto one claim's lines."""

    rc: RemittanceClaim
    claim: Claim  # the claim the payer adjudicated
    target: Claim  # the claim whose lines carry the charge
    remittance: Remittance
    batch: _Batch
    posted_on: date

    def add(
        self,
        line: ClaimLine | None,
        kind: str,
        amount: Decimal,
        adjustment: Adjustment | None = None,
        *,
        responsibility: str = "payer",
        memo: str = "",
    ) -> None:
        if amount == ZERO:
            return
        self.batch.entries.append(
            _entry(
                self.target,
                line,
                kind,
                amount,
                posted_on=self.posted_on,
                responsibility=responsibility,
                adjustment=adjustment,
                remittance=self.remittance,
                memo=memo,
            )
        )

    def adjust(self, line: ClaimLine | None, adj: Adjustment, amount: Decimal) -> None:
        """A CAS amount: a write-down, or (PR) a move to the patient's responsibility."""
        if adj.group == PATIENT_GROUP:
            self.add(line, LedgerKind.TRANSFER, -amount, adj, memo="to patient responsibility")
            self.add(line, LedgerKind.TRANSFER, amount, adj, responsibility="patient")
        else:
            self.add(line, LedgerKind.ADJUSTMENT, -amount, adj)

    def deny(self, line: ClaimLine | None, adj: Adjustment, remarks: Sequence[str]) -> None:
        self.batch.denials.append(
            Denial(
                organization_id=self.claim.organization_id,
                claim=self.claim,
                claim_line=line,
                remittance_claim=self.rc,
                group_code=adj.group[:2],
                reason_code=adj.reason[:5],
                remark_codes=list(remarks),
                amount=adj.amount,
                engine_rule_id=_rule_for(adj.reason),
            )
        )


def _rule_for(reason: str) -> str:
    return carc_text(reason).engine_rule_id


def _post_claim(
    *,
    rc: RemittanceClaim,
    payment: ClaimPayment,
    claim: Claim,
    remittance: Remittance,
    batch: _Batch,
) -> None:
    target = ledger_claim(claim)
    poster = _Poster(
        rc=rc,
        claim=claim,
        target=target,
        remittance=remittance,
        batch=batch,
        posted_on=remittance.payment_date or timezone.localdate(),
    )
    lines = list(target.lines.all())
    matched = match_lines(payment.services, lines)
    _store_services(rc, payment.services, matched, batch)
    denied = False
    for svc, line in zip(payment.services, matched, strict=True):
        denied |= _post_service(poster, payment, svc, line)
        if line is not None and line.amount != svc.charge:
            batch.warnings.append(
                f"claim {claim.patient_control_number} line {line.line_number}: charged"
                f" {line.amount} here, the payer shows {svc.charge}"
            )
    denied |= _post_claim_level(poster, payment, lines, matched)
    _update_claim(claim, payment, denied, batch)


def _post_service(
    poster: _Poster, payment: ClaimPayment, svc: ServicePayment, line: ClaimLine | None
) -> bool:
    """One service line's payment and adjustments; True when it made a denial."""
    poster.add(line, LedgerKind.PAYER_PAYMENT, -svc.paid, memo=f"{svc.procedure} paid")
    denied = False
    for adj in svc.adjustments:
        if _is_denial(payment, svc.paid, adj):
            poster.deny(line, adj, svc.remarks)
            denied = True
        else:
            poster.adjust(line, adj, adj.amount)
    return denied


def _is_denial(payment: ClaimPayment, paid: Decimal, adj: Adjustment) -> bool:
    if payment.status_code == REVERSAL or paid != ZERO or adj.amount <= ZERO:
        return False
    if denies(adj.group, adj.reason):
        return True
    # A claim the payer says it denied (CLP02 4): every write-down on it is worth a look,
    # except the patient's ordinary deductible, coinsurance and co-payment.
    return payment.status_code == "4" and adj.reason not in {"1", "2", "3"}


def _post_claim_level(
    poster: _Poster,
    payment: ClaimPayment,
    lines: list[ClaimLine],
    matched: list[ClaimLine | None],
) -> bool:
    """CLP-level money: spread over the lines by charge (see the module docstring)."""
    if payment.services:
        weights_lines = list(matched)
        weights = [svc.charge for svc in payment.services]
    else:
        weights_lines = list(lines) or [None]
        weights = [line.amount for line in lines] or [Decimal("1")]
        for line, share in zip(weights_lines, spread(payment.paid, weights), strict=True):
            poster.add(line, LedgerKind.PAYER_PAYMENT, -share, memo="claim paid")
    denied = False
    for adj in payment.adjustments:
        if not payment.services and _is_denial(payment, payment.paid, adj):
            poster.deny(lines[0] if len(lines) == 1 else None, adj, ())
            denied = True
            continue
        for line, share in zip(weights_lines, spread(adj.amount, weights), strict=True):
            poster.adjust(line, adj, share)
            if payment.services:
                poster.add(
                    line, LedgerKind.PAYER_PAYMENT, share, memo="claim-level adjustment withheld"
                )
    return denied


def spread(amount: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """`amount` in cents shared in proportion to `weights`; the last share takes the rounding."""
    total = sum(weights, ZERO)
    if total == ZERO:
        weights, total = [Decimal("1")] * len(weights), Decimal(len(weights))
    shares = [(amount * w / total).quantize(CENT) for w in weights[:-1]]
    return [*shares, amount - sum(shares, ZERO)]


def match_lines(
    services: Sequence[ServicePayment], lines: Sequence[ClaimLine]
) -> list[ClaimLine | None]:
    """Each service line's claim line: same code and date, else same code, else same position."""
    free = list(lines)
    result: list[ClaimLine | None] = []
    for position, svc in enumerate(services):
        line = _take(free, svc.procedure, svc.date) or _take(free, svc.procedure, None)
        if line is None and len(services) == len(lines) and lines[position] in free:
            line = lines[position]
            free.remove(line)
        result.append(line)
    return result


def _take(free: list[ClaimLine], code: str, on: date | None) -> ClaimLine | None:
    for line in free:
        if line.code == code and (on is None or line.date_of_service == on):
            free.remove(line)
            return line
    return None


def _update_claim(claim: Claim, payment: ClaimPayment, denied: bool, batch: _Batch) -> None:
    status = CLAIM_STATUS.get(payment.status_code)
    if status == ClaimStatus.PAID and denied and payment.paid == ZERO:
        status = ClaimStatus.DENIED
    if status:
        claim.status = status
    if payment.payer_claim_number:
        claim.payer_claim_number = payment.payer_claim_number[:50]
    claim.updated_at = timezone.now()
    batch.claims.append(claim)


# The unmatched queue -------------------------------------------------------------------------


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
    batch = _Batch()
    _ensure_charges(user.organization_id, [claim], batch)
    rc.claim = claim
    rc.save(update_fields=["claim", "updated_at"])
    _post_claim(rc=rc, payment=payment, claim=claim, remittance=rc.remittance, batch=batch)
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
