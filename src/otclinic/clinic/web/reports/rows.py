"""The lists behind the reports' counts: the rows a figure counted, with the same query."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from otclinic.clinic.web.reports import end_of_day as q
from otclinic.clinic.web.reports.filters import ReportFilter


@dataclass(frozen=True)
class RowList:
    title: str
    columns: tuple[str, ...]
    query: Callable[[ReportFilter], QuerySet[Any]]
    cells: Callable[[Any], tuple[Any, ...]]


def _appointment_cells(a: Any) -> tuple[Any, ...]:
    return (
        a.starts_at,
        f"{a.patient.last_name}, {a.patient.first_name} ({a.patient.mrn})",
        str(a.clinician),
        a.get_status_display(),
        a.cancel_reason,
    )


def _appointments(status: str | None) -> Callable[[ReportFilter], QuerySet[Any]]:
    def query(wanted: ReportFilter) -> QuerySet[Any]:
        rows = q.appointments(wanted)
        if status == "open":
            rows = rows.filter(status__in=q.OPEN)
        elif status:
            rows = rows.filter(status=status)
        return rows.select_related("patient", "clinician__user").order_by("starts_at", "pk")

    return query


def _notes(statuses: tuple[str, ...]) -> Callable[[ReportFilter], QuerySet[Any]]:
    def query(wanted: ReportFilter) -> QuerySet[Any]:
        return (
            q.notes(wanted)
            .filter(status__in=statuses)
            .select_related("episode__patient", "author__user")
            .order_by("date_of_service", "pk")
        )

    return query


def _note_cells(n: Any) -> tuple[Any, ...]:
    patient = n.episode.patient
    return (
        n.date_of_service,
        f"{patient.last_name}, {patient.first_name} ({patient.mrn})",
        str(n.author),
        n.get_status_display(),
    )


APPOINTMENT_COLUMNS = ("Starts", "Patient", "Clinician", "Status", "Cancellation reason")
NOTE_COLUMNS = ("Date of service", "Patient", "Author", "Status")

ROW_LISTS: dict[str, RowList] = {
    "appointments": RowList(
        "Visits booked", APPOINTMENT_COLUMNS, _appointments(None), _appointment_cells
    ),
    "appointments-completed": RowList(
        "Visits completed", APPOINTMENT_COLUMNS, _appointments("completed"), _appointment_cells
    ),
    "appointments-no_show": RowList(
        "No-shows", APPOINTMENT_COLUMNS, _appointments("no_show"), _appointment_cells
    ),
    "appointments-cancelled": RowList(
        "Cancellations", APPOINTMENT_COLUMNS, _appointments("cancelled"), _appointment_cells
    ),
    "appointments-open": RowList(
        "Still scheduled or checked in",
        APPOINTMENT_COLUMNS,
        _appointments("open"),
        _appointment_cells,
    ),
    "notes-signed": RowList("Notes signed", NOTE_COLUMNS, _notes(q.SIGNED), _note_cells),
    "notes-unsigned": RowList("Notes unsigned", NOTE_COLUMNS, _notes(q.UNSIGNED), _note_cells),
    "notes-missing": RowList(
        "Completed visits without a note",
        APPOINTMENT_COLUMNS,
        lambda w: (
            q.missing_notes(w)
            .select_related("patient", "clinician__user")
            .order_by("starts_at", "pk")
        ),
        _appointment_cells,
    ),
    "charges": RowList(
        "Charges created",
        ("Date of service", "Patient", "Code", "Units", "Billed (USD)", "Expected (USD)"),
        lambda w: q.charges(w).select_related("patient").order_by("date_of_service", "pk"),
        lambda c: (
            c.date_of_service,
            f"{c.patient.last_name}, {c.patient.first_name} ({c.patient.mrn})",
            c.code,
            c.units,
            c.amount,
            c.expected_allowed,
        ),
    ),
    "desk-payments": RowList(
        "Desk payments",
        ("Received", "Patient", "Receipt", "Method", "Amount (USD)"),
        lambda w: q.desk_payments(w).select_related("patient").order_by("received_on", "pk"),
        lambda p: (
            p.received_on,
            f"{p.patient.last_name}, {p.patient.first_name} ({p.patient.mrn})",
            p.receipt_number,
            p.get_method_display(),
            p.amount,
        ),
    ),
    "remittances": RowList(
        "Payer payments posted",
        ("Posted", "Payer", "Trace number", "Amount (USD)"),
        lambda w: q.remittances(w).order_by("created_at", "pk"),
        lambda r: (r.created_at, r.payer_name, r.trace_number, r.payment_amount),
    ),
}

MONEY_LISTS = frozenset({"charges", "desk-payments", "remittances"})
