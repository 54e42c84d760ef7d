"""The ledger of claims to a later payer (secondary, tertiary) and of crossovers.

After the prior payer's remittance, what it left to the patient on each service (the patient's
balance on the line: its PR amounts less anything paid at the desk) moves to the later payer's
claim, in that payer's responsibility: the patient owes nothing for it while that payer decides.
The later payer's 835 then posts on its own claim's lines (`later_payer_room`): its payment, its
PR amounts back to the patient, and a write-down of at most what it still held. Its other CAS
amounts restate the prior payer's adjudication (OA 23 "impact of prior payer(s) adjudication",
and the prior payer's contractual amounts), which is on the ledger already, so they write down
nothing more. So the patient owes, to the cent, what remains after every payer.

A crossover (the primary forwarded the claim itself, 835 CLP02 19-21 or NM1*TT) makes the
later payer's claim at once, as submitted and never exported (`crossover_claim_create`).

Entries written here and by `claims` outside an 835 go through `ledger_write`.
"""

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.utils import timezone

from otclinic.clinic.audit.services import audit_bulk
from otclinic.clinic.revenue.claim_copies import copy_claim
from otclinic.clinic.revenue.models import (
    Claim,
    ClaimLine,
    ClaimStatus,
    LedgerEntry,
    LedgerKind,
)

ZERO = Decimal("0.00")
PRIOR_PAYER_ADJUDICATION = "23"  # CARC 23: the impact of prior payer(s) adjudication


def ledger_write(entries: list[LedgerEntry], detail: str) -> None:
    """Insert `entries` in bulk with one audit entry naming them (bulk inserts send no signals)."""
    if not entries:
        return
    LedgerEntry.objects.bulk_create(entries)
    audit_bulk(
        object_type="revenue.ledgerentry",
        object_ids=[entry.pk for entry in entries],
        organization_id=entries[0].organization_id,
        fields=["kind", "amount", "claim", "claim_line", "responsibility", "posted_on", "memo"],
        detail=detail,
    )


def line_balances(claim: Claim, responsibility: str) -> dict[Any, Decimal]:
    """Each of `claim`'s lines' balance in `responsibility` (payer or patient), by line id."""
    rows = (
        LedgerEntry.objects.for_org(claim.organization_id)
        .filter(claim_line__claim=claim, responsibility=responsibility)
        .values("claim_line_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return {row["claim_line_id"]: Decimal(row["total"] or 0).quantize(ZERO) for row in rows}


def _entry(
    claim: Claim, line: ClaimLine, amount: Decimal, responsibility: str, memo: str
) -> LedgerEntry:
    return LedgerEntry(
        organization_id=claim.organization_id,
        patient_id=claim.patient_id,
        claim=claim,
        claim_line=line,
        kind=LedgerKind.TRANSFER,
        amount=amount,
        responsibility=responsibility,
        posted_on=timezone.localdate(),
        memo=memo[:200],
    )


def prior_share_entries(later: Claim) -> list[LedgerEntry]:
    """The transfers that move what the prior payer left to the patient, line by line (lines
    match by number: the later claim is a copy), to `later`'s payer. None when `later`'s lines
    hold anything already, so it is done once."""
    prior = later.primary_claim
    if prior is None or LedgerEntry.objects.filter(claim_line__claim=later).exists():
        return []
    owed = line_balances(prior, "patient")
    by_number = {line.line_number: line for line in later.lines.all()}
    payer = later.coverage.payer.name
    entries = []
    for line in prior.lines.all():
        share, target = owed.get(line.pk, ZERO), by_number.get(line.line_number)
        if share <= ZERO or target is None:
            continue
        entries.append(_entry(prior, line, -share, "patient", f"billed to {payer}"))
        entries.append(_entry(later, target, share, "payer", "the patient's share, billed here"))
    return entries


def prior_share_to_later_payer(later: Claim) -> None:
    """Write `prior_share_entries` (a later payer's claim was just made)."""
    ledger_write(prior_share_entries(later), "the patient's share billed to the next payer")


def share_back_to_patient(claim: Claim, memo: str) -> None:
    """A later payer's claim is voided: what its payer still held is the patient's again."""
    held = line_balances(claim, "payer")
    lines = {line.pk: line for line in claim.lines.all()}
    entries = []
    for line_id, amount in held.items():
        if amount != ZERO:
            entries.append(_entry(claim, lines[line_id], -amount, "payer", memo))
            entries.append(_entry(claim, lines[line_id], amount, "patient", memo))
    ledger_write(entries, f"the next payer's share back to the patient: {memo}")


def share_moved(source: Claim, target: Claim, memo: str) -> None:
    """What `source`'s payer holds moves to `target`'s lines (a corrected later-payer claim)."""
    held = line_balances(source, "payer")
    by_number = {line.line_number: line for line in target.lines.all()}
    entries = []
    for line in source.lines.all():
        amount = held.get(line.pk, ZERO)
        if amount != ZERO and line.line_number in by_number:
            entries.append(_entry(source, line, -amount, "payer", memo))
            entries.append(_entry(target, by_number[line.line_number], amount, "payer", memo))
    ledger_write(entries, f"the next payer's share moved: {memo}")


class LaterPayerRoom:
    """While a later payer's remittance posts: how much each of its claim's lines may still be
    written down (what its payer holds there, less what it paid and passed to the patient)."""

    def __init__(self, claim: Claim, pending: list[LedgerEntry]) -> None:
        """`pending`: entries not written yet (the transaction set's batch), which count too."""
        self.held: dict[Any, Decimal] = defaultdict(lambda: ZERO, line_balances(claim, "payer"))
        for entry in pending:
            if entry.claim_id == claim.pk and entry.responsibility == "payer":
                self.held[entry.claim_line_id] += entry.amount

    def moved(self, line: ClaimLine | None, amount: Decimal) -> None:
        """An entry of `amount` in the payer's responsibility was added to `line`."""
        if line is not None:
            self.held[line.pk] += amount

    def write_down(self, line: ClaimLine | None, group: str, reason: str, amount: Decimal) -> Any:
        """What of a non-PR CAS amount is written down: nothing for the prior payer's
        adjudication (OA 23), else at most what is still held; a negative amount (a payer's
        correction) as it is."""
        if reason == PRIOR_PAYER_ADJUDICATION:
            return ZERO
        if line is None or amount <= ZERO:
            return amount
        return min(amount, max(self.held[line.pk], ZERO))


def is_later_payer_claim(claim: Claim) -> bool:
    return claim.primary_claim_id is not None and claim.frequency != "8"


def crossover_claim_create(claim: Claim, coverage: Any) -> Claim | None:
    """The claim to the payer `claim` was forwarded to: made submitted (the payer has it
    through the crossover, so it is never exported), with the patient's share moved to it.
    None when one exists already."""
    if claim.secondary_claims.exclude(status=ClaimStatus.VOID).exists():
        return None
    made = copy_claim(
        claim,
        coverage_id=coverage.pk,
        primary_claim=claim,
        status=ClaimStatus.SUBMITTED,
        submitted_at=timezone.now(),
    )
    prior_share_to_later_payer(made)
    return made
