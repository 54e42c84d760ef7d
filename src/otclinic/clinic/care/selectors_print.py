"""Each clinical document as a PDF, for a user who may open the document's page.

Access is the page's own selector (another organization's document is `NotFoundForUser`; a
portal login may view no chart, so it is refused); the download is a read of the patient's
record in the audit trail, named after the document.
"""

import uuid
from dataclasses import dataclass
from typing import Any

from otclinic.clinic.audit.reads import saw
from otclinic.clinic.care import record_sheets
from otclinic.clinic.care import selectors_clinical as sel
from otclinic.clinic.care.models import Episode
from otclinic.clinic.care.pdf_record import RecordSheet, record_pdf
from otclinic.clinic.care.selectors_notes import note_get_for_user


@dataclass(frozen=True)
class PrintedDocument:
    filename: str
    content: bytes
    episode: Episode
    title: str


def _printed(document: Any, sheet: RecordSheet, kind: str, day: Any) -> PrintedDocument:
    episode = document.episode
    saw([episode.patient_id], f"{kind} PDF")
    return PrintedDocument(
        filename=f"{kind}-{day:%Y-%m-%d}.pdf",
        content=record_pdf(sheet),
        episode=episode,
        title=sheet.title,
    )


def note_pdf(*, user: Any, note_id: uuid.UUID | str) -> PrintedDocument:
    note = note_get_for_user(user=user, note_id=note_id)
    return _printed(note, record_sheets.note_sheet(note), "treatment-note", note.date_of_service)


def evaluation_pdf(*, user: Any, evaluation_id: uuid.UUID | str) -> PrintedDocument:
    evaluation = sel.evaluation_get_for_user(user=user, evaluation_id=evaluation_id)
    sheet = record_sheets.evaluation_sheet(evaluation)
    return _printed(evaluation, sheet, evaluation.kind, evaluation.performed_on)


def plan_pdf(*, user: Any, plan_id: uuid.UUID | str) -> PrintedDocument:
    plan = sel.plan_get_for_user(user=user, plan_id=plan_id)
    return _printed(plan, record_sheets.plan_sheet(plan), "plan-of-care", plan.established_on)


def progress_pdf(*, user: Any, report_id: uuid.UUID | str) -> PrintedDocument:
    report = sel.progress_report_get_for_user(user=user, report_id=report_id)
    sheet = record_sheets.progress_sheet(report)
    return _printed(report, sheet, "progress-report", report.report_date)


def discharge_pdf(*, user: Any, discharge_id: uuid.UUID | str) -> PrintedDocument:
    discharge = sel.discharge_get_for_user(user=user, discharge_id=discharge_id)
    sheet = record_sheets.discharge_sheet(discharge)
    return _printed(discharge, sheet, "discharge-summary", discharge.discharge_date)
