"""Draft claims assembled from unbilled charges: one per episode, payer, rendering provider,
referring physician and diagnosis list, 50 lines at most, inserted in bulk.

The rendering provider is the supervising therapist, never the assistant: Medicare enrolls the
OT in private practice, 42 CFR 410.59(c)(1), not the OTA. The referring or certifying physician
is the plan's, else the referral's (2310A, CMS-1500 item 17).
"""

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import organization_id_of, require
from otclinic.clinic.audit.services import audit_bulk
from otclinic.clinic.care.models import PlanOfCare, PlanStatus, TreatmentNote
from otclinic.clinic.common.progress import Progress
from otclinic.clinic.fieldwork.student_notes import student_billing
from otclinic.clinic.referrals.models import ReferringPhysician
from otclinic.clinic.revenue.claim_copies import new_control_number
from otclinic.clinic.revenue.claim_ledger import BULK_BATCH, charges_on_the_ledger
from otclinic.clinic.revenue.models import Charge, ChargeStatus, Claim, ClaimLine
from otclinic.clinic.revenue.selectors import unbilled_charges
from otclinic.clinic.staff.models import StaffProfile
from otclinic.domain.access import Capability
from otclinic.domain.codes import THERAPIST_ROLES

MAX_LINES = 50  # 837P loop 2400 repeats at most 50 times
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
    charges_on_the_ledger(organization_id, claims, lines)
    billed = [line.charge_id for line in lines]
    for start in range(0, len(billed), BULK_BATCH):
        Charge.objects.filter(pk__in=billed[start : start + BULK_BATCH]).update(
            status=ChargeStatus.BILLED, updated_at=timezone.now()
        )
    return claims
