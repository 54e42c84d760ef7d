"""A claim's charges on and off the ledger: entered when the claim is made, taken off when it
is voided or replaced (net of what was taken off before, so never twice).
"""

import uuid

from django.db.models import Sum
from django.utils import timezone

from otclinic.clinic.audit.services import audit_bulk
from otclinic.clinic.revenue import later_payers
from otclinic.clinic.revenue.models import Claim, ClaimLine, LedgerEntry, LedgerKind

BULK_BATCH = 1000  # rows per INSERT or UPDATE statement


def charges_on_the_ledger(
    organization_id: uuid.UUID, claims: list[Claim], lines: list[ClaimLine]
) -> None:
    """Each new claim's lines enter the ledger as charges when the claim is made, in the payer's
    responsibility: from then on A/R (by payer and by patient) counts the claim, paid or not.
    Posting an 835 finds them there and adds none (`posting_lines.ensure_charges`)."""
    patients = {claim.pk: claim.patient_id for claim in claims}
    entries = LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(
                organization_id=organization_id,
                patient_id=patients[line.claim_id],
                claim_id=line.claim_id,
                claim_line=line,
                kind=LedgerKind.CHARGE,
                amount=line.amount,
                responsibility="payer",
                posted_on=line.date_of_service,
            )
            for line in lines
        ],
        batch_size=BULK_BATCH,
    )
    audit_bulk(
        object_type="revenue.ledgerentry",
        object_ids=[entry.pk for entry in entries],
        organization_id=organization_id,
        fields=["kind", "amount", "claim", "claim_line", "responsibility", "posted_on"],
        detail=f"the charges of {len(claims)} claim(s) entered on the ledger",
    )


def charges_off(claim: Claim, memo: str) -> None:
    """The claim's charges come off the ledger, once: each line's charges, net of any taken
    off before, are reversed by a negative charge (so a second void or a correction after a
    void takes nothing more off). Payments and adjustments stay until the payer reverses them
    (835 CLP02 22), which leaves the line at zero. A later payer's claim carries no charge of
    its own: what its payer still holds goes back to the patient."""
    if later_payers.is_later_payer_claim(claim):
        later_payers.share_back_to_patient(claim, memo)
        return
    charged = (
        LedgerEntry.objects.for_org(claim.organization_id)
        .filter(claim_line__claim=claim, kind=LedgerKind.CHARGE)
        .values("claim_line_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    today = timezone.localdate()
    later_payers.ledger_write(
        [
            LedgerEntry(
                organization_id=claim.organization_id,
                patient_id=claim.patient_id,
                claim=claim,
                claim_line_id=row["claim_line_id"],
                kind=LedgerKind.CHARGE,
                amount=-row["total"],
                responsibility="payer",
                posted_on=today,
                memo=memo[:200],
            )
            for row in charged
            if row["total"]
        ],
        f"charges taken off claim {claim.patient_control_number}: {memo}",
    )
