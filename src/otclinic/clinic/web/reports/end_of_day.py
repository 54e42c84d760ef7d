"""The end-of-day report: the day's visits, notes, charges and payments, each count a link to
the rows behind it (`rows.py` lists them with the same queries)."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from otclinic.clinic.care.models import NoteStatus, TreatmentNote
from otclinic.clinic.revenue.models import Charge, ChargeStatus, PatientPayment, Remittance
from otclinic.clinic.scheduling.models import Appointment, AppointmentStatus
from otclinic.clinic.web.reports.filters import ReportFilter
from otclinic.clinic.web.reports.tables import Cell, Table

SIGNED = (NoteStatus.SIGNED, NoteStatus.COSIGN_PENDING, NoteStatus.COSIGNED)
UNSIGNED = (NoteStatus.DRAFT, NoteStatus.RETURNED)
OPEN = (AppointmentStatus.SCHEDULED, AppointmentStatus.CHECKED_IN)
ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def appointments(wanted: ReportFilter) -> QuerySet[Appointment]:
    """The appointments booked for a time in the range."""
    first, last = wanted.bounds()
    rows = Appointment.objects.for_org(wanted.organization_id).filter(
        wanted.staff_q("clinician"),
        wanted.payer_q("episode"),
        starts_at__gte=first,
        starts_at__lt=last,
    )
    return rows.filter(patient_id=wanted.patient_id) if wanted.patient_id else rows


def notes(wanted: ReportFilter) -> QuerySet[TreatmentNote]:
    """The treatment notes of visits in the range."""
    return TreatmentNote.objects.for_org(wanted.organization_id).filter(
        wanted.staff_q("author"),
        wanted.payer_q("episode"),
        date_of_service__range=(wanted.start, wanted.end),
    )


def missing_notes(wanted: ReportFilter) -> QuerySet[Appointment]:
    """Completed appointments in the range with no treatment note on their visit: a visit that
    took place and whose documentation has not been started."""
    noted = TreatmentNote.objects.filter(visit__appointment=OuterRef("pk"))
    return appointments(wanted).filter(status=AppointmentStatus.COMPLETED).filter(~Exists(noted))


def charges(wanted: ReportFilter) -> QuerySet[Charge]:
    """Charges created in the range (from notes signed then), void ones left out."""
    first, last = wanted.bounds()
    return (
        Charge.objects.for_org(wanted.organization_id)
        .filter(wanted.staff_q("note__author"), wanted.payer_q("note__episode"))
        .filter(created_at__gte=first, created_at__lt=last)
        .exclude(status=ChargeStatus.VOID)
    )


def desk_payments(wanted: ReportFilter) -> QuerySet[PatientPayment]:
    """Payments taken at the desk in the range (refunds left out)."""
    return PatientPayment.objects.for_org(wanted.organization_id).filter(
        received_on__range=(wanted.start, wanted.end), is_refund=False
    )


def remittances(wanted: ReportFilter) -> QuerySet[Remittance]:
    """Payers' payments (835s) posted in the range."""
    first, last = wanted.bounds()
    return Remittance.objects.for_org(wanted.organization_id).filter(
        created_at__gte=first, created_at__lt=last
    )


@dataclass(frozen=True)
class EndOfDay:
    booked: int
    completed: int
    no_show: int
    cancelled: int
    still_open: int
    notes_signed: int
    notes_unsigned: int
    notes_missing: int
    charges: int
    units: int
    billed: Decimal
    expected: Decimal
    desk_payments: int
    desk_amount: Decimal
    remittances: int
    remittance_amount: Decimal


def end_of_day(wanted: ReportFilter) -> EndOfDay:
    """The day's figures in six aggregate queries, whatever the size of the clinic."""
    visits = appointments(wanted).aggregate(
        booked=Count("pk"),
        completed=Count("pk", filter=Q(status=AppointmentStatus.COMPLETED)),
        no_show=Count("pk", filter=Q(status=AppointmentStatus.NO_SHOW)),
        cancelled=Count("pk", filter=Q(status=AppointmentStatus.CANCELLED)),
        still_open=Count("pk", filter=Q(status__in=OPEN)),
    )
    written = notes(wanted).aggregate(
        notes_signed=Count("pk", filter=Q(status__in=SIGNED)),
        notes_unsigned=Count("pk", filter=Q(status__in=UNSIGNED)),
    )
    money = charges(wanted).aggregate(
        charges=Count("pk"),
        units=Coalesce(Sum("units"), 0),
        billed=Coalesce(Sum("amount"), ZERO),
        expected=Coalesce(Sum("expected_allowed"), ZERO),
    )
    desk = desk_payments(wanted).aggregate(
        desk_payments=Count("pk"), desk_amount=Coalesce(Sum("amount"), ZERO)
    )
    posted = remittances(wanted).aggregate(
        remittances=Count("pk"), remittance_amount=Coalesce(Sum("payment_amount"), ZERO)
    )
    for amounts in (money, desk, posted):
        for key, value in amounts.items():
            if isinstance(value, Decimal):
                amounts[key] = value.quantize(CENT)  # SQLite sums drop the trailing zeros
    return EndOfDay(
        **visits,
        **written,
        notes_missing=missing_notes(wanted).count(),
        **money,
        **desk,
        **posted,
    )


def end_of_day_table(day: EndOfDay, *, money: bool) -> Table:
    """The figures as rows of (what, how many), each count linked to its list. `money`: the
    amounts too (roles that may see billing)."""
    table = Table("End of day", ("Measure", "Figure"))
    for label, value, kind in [
        ("Visits booked", day.booked, "appointments"),
        ("Visits completed", day.completed, "appointments-completed"),
        ("No-shows", day.no_show, "appointments-no_show"),
        ("Cancellations", day.cancelled, "appointments-cancelled"),
        ("Still scheduled or checked in", day.still_open, "appointments-open"),
        ("Notes signed", day.notes_signed, "notes-signed"),
        ("Notes unsigned", day.notes_unsigned, "notes-unsigned"),
        ("Notes missing (completed visit, no note)", day.notes_missing, "notes-missing"),
        ("Charges created", day.charges, "charges"),
        ("Units charged", day.units, "charges"),
    ]:
        # The list of charges is billing's: a count only for roles that may not see it.
        table.add(label, Cell(value, kind if money or kind != "charges" else None))
    if money:
        table.add("Charges billed (USD)", Cell(day.billed, "charges"))
        table.add("Charges expected (USD)", Cell(day.expected, "charges"))
        table.add("Desk payments", Cell(day.desk_payments, "desk-payments"))
        table.add("Desk payments (USD)", Cell(day.desk_amount, "desk-payments"))
        table.add("Payer payments posted", Cell(day.remittances, "remittances"))
        table.add("Payer payments posted (USD)", Cell(day.remittance_amount, "remittances"))
    return table
