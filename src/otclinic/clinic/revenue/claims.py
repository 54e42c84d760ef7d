"""Claims: assembled from unbilled charges, scrubbed to ready, exported, and then corrected,
voided or sent on to a secondary payer.

Statuses move along `TRANSITIONS` only. A claim goes to one payer for one patient's episode, with
one rendering provider (the supervising therapist, never the assistant: Medicare enrolls the OT in
private practice, 42 CFR 410.59(c)(1), not the OTA) and one referring or certifying physician
(2310A, CMS-1500 item 17).
"""

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import organization_id_of, require
from otclinic.clinic.audit.services import audit_bulk
from otclinic.clinic.care.models import PlanOfCare, PlanStatus, TreatmentNote
from otclinic.clinic.common.progress import Progress
from otclinic.clinic.fieldwork.student_notes import student_billing
from otclinic.clinic.payers.models import Coverage
from otclinic.clinic.referrals.models import ReferringPhysician
from otclinic.clinic.revenue import later_payers
from otclinic.clinic.revenue.claim_copies import copy_claim, new_control_number
from otclinic.clinic.revenue.models import (
    Charge,
    ChargeStatus,
    Claim,
    ClaimFrequency,
    ClaimLine,
    ClaimStatus,
    LedgerEntry,
    LedgerKind,
)
from otclinic.clinic.revenue.scrubber import (
    SCRUB_FIELDS,
    ClaimHasProblems,
    blocking,
    kept_results,
    scrub_claim,
)
from otclinic.clinic.revenue.selectors import unbilled_charges
from otclinic.clinic.staff.models import StaffProfile
from otclinic.domain.access import Capability
from otclinic.domain.codes import THERAPIST_ROLES, CoveragePriority

MAX_LINES = 50  # 837P loop 2400 repeats at most 50 times
BULK_BATCH = 1000  # rows per INSERT or UPDATE statement
CLAIM_FIELDS = (
    "patient",
    "coverage",
    "episode",
    "patient_control_number",
    "status",
    "frequency",
    "rendering_provider",
    "referring_physician",
    "place_of_service",
    "diagnosis_codes",
    "total_charge",
    "first_service_on",
    "last_service_on",
)

LINE_FIELDS = (
    "claim",
    "charge",
    "line_number",
    "date_of_service",
    "code",
    "modifiers",
    "units",
    "amount",
    "diagnosis_pointers",
)
MAX_DIAGNOSES = 12
MAX_POINTERS = 4

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


def rendering_provider_for(note: TreatmentNote) -> StaffProfile:
    """The supervising therapist: the author when a therapist, else the author's supervising
    OT, else the episode's therapist. Never an assistant or a student: a student's note is
    rendered by their fieldwork educator, or an OTA educator's supervising OT (fieldwork)."""
    author = note.author
    if author.user.role in THERAPIST_ROLES:
        return author
    routed = student_billing(note)
    if routed is not None:
        return routed[0]  # type: ignore[no-any-return]
    if author.supervising_ot is not None:
        return author.supervising_ot
    return note.episode.therapist


def plan_for(note: TreatmentNote, plans: Sequence[PlanOfCare] | None = None) -> PlanOfCare | None:
    """The plan of care in force on the note's date: the newest version established by then.
    `plans`: the episode's plans other than drafts, newest version first, when already read."""
    if plans is None:
        plans = list(
            note.episode.plans.exclude(status=PlanStatus.DRAFT)
            .select_related("certifying_physician")
            .prefetch_related("plan_diagnoses__diagnosis")
            .order_by("-version")
        )
    day = note.date_of_service
    in_force = (plan for plan in plans if plan.established_on <= day)
    return next(in_force, plans[0] if plans else None)


def referring_physician_for(
    note: TreatmentNote, plan: PlanOfCare | None = None
) -> ReferringPhysician | None:
    """The plan's certifying physician, else the referral's physician (`plan`: the plan in
    force, when already found)."""
    plan = plan or plan_for(note)
    if plan is not None and plan.certifying_physician_id is not None:
        return plan.certifying_physician
    referral = note.episode.referral
    return referral.physician if referral is not None else None


def diagnoses_for(note: TreatmentNote, plan: PlanOfCare | None = None) -> list[str]:
    """ICD-10-CM codes in claim order: the plan's ranked diagnoses, else the referral's."""
    plan = plan or plan_for(note)
    codes: list[str] = []
    if plan is not None:
        codes = [d.diagnosis.code for d in plan.plan_diagnoses.all()]
    if not codes and note.episode.referral is not None:
        codes = list(note.episode.referral.diagnosis_codes)
    return list(dict.fromkeys(codes))[:MAX_DIAGNOSES]


def default_pointers(diagnoses: Sequence[str]) -> list[int]:
    """Each line points at the first (up to four) diagnoses, the primary first."""
    return list(range(1, min(len(diagnoses), MAX_POINTERS) + 1))


def _claim_key(charge: Charge, plans: Sequence[PlanOfCare]) -> tuple[Any, ...]:
    note = charge.note
    plan = plan_for(note, plans)
    referring = referring_physician_for(note, plan)
    return (
        note.episode_id,
        note.episode.coverage_id,
        rendering_provider_for(note).pk,
        referring.pk if referring else None,
        tuple(diagnoses_for(note, plan)),
    )


def _plans_by_episode(episode_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, list[PlanOfCare]]:
    """Every episode's plans other than drafts, newest version first, in two queries."""
    plans: dict[uuid.UUID, list[PlanOfCare]] = defaultdict(list)
    rows = (
        PlanOfCare.objects.filter(episode_id__in=set(episode_ids))
        .exclude(status=PlanStatus.DRAFT)
        .select_related("certifying_physician")
        .prefetch_related("plan_diagnoses__diagnosis")
        .order_by("episode_id", "-version")
    )
    for plan in rows:
        plans[plan.episode_id].append(plan)
    return plans


def _with_notes(charges: list[Charge]) -> list[Charge]:
    """`charges` with their notes and what a claim reads of them (episode, coverage, payer,
    clinic, referral, author), each note read once however many charges it has."""
    notes = TreatmentNote.objects.filter(pk__in={c.note_id for c in charges}).select_related(
        "episode__coverage__payer",
        "episode__clinic",
        "episode__referral__physician",
        "author__user",
        "author__supervising_ot__user",
    )
    by_id = {note.pk: note for note in notes}
    for charge in charges:
        charge.note = by_id[charge.note_id]
    return charges


@transaction.atomic
def claims_assemble(*, user: User, progress: Progress | None = None) -> list[Claim]:
    """Draft claims from every unbilled charge, one per episode, payer (the episode's coverage,
    the primary), rendering provider, referring physician and diagnosis list, 50 lines at most.
    The claims and their lines are inserted in bulk, and the charges marked billed in one
    update, all in one transaction."""
    require(user, Capability.MANAGE_BILLING)
    if progress is not None:
        progress.begin(total=None, step="Grouping unbilled charges by episode, payer and provider")
    charges = _with_notes(
        list(unbilled_charges(organization_id_of(user)).select_for_update(of=("self",)))
    )
    plans = _plans_by_episode(c.note.episode_id for c in charges)
    groups: dict[tuple[Any, ...], list[Charge]] = defaultdict(list)
    keys: dict[uuid.UUID, tuple[Any, ...]] = {}  # per note: its charges share the key
    for charge in charges:
        if charge.note_id not in keys:
            keys[charge.note_id] = _claim_key(charge, plans[charge.note.episode_id])
        groups[keys[charge.note_id]].append(charge)
    if progress is not None:
        total = sum(-(-len(charges) // MAX_LINES) for charges in groups.values())
        progress.begin(total=total, step="Writing draft claims")
    drafts: list[tuple[Claim, list[ClaimLine]]] = []
    for (_, _, rendering_id, referring_id, diagnoses), grouped in groups.items():
        for start in range(0, len(grouped), MAX_LINES):
            chunk = grouped[start : start + MAX_LINES]
            drafts.append(_claim_from_charges(chunk, rendering_id, referring_id, list(diagnoses)))
            if progress is not None:
                progress.advance()
    return _save_drafts(organization_id_of(user), drafts)


def _claim_from_charges(
    charges: list[Charge],
    rendering_id: uuid.UUID,
    referring_id: uuid.UUID | None,
    diagnoses: list[str],
) -> tuple[Claim, list[ClaimLine]]:
    """A draft claim and its lines for `charges` (unsaved)."""
    episode = charges[0].note.episode
    assert episode.coverage_id is not None  # only covered episodes' charges are billed
    claim = Claim(
        organization_id=episode.organization_id,
        patient_id=episode.patient_id,
        coverage_id=episode.coverage_id,
        episode=episode,
        patient_control_number=new_control_number(),
        rendering_provider_id=rendering_id,
        referring_physician_id=referring_id,
        place_of_service=episode.clinic.place_of_service,
        diagnosis_codes=diagnoses,
        total_charge=sum((c.amount for c in charges), Decimal("0.00")),
        first_service_on=min(c.date_of_service for c in charges),
        last_service_on=max(c.date_of_service for c in charges),
    )
    pointers = default_pointers(diagnoses)
    lines = [
        ClaimLine(
            organization_id=claim.organization_id,
            claim=claim,
            charge=charge,
            line_number=number,
            date_of_service=charge.date_of_service,
            code=charge.code,
            modifiers=charge.modifiers,
            units=charge.units,
            amount=charge.amount,
            diagnosis_pointers=pointers,
        )
        for number, charge in enumerate(charges, start=1)
    ]
    return claim, lines


def _save_drafts(
    organization_id: uuid.UUID, drafts: list[tuple[Claim, list[ClaimLine]]]
) -> list[Claim]:
    """Insert the claims and their lines (each insert with one audit entry naming every row)
    and mark their charges billed."""
    claims = Claim.objects.bulk_create([claim for claim, _ in drafts], batch_size=BULK_BATCH)
    lines = ClaimLine.objects.bulk_create(
        [line for _, lines in drafts for line in lines], batch_size=BULK_BATCH
    )
    if not claims:
        return claims
    for object_type, rows in (("revenue.claim", claims), ("revenue.claimline", lines)):
        audit_bulk(
            object_type=object_type,
            object_ids=[row.pk for row in rows],
            organization_id=organization_id,
            fields=CLAIM_FIELDS if object_type == "revenue.claim" else LINE_FIELDS,
            detail=f"{len(claims)} draft claim(s) assembled from unbilled charges",
        )
    _charges_on_the_ledger(organization_id, claims, lines)
    billed = [line.charge_id for line in lines]
    for start in range(0, len(billed), BULK_BATCH):
        Charge.objects.filter(pk__in=billed[start : start + BULK_BATCH]).update(
            status=ChargeStatus.BILLED, updated_at=timezone.now()
        )
    return claims


def _charges_on_the_ledger(
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


def _charges_off(claim: Claim, memo: str) -> None:
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
        _charges_off(claim, "claim voided")
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
    _charges_on_the_ledger(original.organization_id, [original], list(original.lines.all()))


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
        _charges_off(claim, memo)
        _charges_on_the_ledger(claim.organization_id, [replacement], list(replacement.lines.all()))
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
    _charges_off(claim, f"voided by claim {void.patient_control_number}")
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


def claims_with_ids(organization_id: uuid.UUID, ids: Iterable[uuid.UUID]) -> QuerySet[Claim]:
    return Claim.objects.for_org(organization_id).filter(pk__in=list(ids))
