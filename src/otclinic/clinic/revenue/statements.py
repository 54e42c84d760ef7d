"""Patient balances and statements: what the patient owes, from the ledger, as a PDF.

The patient's balance is the sum of the ledger entries in the patient's responsibility: the
payers' PR amounts and denials billed to the patient, less the patient's payments. The statement
lists each service with what the clinic charged, what insurance paid, what was adjusted, the
patient's share and the patient's payments, then the balance due.
"""

import hashlib
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import organization_of, require
from otclinic.clinic.patients.models import Patient
from otclinic.clinic.revenue.models import LedgerEntry, LedgerKind, PatientStatement
from otclinic.domain.access import Capability

ZERO = Decimal("0.00")
WRITE_DOWNS = {LedgerKind.ADJUSTMENT, LedgerKind.WRITE_OFF}


@dataclass
class StatementLine:
    date_of_service: date
    code: str
    charge: Decimal = ZERO
    insurance_paid: Decimal = ZERO
    adjusted: Decimal = ZERO
    patient_share: Decimal = ZERO
    patient_paid: Decimal = ZERO

    @property
    def due(self) -> Decimal:
        return self.patient_share - self.patient_paid


@dataclass
class Statement:
    patient: Patient
    statement_date: date
    lines: list[StatementLine] = field(default_factory=list)

    @property
    def balance(self) -> Decimal:
        return sum((line.due for line in self.lines), ZERO)


def patient_balance(*, patient: Patient) -> Decimal:
    """What the patient owes: the sum of the patient-responsibility entries."""
    total = (
        LedgerEntry.objects.for_org(patient.organization_id)
        .filter(patient=patient, responsibility="patient")
        .aggregate(total=Sum("amount"))["total"]
    )
    # SQLite's SUM drops the two decimal places; money always shows them.
    return (total or ZERO).quantize(ZERO)


def statement_for(*, patient: Patient, statement_date: date) -> Statement:
    """Every service with a patient-responsibility entry, and its money, from the ledger."""
    entries = (
        LedgerEntry.objects.for_org(patient.organization_id)
        .filter(patient=patient, posted_on__lte=statement_date)
        .select_related("claim_line")
    )
    by_line: dict[Any, list[LedgerEntry]] = defaultdict(list)
    for entry in entries:
        by_line[entry.claim_line_id].append(entry)
    lines = [
        _line(items)
        for items in by_line.values()
        if any(e.responsibility == "patient" for e in items)
    ]
    lines.sort(key=lambda line: (line.date_of_service, line.code))
    return Statement(patient=patient, statement_date=statement_date, lines=lines)


def _line(entries: list[LedgerEntry]) -> StatementLine:
    first = entries[0]
    line = StatementLine(
        date_of_service=first.claim_line.date_of_service if first.claim_line else first.posted_on,
        code=first.claim_line.code if first.claim_line else "",
    )
    for e in entries:
        if e.kind == LedgerKind.CHARGE:
            line.charge += e.amount
        elif e.kind == LedgerKind.PAYER_PAYMENT:
            line.insurance_paid -= e.amount
        elif e.kind in WRITE_DOWNS:
            line.adjusted -= e.amount
        elif e.kind == LedgerKind.PATIENT_PAYMENT:
            line.patient_paid -= e.amount
        elif e.responsibility == "patient":
            line.patient_share += e.amount
    return line


def _money(amount: Decimal) -> str:
    return f"${amount:,.2f}"


def statement_pdf(*, statement: Statement, clinic_name: str) -> bytes:
    """The statement as a one-document PDF (ReportLab, invariant: same input, same bytes)."""
    styles = getSampleStyleSheet()
    patient = statement.patient
    header = [["Date", "Service", "Charge", "Insurance paid", "Adjusted", "Your share", "You paid"]]
    rows = [
        [
            line.date_of_service.isoformat(),
            line.code,
            *(_money(v) for v in (line.charge, line.insurance_paid, line.adjusted)),
            *(_money(v) for v in (line.patient_share, line.patient_paid)),
        ]
        for line in statement.lines
    ]
    table = Table(header + rows, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("ALIGN", (2, 1), (-1, -1), "RIGHT"),
                ("FONTSIZE", (0, 0), (-1, -1), 9),
            ]
        )
    )
    story = [
        Paragraph(escape(f"{clinic_name}: patient statement"), styles["Heading1"]),
        Paragraph(escape(f"{patient.full_name} ({patient.mrn})"), styles["BodyText"]),
        Paragraph(f"Statement date: {statement.statement_date.isoformat()}", styles["BodyText"]),
        Spacer(1, 0.2 * inch),
        table,
        Spacer(1, 0.2 * inch),
        Paragraph(f"<b>Balance due: {_money(statement.balance)}</b>", styles["Heading2"]),
    ]
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer, pagesize=LETTER, title="Patient statement", author="otclinic", invariant=True
    ).build(story)
    return buffer.getvalue()


@transaction.atomic
def statement_create(*, user: User, patient: Patient) -> PatientStatement:
    """Draw today's statement for `patient` and keep it (file and sha256)."""
    require(user, Capability.MANAGE_BILLING)
    today = timezone.localdate()
    statement = statement_for(patient=patient, statement_date=today)
    pdf = statement_pdf(statement=statement, clinic_name=organization_of(user).name)
    record = PatientStatement(
        organization_id=patient.organization_id,
        patient=patient,
        statement_date=today,
        balance=statement.balance,
        sha256=hashlib.sha256(pdf).hexdigest(),
    )
    record.file.save(f"statement-{record.pk}.pdf", ContentFile(pdf), save=False)
    record.save()
    return record
