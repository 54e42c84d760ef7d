"""Claims' statuses: a claim moves along `TRANSITIONS` only, and is scrubbed before it is
marked ready.

Claims are assembled from charges in `claim_assembly`; corrections, voids and claims to the
next payer are made in `claim_corrections`; their charges enter and leave the ledger in
`claim_ledger`.
"""

import uuid
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.revenue import later_payers
from otclinic.clinic.revenue.claim_ledger import charges_off, charges_on_the_ledger
from otclinic.clinic.revenue.models import Claim, ClaimFrequency, ClaimStatus
from otclinic.clinic.revenue.scrubber import (
    SCRUB_FIELDS,
    ClaimHasProblems,
    blocking,
    kept_results,
    scrub_claim,
)
from otclinic.domain.access import Capability

S = ClaimStatus
TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.READY, S.VOID}),
    S.READY: frozenset({S.DRAFT, S.SUBMITTED}),
    S.SUBMITTED: frozenset({S.ACCEPTED, S.REJECTED, S.PAID, S.DENIED}),
    S.ACCEPTED: frozenset({S.PAID, S.DENIED}),
    S.REJECTED: frozenset({S.DRAFT, S.VOID}),
    S.DENIED: frozenset({S.APPEALED, S.PAID, S.VOID}),
    S.APPEALED: frozenset({S.PAID, S.DENIED}),
    S.PAID: frozenset(),
    S.VOID: frozenset(),
}


class ClaimError(ValueError):
    """A claim action that cannot be done now, saying why and what to do."""


def _check_transition(claim: Claim, status: str) -> None:
    if status not in TRANSITIONS[claim.status]:
        allowed = ", ".join(sorted(TRANSITIONS[claim.status])) or "nothing"
        raise ClaimError(
            f"a {claim.get_status_display().lower()} claim cannot become {status}; "
            f"it can become: {allowed}"
        )


@transaction.atomic
def claim_set_status(*, claim: Claim, status: str, user: User) -> Claim:
    """Move a claim to another status, along `TRANSITIONS` only."""
    require(user, Capability.MANAGE_BILLING)
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    _check_transition(claim, status)
    never_sent = claim.status in {ClaimStatus.DRAFT, ClaimStatus.REJECTED}
    claim.status = status
    fields = ["status", "updated_at"]
    if status == ClaimStatus.DRAFT:  # back to be edited: the last scrub no longer holds
        claim.scrub_findings, claim.scrubbed_at = None, None
        fields += ["scrub_findings", "scrubbed_at"]
    claim.save(update_fields=fields)
    if status == ClaimStatus.VOID:
        charges_off(claim, "claim voided")
        if never_sent and claim.frequency == ClaimFrequency.REPLACEMENT:
            _correction_dropped(claim)
    return claim


def _correction_dropped(replacement: Claim) -> None:
    """A correction voided before it was sent: the original stands, so its charges (taken off
    when the correction was made) come back to it."""
    original = replacement.original
    assert original is not None  # a replacement names its original (a database constraint)
    if later_payers.is_later_payer_claim(original):
        later_payers.share_moved(replacement, original, "correction voided before it was sent")
        return
    charges_on_the_ledger(original.organization_id, [original], list(original.lines.all()))


def claim_mark_ready(*, claim: Claim, user: User) -> Claim:
    """Scrub the claim, keep what the scrub found with it, and mark it ready; raises
    `ClaimHasProblems` when an error remains (the problems are kept all the same)."""
    claim, problems = _scrub_and_mark_ready(claim=claim, user=user)
    if blocking(problems):
        raise ClaimHasProblems(problems)
    return claim


@transaction.atomic
def _scrub_and_mark_ready(*, claim: Claim, user: User) -> tuple[Claim, list[Any]]:
    require(user, Capability.MANAGE_BILLING)
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    _check_transition(claim, ClaimStatus.READY)
    problems = scrub_claim(claim)
    kept_results(claim, problems)
    fields = [*SCRUB_FIELDS, "updated_at"]
    if not blocking(problems):
        claim.status = ClaimStatus.READY
        fields.append("status")
    claim.save(update_fields=fields)
    return claim, problems


def claims_with_ids(organization_id: uuid.UUID, ids: Iterable[uuid.UUID]) -> QuerySet[Claim]:
    return Claim.objects.for_org(organization_id).filter(pk__in=list(ids))
