"""Claims made from a claim the payer has: a replacement (frequency 7), a void (frequency 8),
and the claim to the next payer (secondary, then tertiary) carrying the payer's adjudication.
"""

from django.db import transaction
from django.db.models import Q

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.payers.models import Coverage
from otclinic.clinic.revenue import later_payers
from otclinic.clinic.revenue.claim_copies import copy_claim
from otclinic.clinic.revenue.claim_ledger import charges_off, charges_on_the_ledger
from otclinic.clinic.revenue.claims import ClaimError
from otclinic.clinic.revenue.models import Charge, ChargeStatus, Claim, ClaimFrequency, ClaimStatus
from otclinic.domain.access import Capability
from otclinic.domain.codes import CoveragePriority

S = ClaimStatus


def _payer_claim_number(claim: Claim) -> str:
    if claim.payer_claim_number:
        return claim.payer_claim_number
    remittance = claim.remittances.exclude(payer_claim_number="").order_by("-created_at").first()
    if remittance is None:
        raise ClaimError(
            "the payer's claim number is not known yet: a correction or void names the payer's "
            "claim (REF*F8); post its remittance or enter the number on the claim"
        )
    return remittance.payer_claim_number


SENT = {S.SUBMITTED, S.ACCEPTED, S.PAID, S.DENIED, S.APPEALED}


@transaction.atomic
def claim_correct(*, claim: Claim, user: User) -> Claim:
    """A replacement claim (frequency 7) for a claim the payer has, as a draft to edit."""
    require(user, Capability.MANAGE_BILLING)
    if claim.status not in SENT:
        raise ClaimError("only a claim the payer has received can be corrected; edit the draft")
    replacement = copy_claim(
        claim,
        frequency=ClaimFrequency.REPLACEMENT,
        original=claim,
        primary_claim=claim.primary_claim,
        payer_claim_number=_payer_claim_number(claim),
    )
    # The charges move to the replacement, so they are on the ledger once.
    memo = f"replaced by claim {replacement.patient_control_number}"
    if later_payers.is_later_payer_claim(claim):
        later_payers.share_moved(claim, replacement, memo)
    else:
        charges_off(claim, memo)
        charges_on_the_ledger(claim.organization_id, [replacement], list(replacement.lines.all()))
    return replacement


@transaction.atomic
def claim_void(*, claim: Claim, user: User) -> Claim:
    """A void claim (frequency 8) cancelling a claim the payer has; the charges go back to
    unbilled so that they can be billed again if they should be."""
    require(user, Capability.MANAGE_BILLING)
    if claim.status not in SENT:
        raise ClaimError(
            "only a claim the payer has received is voided by a claim; a draft is simply set to void"
        )
    void = copy_claim(
        claim,
        frequency=ClaimFrequency.VOID,
        original=claim,
        primary_claim=claim.primary_claim,
        payer_claim_number=_payer_claim_number(claim),
    )
    Charge.objects.filter(claim_lines__claim=claim).update(status=ChargeStatus.UNBILLED)
    # The charges will be billed again on a new claim: the voided one leaves A/R now.
    charges_off(claim, f"voided by claim {void.patient_control_number}")
    return void


NEXT_PRIORITY: dict[str, CoveragePriority] = {
    CoveragePriority.PRIMARY: CoveragePriority.SECONDARY,
    CoveragePriority.SECONDARY: CoveragePriority.TERTIARY,
}


def secondary_coverage(claim: Claim) -> Coverage | None:
    """The patient's coverage that pays after `claim`'s payer (secondary after the primary,
    tertiary after the secondary), in force on the claim's first date of service."""
    day = claim.first_service_on
    wanted = NEXT_PRIORITY.get(claim.coverage.priority, CoveragePriority.SECONDARY)
    return (
        Coverage.objects.filter(patient_id=claim.patient_id, priority=wanted, starts_on__lte=day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .exclude(pk=claim.coverage_id)
        .select_related("payer")
        .first()
    )


@transaction.atomic
def claim_create_secondary(*, claim: Claim, user: User) -> Claim:
    """The claim to the next payer (secondary, then tertiary) once this one's payer has paid,
    carrying its adjudication (the 837's 2320/2330 and 2430 loops are built from its
    remittance). What that payer left to the patient moves to the new claim
    (`later_payers`). When the payer forwarded the claim itself (a crossover), the new claim
    is made submitted and is never exported: the next payer has it already."""
    require(user, Capability.MANAGE_BILLING)
    claim = (
        Claim.objects.select_for_update(of=("self",)).select_related("coverage").get(pk=claim.pk)
    )
    if claim.status != ClaimStatus.PAID or not claim.remittances.exists():
        raise ClaimError(
            "the next payer is billed after the primary has paid (the tertiary after the"
            " secondary): post this claim's remittance first"
        )
    existing = claim.secondary_claims.exclude(status=ClaimStatus.VOID).first()
    if existing is not None:
        return existing
    coverage = secondary_coverage(claim)
    if coverage is None:
        raise ClaimError(
            "the patient has no coverage that pays after this payer in force on the date of service"
        )
    if claim.crossed_over_to:
        made = later_payers.crossover_claim_create(claim, coverage)
        assert made is not None  # no claim to the next payer exists (looked above)
        return made
    made = copy_claim(claim, coverage_id=coverage.pk, primary_claim=claim)
    later_payers.prior_share_to_later_payer(made)
    return made
