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
from typing import Any

from django.db import transaction

from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.care.billing_adapter import note_check
from otclinic.clinic.care.models import NoteStatus, TreatmentNote
from otclinic.clinic.common.progress import Progress
from otclinic.clinic.revenue.fees import FeeMissing, fees_for
from otclinic.clinic.revenue.models import Charge, FeeScheduleEntry
from otclinic.domain.access import Capability
from otclinic.domain.billing import Decision
from otclinic.domain.billing.estimate import EstimateLine, estimate_allowed
from otclinic.domain.billing.money import to_cents
from otclinic.domain.compliance.findings import Finding, Severity

log = logging.getLogger(__name__)

BILLABLE_STATUSES = (NoteStatus.SIGNED, NoteStatus.COSIGNED)


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


def note_billing(note: TreatmentNote) -> NoteBilling:
    """The billing decision the charges of `note` follow (nothing is saved): the note page's
    own check (`care.billing_adapter.note_check`), with the fees of every line it bills.

    Raises `FeeMissing` when a code on the visit or on the claim has no fee for the year."""
    check = note_check(note)
    payer = note.episode.coverage.payer if note.episode.coverage else None
    # The engine may bill a code the note does not list (an add-on code such as 97130).
    fees = fees_for(
        organization_id=note.organization_id,
        payer=payer,
        year=note.date_of_service.year,
        codes={line.code for line in check.visit.lines}
        | {line.code for line in check.decision.lines},
    )
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
    note = (
        TreatmentNote.objects.select_for_update(of=("self",))
        .select_related("episode__coverage__payer", "episode__clinic")
        .get(pk=note.pk)
    )
    if note.status not in BILLABLE_STATUSES:
        raise NoteNotBillable(
            f"the note is {note.get_status_display().lower()}: it is billed once signed "
            "(and co-signed where required)"
        )
    if note.not_billable or note.charges.exists():
        return []
    billing = note_billing(note)
    if not billing.decision.billable:
        errors = tuple(f for f in billing.decision.findings if f.severity is Severity.ERROR)
        rules = ", ".join(sorted({f.rule_id for f in errors}))
        raise NoteNotBillable(f"the billing check found errors ({rules}): correct the note", errors)
    charges = [
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
        )
        for line, expected in zip(billing.decision.lines, billing.expected_allowed, strict=True)
    ]
    for charge in charges:
        charge.save()
    log.debug("charges created for note %s: %d lines", note.pk, len(charges))
    return charges


def billable_notes(organization_id: uuid.UUID) -> Any:
    """Signed or co-signed notes of the organization that have no charges yet, oldest first
    (not those signed as not billable)."""
    return (
        TreatmentNote.objects.for_org(organization_id)
        .filter(status__in=BILLABLE_STATUSES, charges__isnull=True, not_billable=False)
        .order_by("date_of_service", "signed_at")
    )


def not_billable_notes(organization_id: uuid.UUID) -> Any:
    """Signed notes of the organization that their authors signed as not billable, newest first
    (for the biller to see what was not billed and why)."""
    return (
        TreatmentNote.objects.for_org(organization_id)
        .filter(not_billable=True)
        .select_related("episode__patient", "author__user")
        .order_by("-date_of_service", "-signed_at")
    )


def charges_create_for_signed_notes(*, user: Any, progress: Progress | None = None) -> ChargeRun:
    """Charges for every signed note without them; a note that cannot be billed is left aside
    with the reason, and the others go on (each note in its own transaction)."""
    require(user, Capability.MANAGE_BILLING)
    billed = created = 0
    skipped: list[tuple[uuid.UUID, str]] = []
    notes = billable_notes(user.organization_id)
    if progress is not None:
        progress.begin(total=notes.count(), step="Creating charges from signed notes")
    for note in notes.iterator():
        try:
            charges = charges_create_for_note(note=note)
        except (FeeMissing, NoteNotBillable) as exc:
            skipped.append((note.pk, str(exc)))
            if progress is not None:
                progress.problem(message=str(exc), note=note)
                progress.advance()
            continue
        billed += 1 if charges else 0
        created += len(charges)
        if progress is not None:
            progress.advance()
    return ChargeRun(billed, created, tuple(skipped))
