"""Patient payments at the desk: copays, coinsurance, self-pay, and refunds of a credit.

A payment is applied to the services the patient owes for, oldest first (or to one claim's
services first, when the person taking it says so); what is left over stays on the account as
a credit, a ledger entry with no service. A later charge to the patient can take that credit
(`patient_credit_apply`), and a credit can be refunded, never more than the credit. Every
movement is a ledger entry in the patient's responsibility, so the patient's balance, the
statement and the A/R by patient all read the same rows.

Each call is one transaction, and the form's one-time token makes a double-tapped "Take
payment" record one payment.
"""

import io
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.common.access import require_same_organization
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.patients.models import Patient
from otclinic.clinic.revenue.models import (
    LedgerEntry,
    LedgerKind,
    PatientPayment,
    PaymentMethod,
)
from otclinic.clinic.revenue.statements import patient_balance
from otclinic.domain.access import Capability

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
NEEDS_REFERENCE: dict[str, str] = {
    PaymentMethod.CHECK: "the check number",
    PaymentMethod.CARD: "the approval code",
}


@dataclass(frozen=True)
class Owed:
    """One service the patient owes for: its claim line and what remains due on it."""

    claim_id: Any
    claim_line_id: Any
    date_of_service: date
    due: Decimal


def owed_services(*, patient: Patient) -> list[Owed]:
    """What the patient owes, service by service, oldest first (one aggregate query)."""
    rows = (
        LedgerEntry.objects.for_org(patient.organization_id)
        .filter(patient=patient, responsibility="patient", claim_line__isnull=False)
        .values("claim_id", "claim_line_id", "claim_line__date_of_service")
        .annotate(due=Sum("amount"))
    )
    owed = [
        Owed(r["claim_id"], r["claim_line_id"], r["claim_line__date_of_service"], _money(r["due"]))
        for r in rows
    ]
    return sorted(
        (o for o in owed if o.due > ZERO), key=lambda o: (o.date_of_service, str(o.claim_line_id))
    )


def unapplied_credit(*, patient: Patient) -> Decimal:
    """Money the patient paid that no service has taken yet (a positive figure)."""
    total = (
        LedgerEntry.objects.for_org(patient.organization_id)
        .filter(patient=patient, responsibility="patient", claim_line__isnull=True)
        .exclude(kind=LedgerKind.CHARGE)
        .aggregate(total=Sum("amount"))["total"]
    )
    return max(-_money(total or ZERO), ZERO)


def _money(amount: Decimal) -> Decimal:
    # SQLite's SUM drops the two decimal places; money always has them.
    return Decimal(amount).quantize(CENT)


def _amount(value: Any) -> Decimal:
    try:
        amount = Decimal(str(value))
    except ArithmeticError:
        raise ValidationFailed({"amount": ["Enter an amount in dollars and cents."]}) from None
    if not amount.is_finite() or amount <= ZERO:
        raise ValidationFailed({"amount": ["Enter an amount greater than zero."]})
    if amount != amount.quantize(CENT):
        raise ValidationFailed({"amount": ["Enter dollars and cents: at most two decimals."]})
    if amount >= Decimal("10000000"):
        raise ValidationFailed({"amount": ["Enter an amount under $10,000,000."]})
    return amount


def _check_method(method: str, reference: str) -> None:
    if method not in PaymentMethod.values:
        raise ValidationFailed({"method": ["Choose cash, check, card or other."]})
    if method in NEEDS_REFERENCE and not reference.strip():
        raise ValidationFailed({"reference": [f"Enter {NEEDS_REFERENCE[method]}."]})


def _receipt_number() -> str:
    return "R" + uuid.uuid4().hex[:10].upper()


def _allocate(
    amount: Decimal, owed: list[Owed], *, claim_first: Any = None
) -> list[tuple[Owed, Decimal]]:
    order = sorted(owed, key=lambda o: o.claim_id != claim_first) if claim_first else owed
    applied, left = [], amount
    for service in order:
        if left <= ZERO:
            break
        share = min(service.due, left)
        applied.append((service, share))
        left -= share
    return applied


@transaction.atomic
def patient_payment_take(
    *,
    user: User,
    patient: Patient,
    amount: Any,
    method: str,
    reference: str = "",
    received_on: date | None = None,
    claim_id: Any = None,
    request_token: uuid.UUID,
) -> PatientPayment:
    """Record a payment and apply it: the services owed (one claim's first, when named), oldest
    first; the rest is a credit on account. The same `request_token` again returns the payment
    already recorded."""
    require(user, Capability.TAKE_PAYMENT)
    require_same_organization(user, patient)
    amount = _amount(amount)
    _check_method(method, reference)
    done = PatientPayment.objects.for_org(user.organization_id).filter(request_token=request_token)
    if done.exists():
        return done.get()
    # One payment at a time per patient: two desks cannot apply the same due twice.
    Patient.objects.select_for_update().filter(pk=patient.pk).first()
    day = received_on or timezone.localdate()
    payment = PatientPayment.objects.create(
        organization_id=patient.organization_id,
        patient=patient,
        amount=amount,
        method=method,
        reference=reference.strip()[:40],
        received_on=day,
        receipt_number=_receipt_number(),
        taken_by=user,
        request_token=request_token,
    )
    applied = _allocate(amount, owed_services(patient=patient), claim_first=claim_id)
    entries = [
        _entry(payment, -share, claim_id=o.claim_id, claim_line_id=o.claim_line_id)
        for o, share in applied
    ]
    left = amount - sum((share for _, share in applied), ZERO)
    if left > ZERO:
        entries.append(_entry(payment, -left, memo="credit on account"))
    for entry in entries:
        entry.save()
    return payment


def _entry(
    payment: PatientPayment,
    amount: Decimal,
    *,
    claim_id: Any = None,
    claim_line_id: Any = None,
    kind: str = LedgerKind.PATIENT_PAYMENT,
    memo: str = "",
) -> LedgerEntry:
    return LedgerEntry(
        organization_id=payment.organization_id,
        patient_id=payment.patient_id,
        claim_id=claim_id,
        claim_line_id=claim_line_id,
        kind=kind,
        amount=amount,
        responsibility="patient",
        posted_on=payment.received_on,
        payment=payment,
        memo=(memo or f"{payment.get_method_display()} {payment.receipt_number}")[:200],
    )


@transaction.atomic
def patient_credit_apply(*, user: User, patient: Patient) -> Decimal:
    """Move the patient's credit on account to services now owed, oldest first; returns the
    amount moved (nothing when there is no credit or nothing owed)."""
    require(user, Capability.TAKE_PAYMENT)
    Patient.objects.select_for_update().filter(pk=patient.pk).first()
    credit = unapplied_credit(patient=patient)
    applied = _allocate(credit, owed_services(patient=patient)) if credit > ZERO else []
    moved = sum((share for _, share in applied), ZERO)
    if moved <= ZERO:
        return ZERO
    base = {
        "organization_id": patient.organization_id,
        "patient_id": patient.pk,
        "kind": LedgerKind.PATIENT_PAYMENT,
        "responsibility": "patient",
        "posted_on": timezone.localdate(),
    }
    LedgerEntry(**base, amount=moved, memo="credit on account applied").save()
    for service, share in applied:
        LedgerEntry(
            **base,
            amount=-share,
            claim_id=service.claim_id,
            claim_line_id=service.claim_line_id,
            memo="from credit on account",
        ).save()
    return moved


@transaction.atomic
def patient_refund(
    *,
    user: User,
    patient: Patient,
    amount: Any,
    method: str,
    reference: str = "",
    request_token: uuid.UUID,
) -> PatientPayment:
    """Give back part or all of the patient's credit on account (never more than it)."""
    require(user, Capability.TAKE_PAYMENT)
    require_same_organization(user, patient)
    amount = _amount(amount)
    _check_method(method, reference)
    done = PatientPayment.objects.for_org(user.organization_id).filter(request_token=request_token)
    if done.exists():
        return done.get()
    Patient.objects.select_for_update().filter(pk=patient.pk).first()
    credit = unapplied_credit(patient=patient)
    if amount > credit:
        raise ValidationFailed(
            {"amount": [f"The patient's credit on account is {credit}; refund at most that."]}
        )
    refund = PatientPayment.objects.create(
        organization_id=patient.organization_id,
        patient=patient,
        is_refund=True,
        amount=amount,
        method=method,
        reference=reference.strip()[:40],
        received_on=timezone.localdate(),
        receipt_number=_receipt_number(),
        taken_by=user,
        request_token=request_token,
    )
    _entry(refund, amount, kind=LedgerKind.REFUND, memo=f"refund {refund.receipt_number}").save()
    return refund


def receipt_pdf(*, payment: PatientPayment, clinic_name: str) -> bytes:
    """The receipt handed to the patient: what was paid (or refunded), how, and where it went."""
    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=LETTER, title=f"Receipt {payment.receipt_number}")
    patient = payment.patient
    what = "Refund" if payment.is_refund else "Payment received"
    story: list[Any] = [
        Paragraph(clinic_name, styles["Title"]),
        Paragraph(f"{what}: receipt {payment.receipt_number}", styles["Heading2"]),
        Paragraph(f"Patient: {patient.first_name} {patient.last_name}", styles["Normal"]),
        Paragraph(f"Date: {payment.received_on:%B %d, %Y}", styles["Normal"]),
        Paragraph(f"Amount: ${payment.amount:,.2f}", styles["Normal"]),
        Paragraph(
            f"Method: {payment.get_method_display()}"
            + (f" ({payment.reference})" if payment.reference else ""),
            styles["Normal"],
        ),
        Spacer(1, 0.2 * inch),
    ]
    if not payment.is_refund:
        by_service: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for entry in payment.entries.select_related("claim_line"):
            line = entry.claim_line
            label = f"{line.date_of_service:%m/%d/%Y} {line.code}" if line else "Credit on account"
            by_service[label] -= entry.amount
        rows = [["Applied to", "Amount"]] + [[k, f"${v:,.2f}"] for k, v in by_service.items()]
        story.append(Table(rows, hAlign="LEFT"))
    story.append(Spacer(1, 0.2 * inch))
    balance = patient_balance(patient=patient)
    today = timezone.localdate()
    story.append(Paragraph(f"Balance as of {today:%B %d, %Y}: ${balance:,.2f}", styles["Normal"]))
    doc.build(story)
    return buffer.getvalue()
