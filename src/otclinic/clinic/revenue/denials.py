"""Working a denial: write it off, bill the patient, or record an appeal or a correction.

The amount of a denial stays open on the ledger (payer responsibility) until someone decides;
writing off posts a `write_off` entry, billing the patient a `transfer` to the patient's
responsibility. Appeals, corrections and billing the secondary payer leave the money open.
"""

from typing import Any

from django.db import transaction
from django.utils import timezone

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import organization_id_of, require
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.revenue.models import (
    ClaimStatus,
    Denial,
    DenialStatus,
    LedgerEntry,
    LedgerKind,
)
from otclinic.clinic.revenue.posting_lines import ledger_claim
from otclinic.domain.access import Capability

# What each action does to the denial (and, for two of them, to the ledger).
ACTIONS = {
    "write_off": DenialStatus.WRITTEN_OFF,
    "bill_patient": DenialStatus.BILLED_PATIENT,
    "appealed": DenialStatus.APPEALED,
    "corrected": DenialStatus.CORRECTED,
    "bill_secondary": DenialStatus.BILLED_SECONDARY,
}
# Once the money has moved, the denial is settled: nothing more may move it.
SETTLED = {DenialStatus.WRITTEN_OFF, DenialStatus.BILLED_PATIENT, DenialStatus.CLOSED}


@transaction.atomic
def denial_resolve(*, user: User, denial: Denial, action: str, note: str = "") -> Denial:
    """Take `action` on an open (or appealed, corrected) denial, with the biller's note."""
    require(user, Capability.MANAGE_BILLING)
    denial = Denial.objects.select_for_update().get(
        pk=denial.pk, organization_id=organization_id_of(user)
    )
    if action not in ACTIONS:
        raise ValidationFailed({"action": [f"Unknown action {action!r}."]})
    if denial.status in SETTLED:
        raise ValidationFailed(
            {"action": [f"This denial is already {denial.get_status_display().lower()}."]}
        )
    if action == "write_off":
        _post(denial, LedgerKind.WRITE_OFF, -denial.amount, memo=f"denial written off: {note}")
    elif action == "bill_patient":
        _post(denial, LedgerKind.TRANSFER, -denial.amount, memo="denial billed to the patient")
        _post(denial, LedgerKind.TRANSFER, denial.amount, responsibility="patient")
    elif action == "appealed":
        denial.claim.status = ClaimStatus.APPEALED
        denial.claim.save(update_fields=["status", "updated_at"])
    denial.status = ACTIONS[action]
    stamp = f"{timezone.localdate().isoformat()} {user.username}: {ACTIONS[action].label}"
    denial.resolution_note = "\n".join(
        part for part in [denial.resolution_note, f"{stamp}. {note}".strip()] if part
    )
    if denial.status in SETTLED:
        denial.resolved_at = timezone.now()
    denial.save(update_fields=["status", "resolution_note", "resolved_at", "updated_at"])
    return denial


def _post(
    denial: Denial, kind: str, amount: Any, *, responsibility: str = "payer", memo: str = ""
) -> None:
    claim = denial.claim_line.claim if denial.claim_line is not None else ledger_claim(denial.claim)
    LedgerEntry.objects.create(
        organization_id=denial.organization_id,
        patient_id=claim.patient_id,
        claim=claim,
        claim_line=denial.claim_line,
        kind=kind,
        amount=amount,
        responsibility=responsibility,
        posted_on=timezone.localdate(),
        group_code=denial.group_code,
        reason_code=denial.reason_code,
        memo=memo[:200],
    )
