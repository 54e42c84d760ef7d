"""Charges from signed notes, through the engine's billing decision.

A note is billed once it is signed, or co-signed where its supervision rules require a
co-signature (such a note waits as `cosign_pending` until then). The engine decides the lines,
units and modifiers (GO/CO/KX/59...) from the note's minutes, with the fee schedule's expected
allowed amounts and the patient's year-to-date allowed amount for the threshold (KX). Creating
the charges of a note a second time creates nothing. A note its author signed as not billable
(with the reason) is never charged, and the charge run does not list it: it is simply not billed.
"""

import datetime as dt
import logging
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import QuerySet

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import organization_id_of, require
from otclinic.clinic.audit.services import audit_bulk
from otclinic.clinic.care.adapters import payer_plan_of
from otclinic.clinic.care.billing_adapter import note_check
from otclinic.clinic.care.models import NoteStatus, TreatmentNote
from otclinic.clinic.common.progress import Progress
from otclinic.clinic.payers.selectors_codes import rulebook_for_organization
from otclinic.clinic.revenue.fees import FeeMissing, fees_among, fees_for
from otclinic.clinic.revenue.models import Charge, FeeScheduleEntry
from otclinic.clinic.revenue.note_amounts import BatchAmounts, FeeCache
from otclinic.clinic.revenue.threshold import YtdLedger, bucket_for, ytd_ledger
from otclinic.domain.access import Capability
from otclinic.domain.billing import Decision
from otclinic.domain.billing.estimate import EstimateLine, estimate_allowed
from otclinic.domain.billing.money import to_cents
from otclinic.domain.billing.rulebook import RuleBook
from otclinic.domain.codes import PayerPlan
from otclinic.domain.compliance.explain import explain
from otclinic.domain.compliance.findings import Finding, Severity

log = logging.getLogger(__name__)

BILLABLE_STATUSES = (NoteStatus.SIGNED, NoteStatus.COSIGNED)
BATCH_NOTES = 200  # notes per transaction of a charge run
CHARGE_FIELDS = (
    "note",
    "patient",
    "date_of_service",
    "code",
    "modifiers",
    "units",
    "amount",
    "expected_allowed",
    "status",
    "billing_findings",
)


class NoteNotBillable(ValueError):
    """The note cannot be billed (not signed yet, or the engine found an error)."""

    def __init__(self, message: str, findings: tuple[Finding, ...] = ()) -> None:
        super().__init__(message)
        self.findings = findings


@dataclass(frozen=True, slots=True)
class NoteBilling:
    """The engine's decision for a saved note, with the fees and expected allowed per line."""

    decision: Decision
    fees: dict[str, FeeScheduleEntry]
    ytd_allowed: Decimal
    expected_allowed: tuple[Decimal | None, ...]


@dataclass(frozen=True, slots=True)
class ChargeRun:
    """What "create charges for signed notes" did: charges created, and notes left aside."""

    notes_billed: int
    charges_created: int
    skipped: tuple[tuple[uuid.UUID, str], ...]


def note_billing(
    note: TreatmentNote, *, amounts: BatchAmounts | None = None, rulebook: RuleBook | None = None
) -> NoteBilling:
    """The billing decision the charges of `note` follow (nothing is saved): the note page's
    own check (`care.billing_adapter.note_check`), with the fees of every line it bills. A
    charge run passes its `BatchAmounts`, which reads fees and year-to-date amounts in bulk,
    and the organization's `rulebook`.

    Raises `FeeMissing` when a code on the visit or on the claim has no fee for the year."""
    check = note_check(note, amounts=amounts, rulebook=rulebook)
    payer = note.episode.coverage.payer if note.episode.coverage else None
    year = note.date_of_service.year
    # The engine may bill a code the note does not list (an add-on code such as 97130).
    codes = {line.code for line in check.visit.lines} | {line.code for line in check.decision.lines}
    if amounts is None:
        fees = fees_for(organization_id=note.organization_id, payer=payer, year=year, codes=codes)
    else:
        fees = fees_among(amounts.fees(payer=payer, year=year), codes, year=year, payer=payer)
    decision = check.decision
    return NoteBilling(
        decision, fees, check.visit.ytd_allowed, _expected(decision, fees, note.date_of_service)
    )


def _expected(
    decision: Decision, fees: dict[str, FeeScheduleEntry], day: dt.date
) -> tuple[Decimal | None, ...]:
    estimate = estimate_allowed(
        [
            EstimateLine(
                code=line.code,
                units=line.units,
                modifiers=line.modifiers,
                allowed_per_unit=fees[line.code].expected_allowed or Decimal(0),
                practice_expense_per_unit=fees[line.code].practice_expense,
            )
            for line in decision.lines
        ],
        date_of_service=day,
    )
    return tuple(
        amount if fees[line.code].expected_allowed is not None else None
        for line, amount in zip(decision.lines, estimate.lines, strict=True)
    )


@transaction.atomic
def charges_create_for_note(*, note: TreatmentNote) -> list[Charge]:
    """The note's charges, created now; none when it already has charges (idempotent)."""
    note = _notes_to_bill(TreatmentNote.objects.filter(pk=note.pk)).get()
    if note.status not in BILLABLE_STATUSES:
        raise NoteNotBillable(
            f"the note is {note.get_status_display().lower()}: it is billed once signed "
            "(and co-signed where required)"
        )
    if note.not_billable or note.charges.exists():
        return []
    charges = _charges_for(note, note_billing(note))
    _save_charges(note.organization_id, charges, notes=1)
    return charges


def _notes_to_bill(notes: QuerySet[TreatmentNote]) -> QuerySet[TreatmentNote]:
    """`notes` locked, with what the billing check and the fieldwork rules read of them."""
    return (
        notes.select_for_update(of=("self",))
        .select_related(
            "episode__coverage__payer",
            "episode__clinic",
            "author__user",
            "author__supervising_ot__user",
        )
        .prefetch_related("lines")
    )


def _charges_for(note: TreatmentNote, billing: NoteBilling) -> list[Charge]:
    """The note's charges as the decision bills them (unsaved); raises `NoteNotBillable` when
    the billing check found errors."""
    decision = billing.decision
    if not decision.billable:
        errors = tuple(f for f in decision.findings if f.severity is Severity.ERROR)
        # In plain words: the rule ids and citations are on the note's "Why?".
        found = "; ".join(dict.fromkeys(explain(f.rule_id, f.message).plain for f in errors))
        raise NoteNotBillable(
            f"the billing check found errors: {found.rstrip('.')}. Correct the note.", errors
        )
    findings = [f.as_json() for f in decision.findings if f.severity is not Severity.INFO]
    return [
        Charge(
            organization_id=note.organization_id,
            note=note,
            patient_id=note.episode.patient_id,
            date_of_service=note.date_of_service,
            code=line.code,
            modifiers=list(line.modifiers),
            units=line.units,
            amount=to_cents(billing.fees[line.code].charge_amount * line.units),
            expected_allowed=expected,
            billing_findings=findings,
        )
        for line, expected in zip(decision.lines, billing.expected_allowed, strict=True)
    ]


def _save_charges(organization_id: uuid.UUID, charges: list[Charge], *, notes: int) -> None:
    """Insert `charges` in one statement, with one audit entry naming every one of them."""
    if not charges:
        return
    Charge.objects.bulk_create(charges)
    TreatmentNote.objects.filter(pk__in={charge.note_id for charge in charges}).update(charged=True)
    audit_bulk(
        object_type="revenue.charge",
        object_ids=[charge.pk for charge in charges],
        organization_id=organization_id,
        fields=CHARGE_FIELDS,
        detail=f"charges created from {notes} signed note(s)",
    )
    log.debug("%d charges created from %d notes", len(charges), notes)


def billable_notes(organization_id: uuid.UUID) -> QuerySet[TreatmentNote]:
    """Signed or co-signed notes of the organization that have no charges yet, oldest first
    (not those signed as not billable). The `charged` flag keeps the notes to look at few (an
    index holds those without it); the charges themselves decide."""
    return (
        TreatmentNote.objects.for_org(organization_id)
        .filter(
            status__in=BILLABLE_STATUSES, charged=False, charges__isnull=True, not_billable=False
        )
        .order_by("date_of_service", "signed_at")
    )


def not_billable_notes(organization_id: uuid.UUID) -> QuerySet[TreatmentNote]:
    """Signed notes of the organization that their authors signed as not billable, newest first
    (for the biller to see what was not billed and why)."""
    return (
        TreatmentNote.objects.for_org(organization_id)
        .filter(not_billable=True)
        .select_related("episode__patient", "author__user")
        .order_by("-date_of_service", "-signed_at")
    )


def charges_create_for_signed_notes(
    *,
    user: User,
    progress: Progress | None = None,
    served_between: tuple[dt.date, dt.date] | None = None,
) -> ChargeRun:
    """Charges for every signed note without them (of services on the days `served_between`
    names, first and last included, when given); a note that cannot be billed is left aside
    with the reason, and the others go on. Notes are billed `BATCH_NOTES` at a time, oldest
    first, each batch in one transaction: its charges are inserted together, or not at all."""
    require(user, Capability.MANAGE_BILLING)
    notes = billable_notes(organization_id_of(user))
    if served_between is not None:
        notes = notes.filter(date_of_service__range=served_between)
    ids = list(notes.values_list("pk", flat=True))
    if progress is not None:
        progress.begin(total=len(ids), step="Creating charges from signed notes")
    billed = created = 0
    skipped: list[tuple[uuid.UUID, str]] = []
    fees: FeeCache = {}  # each payer's schedule for a year, read once for the whole run
    for start in range(0, len(ids), BATCH_NOTES):
        batch = ids[start : start + BATCH_NOTES]
        run = _bill_batch(organization_id_of(user), batch, fees=fees, progress=progress)
        billed += run.notes_billed
        created += run.charges_created
        skipped.extend(run.skipped)
    return ChargeRun(billed, created, tuple(skipped))


@transaction.atomic
def _bill_batch(
    organization_id: uuid.UUID,
    ids: list[uuid.UUID],
    *,
    fees: FeeCache,
    progress: Progress | None,
) -> ChargeRun:
    """One batch of notes: locked, checked again (another run may have billed them since),
    decided with the amounts read in bulk, and their charges inserted at once."""
    notes = list(
        _notes_to_bill(billable_notes(organization_id).filter(pk__in=ids)).order_by(
            "date_of_service", "signed_at"
        )
    )
    amounts = BatchAmounts(
        organization_id=organization_id,
        fees=fees,
        ledger=ytd_ledger(
            patient_ids={n.episode.patient_id for n in notes},
            years={n.date_of_service.year for n in notes},
        ),
    )
    book = rulebook_for_organization(organization_id)
    charges: list[Charge] = []
    skipped: list[tuple[uuid.UUID, str]] = []
    billed = 0
    for note in notes:
        try:
            made = _charges_for(note, note_billing(note, amounts=amounts, rulebook=book))
        except (FeeMissing, NoteNotBillable) as exc:
            skipped.append((note.pk, str(exc)))
            if progress is not None:
                progress.problem(message=str(exc), note=note)
        else:
            _count_in_ledger(amounts.ledger, note, made)
            charges.extend(made)
            billed += 1 if made else 0
        if progress is not None:
            progress.advance()
    _save_charges(organization_id, charges, notes=billed)
    return ChargeRun(billed, len(charges), tuple(skipped))


def _count_in_ledger(ledger: YtdLedger, note: TreatmentNote, charges: list[Charge]) -> None:
    """The new charges count toward the threshold of the patient's later notes in the run."""
    episode = note.episode
    if payer_plan_of(episode) is not PayerPlan.MEDICARE_PART_B:
        return
    for charge in charges:
        ledger.add(
            patient_id=episode.patient_id,
            bucket=bucket_for(episode.discipline),
            day=note.date_of_service,
            note_id=note.pk,
            amount=charge.expected_allowed or Decimal(0),
        )
