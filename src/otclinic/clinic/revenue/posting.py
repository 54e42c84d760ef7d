"""Posting an ERA (X12 835): payments, adjustments and patient responsibility onto the ledger.

`era_import` is the one door (the upload page and `otclinic era import` use it). It reads the
file with the pure domain reader, then posts every transaction set in one database transaction:
all or nothing.

A payment posts once. A transaction set is recognised by its payer, its TRN02 trace number and
its BPR02 amount (see `Remittance`), not by the file's bytes: the same payment re-sent with CRLF
line endings, a new ISA13 or in another file posts nothing and says when and by whom it was
first posted. One without TRN02 is recognised by a hash of its segments instead. The database's
unique constraints settle a race: of two simultaneous imports of one payment, the one whose
insert loses gets the same message, never an IntegrityError.

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

So for every line: charge = payments + adjustments + balance, to the cent. A claim to a later
payer (`primary_claim` set) carries the patient's share the prior payer left and posts on its
own lines, its write-downs bounded by what it holds (`later_payers`); a void claim's answer posts
on the claim it voids; a later payer's answer under a forwarded primary's CLP01 posts on the
claim made for it (`later_payer_claim`); a claim that matches nothing waits in the unmatched
queue until a biller matches it.
"""

import hashlib
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import organization_id_of, require
from otclinic.clinic.audit.models import AuditAction
from otclinic.clinic.audit.services import audit_record
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.common.progress import Progress
from otclinic.clinic.revenue import later_payers
from otclinic.clinic.revenue.claim_corrections import secondary_coverage
from otclinic.clinic.revenue.models import (
    Claim,
    ClaimStatus,
    Denial,
    LedgerEntry,
    Remittance,
    RemittanceClaim,
    RemittanceService,
    remittance_path,
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
def era_import(
    *, user: User, raw: bytes, filename: str, progress: Progress | None = None
) -> ImportReport:
    """Post every transaction set of the 835 in `raw` for the user's organization, or nothing."""
    require(user, Capability.MANAGE_BILLING)
    try:
        era = read_era_bytes(raw)
    except EraError as exc:
        raise EraImportError(f"{filename}: {exc}") from None
    report = ImportReport(filename=filename, sha256=hashlib.sha256(raw).hexdigest())
    report.warnings.extend(era.warnings)
    kept = KeptFile(
        raw=raw, sha256=report.sha256, name=PurePath(filename).name[:200], org=user.organization_id
    )
    if progress is not None:
        progress.begin(total=len(era.transactions), step="Posting the remittance's payments")
    for index, tx in enumerate(era.transactions):
        remittance = _remittance_once(user=user, tx=tx, index=index, report=report, kept=kept)
        if remittance is not None:
            _post_transaction(user=user, tx=tx, remittance=remittance, report=report)
        if progress is not None:
            progress.advance()
    return report


@dataclass
class KeptFile:
    """The imported 835 file, written to the file storage once the first payment in it posts.

    Stored by its SHA-256, so that the same file imported again (or a retry after a failure that
    rolled the posting back) finds it there instead of leaving another copy."""

    raw: bytes
    sha256: str
    name: str
    org: Any
    stored: str = ""

    def stored_name(self) -> str:
        if not self.stored:
            wanted = remittance_path(self.org, self.sha256)
            if default_storage.exists(wanted):
                self.stored = wanted
            else:
                self.stored = default_storage.save(wanted, ContentFile(self.raw))
        return self.stored


def era_refuse_unreadable(*, raw: bytes, filename: str) -> None:
    """Refuse a file that cannot be read as an 835 (EraImportError naming the segment) before
    it is queued for posting: reading is fast and needs no database, so the person who uploads
    a bad file is told at once."""
    try:
        read_era_bytes(raw)
    except EraError as exc:
        raise EraImportError(f"{filename}: {exc}") from None


def payer_keys(tx: Transaction) -> list[str]:
    """How a payment's payer is recognised, first choice first: TRN03 (the payer's identifier
    of its payments), the payer identifier (REF*2U or N104), the N1*PR name."""
    found = [tx.payment.originator, tx.payer.id, tx.payer.name]
    keys = [key[:80] for key in found if key]
    return list(dict.fromkeys(keys)) or ["(no payer named)"]


def posted_before(
    *, organization_id: uuid.UUID, tx: Transaction, sha256: str, index: int
) -> Remittance | None:
    """The remittance that already posted this payment, or None.

    With a TRN02 trace number: the same trace number and amount from the same payer, by any of
    `payer_keys` (an earlier file may have been recognised by another of them). Without one:
    the same segments (`Transaction.fingerprint`), or, for rows posted before fingerprints were
    kept, the same file and transaction index.
    """
    trace = (tx.payment.trace_number or "")[:50]
    if trace:
        wanted = Q(
            payer_key__in=payer_keys(tx), trace_number=trace, payment_amount=tx.payment.amount
        )
    else:
        wanted = Q(trace_number="") & (
            Q(content_sha256=tx.fingerprint)
            | Q(content_sha256="", file_sha256=sha256, transaction_index=index)
        )
    rows = Remittance.objects.for_org(organization_id).filter(wanted)
    return rows.select_related("imported_by").order_by("created_at").first()


def already_posted_message(tx: Transaction, earlier: Remittance) -> str:
    """What the upload page, the command line and every other door say of a re-sent payment."""
    when = timezone.localtime(earlier.created_at).date().isoformat()
    trace = f"trace {tx.payment.trace_number}" if tx.payment.trace_number else "no trace number"
    return (
        f"payment {tx.payment.amount} from {earlier.payer_name} ({trace}, transaction"
        f" {tx.control_number}) was already posted on {when} by {earlier.imported_by.username}:"
        " nothing posted"
    )


def _remittance_once(
    *, user: User, tx: Transaction, index: int, report: ImportReport, kept: KeptFile
) -> Remittance | None:
    """The new remittance row for `tx`, or None (and the message) when it posted before."""
    org = organization_id_of(user)
    earlier = posted_before(organization_id=org, tx=tx, sha256=report.sha256, index=index)
    if earlier is None:
        try:
            # A savepoint: when another import of this payment committed between the look above
            # and this insert, the constraint refuses it and the import goes on, posting nothing.
            with transaction.atomic():
                return _create_remittance(user=user, tx=tx, index=index, kept=kept)
        except IntegrityError:
            earlier = posted_before(organization_id=org, tx=tx, sha256=report.sha256, index=index)
            if earlier is None:
                raise
    report.already_imported.append(already_posted_message(tx, earlier))
    log.info("remittance %s: a re-sent payment, nothing posted", earlier.pk)
    return None


def _create_remittance(*, user: User, tx: Transaction, index: int, kept: KeptFile) -> Remittance:
    trace = (tx.payment.trace_number or "")[:50]
    return Remittance.objects.create(
        organization_id=organization_id_of(user),
        file_sha256=kept.sha256,
        file=kept.stored_name(),
        file_name=kept.name,
        transaction_index=index,
        payer_name=(tx.payer.name or tx.payer.id or "unnamed payer")[:120],
        payer_identifier=(tx.payer.id or "")[:50],
        payer_key=payer_keys(tx)[0],
        payment_amount=tx.payment.amount,
        payment_method=tx.payment.method[:10],
        payment_date=tx.payment.date,
        trace_number=trace,
        content_sha256="" if trace else tx.fingerprint,
        provider_adjustments=[
            {"reason": p.reason, "amount": str(p.amount)} for p in tx.provider_adjustments
        ],
        imported_by=user,
    )


def _post_transaction(
    *, user: User, tx: Transaction, remittance: Remittance, report: ImportReport
) -> None:
    org = organization_id_of(user)
    claims = _claims_by_control_number(org, [c.patient_control_number for c in tx.claims])
    batch = Batch()
    remittance_claims = [
        _remittance_claim(remittance, payment, _claim_for(claims, payment, batch))
        for payment in tx.claims
    ]
    RemittanceClaim.objects.bulk_create(remittance_claims, batch_size=1000)
    ensure_charges(org, [rc.claim for rc in remittance_claims if rc.claim is not None], batch)
    for payment, rc in zip(tx.claims, remittance_claims, strict=True):
        claim = rc.claim
        if claim is None:
            store_services(rc, payment.services, [None] * len(payment.services), batch)
            report.unmatched.append(rc)
            continue
        post_claim(rc=rc, payment=payment, claim=claim, remittance=remittance, batch=batch)
        report.posted.append(rc)
    _write(batch, report)
    _crossovers(batch, report)
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


def _claim_for(claims: dict[str, Claim], payment: ClaimPayment, batch: Batch) -> Claim | None:
    """The claim `payment` posts on (`later_payer_claim`), or None for the unmatched queue."""
    claim = claims.get(payment.patient_control_number)
    if claim is None:
        return None
    routed = later_payer_claim(claim, payment)
    if routed is None:
        batch.warnings.append(
            f"claim {payment.patient_control_number}: this payer answers as a later payer (CLP02"
            f" {payment.status_code}) but no claim to it was made; the answer waits in the"
            " unmatched queue: make the next payer's claim, then match it there"
        )
    return routed


def _crossovers(batch: Batch, report: ImportReport) -> None:
    """Each claim the payer forwarded (a crossover) gets the next payer's claim, submitted and
    never exported, with the patient's share moved to it (`later_payers`)."""
    for claim in batch.claims:
        if not claim.crossed_over_to or claim.secondary_claims.exists():
            continue
        coverage = secondary_coverage(claim)
        if coverage is None:
            report.warnings.append(
                f"claim {claim.patient_control_number} was forwarded to {claim.crossed_over_to},"
                " but the patient has no coverage after this payer on file: add it, then make"
                " the next payer's claim (it is not exported)"
            )
            continue
        later_payers.crossover_claim_create(claim, coverage)


def _write(batch: Batch, report: ImportReport) -> None:
    RemittanceService.objects.bulk_create(batch.services, batch_size=1000)
    LedgerEntry.objects.bulk_create(batch.entries, batch_size=1000)
    Denial.objects.bulk_create(batch.denials, batch_size=1000)
    Claim.objects.bulk_update(
        batch.claims,
        ["status", "payer_claim_number", "crossed_over_to", "crossover_payer_id", "updated_at"],
        batch_size=1000,
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
            .select_related("primary_claim", "original", "coverage__payer")
            .prefetch_related("lines", "primary_claim__lines", "original__lines")
        )
        found.update({c.patient_control_number: c for c in rows})
    return found


# CLP02: processed as secondary or tertiary (forwarded or not), and how many payers after the
# primary that is.
LATER_PAYER_DEPTH = {"2": 1, "20": 1, "3": 2, "21": 2}


def later_payer_claim(claim: Claim, payment: ClaimPayment) -> Claim | None:
    """The claim a later payer's answer posts on. A payer that got the claim by crossover
    answers with the primary's CLP01 and CLP02 2 (or 3 for the tertiary): that answer belongs
    to the claim made for it, not to the primary. None when the primary was forwarded and that
    claim does not exist yet; the primary itself when it was not forwarded and has none (a
    payer that ranks itself otherwise than the coverage does)."""
    depth = LATER_PAYER_DEPTH.get(payment.status_code, 0)
    if claim.primary_claim_id is not None or depth == 0:
        return claim
    found: Claim | None = claim
    for _ in range(depth):
        assert found is not None
        found = found.secondary_claims.exclude(status=ClaimStatus.VOID).first()
        if found is None:
            return None if claim.crossed_over_to else claim
    assert found is not None
    return (
        Claim.objects.select_related("primary_claim", "original", "coverage__payer")
        .prefetch_related("lines")
        .get(pk=found.pk)
    )


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
def remittance_claim_match(*, user: User, remittance_claim: RemittanceClaim, claim: Claim) -> int:
    """Match a queued remittance claim to one of the organization's claims and post it.

    Returns the number of denials it made.
    """
    require(user, Capability.MANAGE_BILLING)
    rc = (
        RemittanceClaim.objects.select_for_update()
        .select_related("remittance")
        .get(pk=remittance_claim.pk, organization_id=organization_id_of(user))
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
