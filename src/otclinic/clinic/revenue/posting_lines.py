"""How one remittance claim becomes ledger entries, line by line (see `posting` for the rules).

`post_claim` posts a claim payment onto a claim's lines; `Batch` gathers the rows to write in
bulk at the end of a transaction set; `spread` shares an amount over lines by charge, to the cent.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from otclinic.clinic.revenue import later_payers
from otclinic.clinic.revenue.denial_codes import carc_text, denies
from otclinic.clinic.revenue.models import (
    Claim,
    ClaimFrequency,
    ClaimLine,
    ClaimStatus,
    Denial,
    LedgerEntry,
    LedgerKind,
    Remittance,
    RemittanceClaim,
    RemittanceService,
)
from otclinic.domain.claims.x12.era_model import Adjustment, ClaimPayment, ServicePayment

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
CARRIER_NOT_NAMED = "the next payer (the 835 names no crossover carrier)"


@dataclass
class Batch:
    """Rows to write at the end of a transaction set, in bulk."""

    entries: list[LedgerEntry] = field(default_factory=list)
    denials: list[Denial] = field(default_factory=list)
    services: list[RemittanceService] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # By later payer's claim: the patient's share billed to it in this batch (not written yet).
    later_shares: dict[Any, list[LedgerEntry]] = field(default_factory=dict)


def ledger_claim(claim: Claim) -> Claim:
    """The claim whose lines carry the money: the claim itself (a later payer's claim carries
    the patient's share it was billed, `later_payers`), or for a void (frequency 8) the claim
    it voids."""
    if claim.frequency == ClaimFrequency.VOID and claim.original is not None:
        return claim.original
    return claim


def ensure_charges(org: Any, claims: Iterable[Claim], batch: Batch) -> None:
    """Put each claim line's charge on the ledger, unless it is there already; a later payer's
    claim gets the patient's share left by the prior payer instead (once)."""
    targets = list({c.pk: ledger_claim(c) for c in claims}.values())
    for claim in [c for c in targets if later_payers.is_later_payer_claim(c)]:
        batch.later_shares[claim.pk] = later_payers.prior_share_entries(claim)
        batch.entries.extend(batch.later_shares[claim.pk])
    targets = [c for c in targets if not later_payers.is_later_payer_claim(c)]
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
    batch: Batch
    posted_on: date
    # For a later payer's claim: how much each line may still be written down.
    room: later_payers.LaterPayerRoom | None = None

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
        if self.room is not None and responsibility == "payer":
            self.room.moved(line, amount)
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
        elif self.room is not None:
            written = self.room.write_down(line, adj.group, adj.reason, amount)
            self.add(line, LedgerKind.ADJUSTMENT, -written, adj)
        else:
            self.add(line, LedgerKind.ADJUSTMENT, -amount, adj)

    def deny(self, line: ClaimLine | None, adj: Adjustment, remarks: Sequence[str]) -> None:
        self.batch.denials.append(
            Denial(
                organization_id=self.claim.organization_id,
                claim=self.claim,
                claim_line=line,
                remittance_claim=self.rc,
                payer_id=self.claim.coverage.payer_id,
                group_code=adj.group[:2],
                reason_code=adj.reason[:5],
                remark_codes=list(remarks),
                amount=adj.amount,
                engine_rule_id=_rule_for(adj.reason),
            )
        )


def _rule_for(reason: str) -> str:
    return carc_text(reason).engine_rule_id


def post_claim(
    *,
    rc: RemittanceClaim,
    payment: ClaimPayment,
    claim: Claim,
    remittance: Remittance,
    batch: Batch,
) -> None:
    target = ledger_claim(claim)
    poster = _Poster(
        rc=rc,
        claim=claim,
        target=target,
        remittance=remittance,
        batch=batch,
        posted_on=remittance.payment_date or timezone.localdate(),
        room=later_payers.LaterPayerRoom(target, batch.later_shares.get(target.pk, []))
        if later_payers.is_later_payer_claim(target)
        else None,
    )
    lines = list(target.lines.all())
    matched = match_lines(payment.services, lines)
    reasons = [
        "" if line is not None else unmatched_reason(svc, lines)
        for svc, line in zip(payment.services, matched, strict=True)
    ]
    store_services(rc, payment.services, matched, batch, reasons=reasons)
    for number, reason in enumerate(reasons, start=1):
        if reason:
            batch.warnings.append(
                f"claim {claim.patient_control_number} service line {number}: {reason};"
                " its payment and adjustments are posted to the claim, not to a line, and the"
                " line waits in the unmatched queue"
            )
    denied = False
    for svc, line in zip(payment.services, matched, strict=True):
        denied |= _post_service(poster, payment, svc, line)
        if line is not None and line.amount != svc.charge:
            batch.warnings.append(
                f"claim {claim.patient_control_number} line {line.line_number}: charged"
                f" {line.amount} here, the payer shows {svc.charge}"
            )
    denied |= _post_claim_level(poster, payment, lines, matched)
    update_claim(claim, payment, denied, batch)


def _post_service(
    poster: _Poster, payment: ClaimPayment, svc: ServicePayment, line: ClaimLine | None
) -> bool:
    """One service line's payment and adjustments; True when it made a denial."""
    poster.add(line, LedgerKind.PAYER_PAYMENT, -svc.paid, memo=f"{svc.procedure} paid")
    denied = False
    # A later payer's write-downs are bounded by what it holds once the patient's share is out.
    adjustments = svc.adjustments
    if poster.room is not None:
        adjustments = tuple(sorted(adjustments, key=lambda a: a.group != PATIENT_GROUP))
    for adj in adjustments:
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
    """`amount` in cents shared in proportion to `weights`; the last share takes the rounding.

    Weights count by size: charges of mixed signs (a reversal beside a charge) would otherwise
    make shares larger than the amount itself, and larger than a ledger column holds.
    """
    weights = [abs(w) for w in weights]
    total = sum(weights, ZERO)
    if total == ZERO:
        weights, total = [Decimal("1")] * len(weights), Decimal(len(weights))
    shares = [(amount * w / total).quantize(CENT) for w in weights[:-1]]
    return [*shares, amount - sum(shares, ZERO)]


def match_lines(
    services: Sequence[ServicePayment], lines: Sequence[ClaimLine]
) -> list[ClaimLine | None]:
    """Each service line's claim line: same code and date, else same code, else same position.

    A service line without a procedure code (a payer's defect the reader lets through) takes
    the one claim line left with its charge and date, else the one with its charge; never a
    line by position, since nothing then says it is the same service.
    """
    free = list(lines)
    result: list[ClaimLine | None] = []
    for svc in services:
        coded = bool(svc.procedure)
        line = _take(free, svc.procedure, svc.date) or _take(free, svc.procedure, None)
        result.append(line if coded else None)
    for position, svc in enumerate(services):
        if svc.procedure:
            continue
        result[position] = _take_by_charge(free, svc.charge, svc.date) or _take_by_charge(
            free, svc.charge, None
        )
    if len(services) != len(lines):
        return result
    for position, svc in enumerate(services):
        if result[position] is None and svc.procedure and lines[position] in free:
            result[position] = lines[position]
            free.remove(lines[position])
    return result


def _take_by_charge(free: list[ClaimLine], charge: Decimal, on: date | None) -> ClaimLine | None:
    """The only free line with this charge (and date), taken; None when none or several."""
    found = [
        line
        for line in free
        if line.amount == charge and (on is None or line.date_of_service == on)
    ]
    if len(found) != 1:
        return None
    free.remove(found[0])
    return found[0]


def unmatched_reason(svc: ServicePayment, lines: Sequence[ClaimLine]) -> str:
    """Why a service line matched none of the claim's lines, for the biller who matches it."""
    on = f" on {svc.date.isoformat()}" if svc.date else ""
    if not svc.procedure:
        return (
            f"the payer sent no procedure code, and no single claim line charged {svc.charge}{on}"
        )
    return f"no claim line left with procedure {svc.procedure}{on} among its {len(lines)} lines"


def _take(free: list[ClaimLine], code: str, on: date | None) -> ClaimLine | None:
    for line in free:
        if line.code == code and (on is None or line.date_of_service == on):
            free.remove(line)
            return line
    return None


def update_claim(claim: Claim, payment: ClaimPayment, denied: bool, batch: Batch) -> None:
    status = CLAIM_STATUS.get(payment.status_code)
    if status == ClaimStatus.PAID and denied and payment.paid == ZERO:
        status = ClaimStatus.DENIED
    if status:
        claim.status = status
    if payment.payer_claim_number:
        claim.payer_claim_number = payment.payer_claim_number[:50]
    if payment.crossed_over:
        claim.crossed_over_to = (payment.crossover_payer or CARRIER_NOT_NAMED)[:120]
        claim.crossover_payer_id = (payment.crossover_payer_id or "")[:80]
    claim.updated_at = timezone.now()
    batch.claims.append(claim)


# The unmatched queue -------------------------------------------------------------------------


def adjustments_json(adjustments: Iterable[Adjustment]) -> list[dict[str, str]]:
    return [{"group": a.group, "reason": a.reason, "amount": str(a.amount)} for a in adjustments]


def store_services(
    rc: RemittanceClaim,
    services: Sequence[ServicePayment],
    lines: Sequence[ClaimLine | None],
    batch: Batch,
    *,
    reasons: Sequence[str] = (),
) -> None:
    reasons = list(reasons) or [""] * len(services)
    for svc, line, reason in zip(services, lines, reasons, strict=True):
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
                adjustments=adjustments_json(svc.adjustments),
                remarks=list(svc.remarks),
                unmatched_reason=reason[:200],
            )
        )
