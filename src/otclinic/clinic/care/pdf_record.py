"""One layout for every signed clinical document printed as a PDF.

The daily note, the evaluation, the plan of care, the progress report and the discharge summary
share it: the clinic's header, the patient's identifiers, the document's dates, its sections
(text and tables), then its signatures (each signer's name with the credentials once, and when
signed) and, after the body, any addenda. The sheet is plain data read from the record by
`record_sheets`; this module only draws it.
"""

import datetime as dt
from dataclasses import dataclass

from reportlab.lib.units import inch
from reportlab.platypus import Flowable, KeepTogether, Spacer

from otclinic.clinic.care.pdf import BODY, CELL, H1, H2, paragraph, render, table

DATE = "%m/%d/%Y"
DATE_TIME = "%m/%d/%Y %I:%M %p"


@dataclass(frozen=True)
class SheetSection:
    """A heading with paragraphs, a table (its first row the header), or both."""

    heading: str
    paragraphs: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class SheetSignature:
    meaning: str  # "Signed by", "Co-signed by"
    signer: str  # "Ada Lovelace, OTR/L": the credentials once
    signed_at: dt.datetime  # in the clinic's time zone


@dataclass(frozen=True)
class SheetAddendum:
    written_at: dt.datetime
    author: str
    reason: str
    text: str
    signatures: tuple[SheetSignature, ...] = ()


@dataclass(frozen=True)
class RecordSheet:
    """What one clinical document prints."""

    title: str
    practice: str
    clinic_lines: tuple[str, ...]
    patient: str
    birth_date: dt.date
    mrn: str
    facts: tuple[tuple[str, str], ...]  # ("Date of service", "12/03/2026"), ...
    sections: tuple[SheetSection, ...]
    signatures: tuple[SheetSignature, ...] = ()
    unsigned_notice: str = ""  # e.g. "Draft: not signed", printed under the title
    addenda: tuple[SheetAddendum, ...] = ()


def record_pdf(sheet: RecordSheet) -> bytes:
    """The document as a letter-size PDF."""
    flowables = [*_header(sheet), *_body(sheet), *_signatures(sheet.signatures)]
    if sheet.addenda:
        flowables.append(paragraph("Addenda", H2))
        for addendum in sheet.addenda:
            flowables.extend(_addendum(addendum))
    flowables.extend([Spacer(1, 0.2 * inch), paragraph(_CONFIDENTIAL, CELL)])
    return render(flowables, title=f"{sheet.title}: {sheet.patient}")


_CONFIDENTIAL = (
    "This document contains protected health information. If you received it in error, please "
    "notify the sender and destroy it."
)


def _header(sheet: RecordSheet) -> list[Flowable]:
    identifiers = [
        ("Patient", sheet.patient),
        ("Date of birth", f"{sheet.birth_date:{DATE}}"),
        ("MRN", sheet.mrn),
        *sheet.facts,
    ]
    return [
        paragraph(sheet.practice, H2),
        *[paragraph(line, CELL) for line in sheet.clinic_lines],
        Spacer(1, 0.1 * inch),
        paragraph(sheet.title, H1),
        *([paragraph(sheet.unsigned_notice, H2)] if sheet.unsigned_notice else []),
        table(identifiers, header=False),
        Spacer(1, 0.1 * inch),
    ]


def _body(sheet: RecordSheet) -> list[Flowable]:
    flowables: list[Flowable] = []
    for section in sheet.sections:
        flowables.append(paragraph(section.heading, H2))
        flowables.extend(paragraph(text, BODY) for text in section.paragraphs if text)
        if section.rows:
            flowables.append(table(section.rows))
    return flowables


def _signatures(signatures: tuple[SheetSignature, ...]) -> list[Flowable]:
    if not signatures:
        return []
    lines = [
        paragraph(f"{s.meaning} {s.signer} on {s.signed_at:{DATE_TIME}} (electronic signature)")
        for s in signatures
    ]
    return [KeepTogether([paragraph("Signatures", H2), *lines])]


def _addendum(addendum: SheetAddendum) -> list[Flowable]:
    heading = f"Addendum of {addendum.written_at:{DATE_TIME}} by {addendum.author}"
    return [
        paragraph(heading, BODY),
        paragraph(f"Reason: {addendum.reason}", BODY),
        paragraph(addendum.text, BODY),
        *_signature_lines(addendum.signatures),
        Spacer(1, 0.1 * inch),
    ]


def _signature_lines(signatures: tuple[SheetSignature, ...]) -> list[Flowable]:
    return [
        paragraph(f"{s.meaning} {s.signer} on {s.signed_at:{DATE_TIME}}", CELL) for s in signatures
    ]
