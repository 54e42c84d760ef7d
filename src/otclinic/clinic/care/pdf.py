"""Printable PDFs of the clinical record, drawn with ReportLab.

- the plan of care for certification, behind a cover sheet addressed to the certifying physician;
- the home program and caregiver handout, in plain language (domain.care.home_program).

Plain Helvetica and large type so that the pages print and fax legibly; `invariant` output so
that the same plan gives the same bytes (the document's sha256 then means something).
"""

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    Flowable,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from otclinic.domain.care.home_program import HomeProgram

_STYLES = getSampleStyleSheet()
BODY = ParagraphStyle("body", parent=_STYLES["BodyText"], fontSize=11, leading=15)
LARGE = ParagraphStyle("large", parent=BODY, fontSize=14, leading=20, spaceAfter=6)
H1 = ParagraphStyle("h1", parent=_STYLES["Heading1"], fontSize=18, leading=22)
H2 = ParagraphStyle("h2", parent=_STYLES["Heading2"], fontSize=14, leading=18)
# Table cells: a word (a date, a code, "Long-term") is never split across lines; the columns are
# made wide enough for their longest word instead (`fitted_widths`).
CELL = ParagraphStyle("cell", parent=BODY, fontSize=9, leading=11, splitLongWords=False)
HEAD_CELL = ParagraphStyle("head_cell", parent=CELL, fontName="Helvetica-Bold")
_PADDING = 6  # a Table cell's default left and right padding, in points
PAGE_WIDTH = 6.9 * inch  # letter width less the margins
_GRID = TableStyle(
    [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef4")),
        ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTSIZE", (0, 0), (-1, -1), 9),
    ]
)
_PLAIN_GRID = TableStyle(
    [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
)


def _p(text: object, style: ParagraphStyle = BODY) -> Paragraph:
    return Paragraph(escape(str(text)), style)


def paragraph(text: object, style: ParagraphStyle = BODY) -> Paragraph:
    """Text as a paragraph that wraps between words (the text is escaped, not markup)."""
    return _p(text, style)


def _render(flowables: Sequence[Flowable], *, title: str) -> bytes:
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=LETTER,
        title=title,
        author="otclinic",
        invariant=True,
        leftMargin=0.8 * inch,
        rightMargin=0.8 * inch,
        topMargin=0.8 * inch,
        bottomMargin=0.8 * inch,
    )
    document.build(list(flowables))
    return buffer.getvalue()


def _text_width(text: str, style: ParagraphStyle) -> float:
    return stringWidth(text, style.fontName, style.fontSize)


def fitted_widths(rows: Sequence[Sequence[str]], total: float = PAGE_WIDTH) -> list[float]:
    """Column widths that hold each column's longest word whole, sharing what is left over in
    proportion to how much more each column's longest cell needs."""
    columns = list(zip(*rows, strict=True))
    least = [
        max(_text_width(word, HEAD_CELL) for cell in column for word in [*cell.split(), ""])
        + 2 * _PADDING
        + 2
        for column in columns
    ]
    natural = [
        max(_text_width(cell, HEAD_CELL) for cell in column) + 2 * _PADDING for column in columns
    ]
    spare = total - sum(least)
    wanted = [n - m for n, m in zip(natural, least, strict=True)]
    if spare <= 0 or sum(wanted) == 0:
        return least
    share = min(1.0, spare / sum(wanted))
    widths = [m + w * share for m, w in zip(least, wanted, strict=True)]
    return [w + (total - sum(widths)) / len(widths) for w in widths]


def table(
    rows: Sequence[Sequence[object]], total: float = PAGE_WIDTH, *, header: bool = True
) -> Table:
    """A grid (its first row a header, unless not), its cells wrapping between words only."""
    text = [[str(cell) for cell in row] for row in rows]
    cells = [
        [_p(cell, HEAD_CELL if header and i == 0 else CELL) for cell in row]
        for i, row in enumerate(text)
    ]
    grid = Table(cells, colWidths=fitted_widths(text, total), repeatRows=1 if header else 0)
    grid.setStyle(_GRID if header else _PLAIN_GRID)
    return grid


def render(flowables: Sequence[Flowable], *, title: str) -> bytes:
    """The flowables as a letter-size PDF, the same bytes for the same content."""
    return _render(flowables, title=title)


@dataclass(frozen=True)
class PlanSheet:
    """What the certification PDF prints, read from the stored plan by the service."""

    practice: str
    clinic_lines: tuple[str, ...]
    physician: str
    physician_npi: str
    physician_fax: str
    patient: str
    patient_birth_date: date
    patient_mrn: str
    therapist: str
    therapist_npi: str
    sent_on: date
    version: int
    established_on: date
    certify_through: date
    frequency: str
    diagnoses: tuple[tuple[str, str], ...]
    goals: tuple[tuple[str, str, str, str, str, str], ...]
    interventions: tuple[tuple[str, str, str], ...]
    notice: str = ""  # e.g. "Reminder 2: please sign by ...", printed first on the cover sheet


def plan_certification_pdf(sheet: PlanSheet) -> bytes:
    """A cover sheet addressed to the certifying physician, then the plan with signature lines."""
    return _render(
        [*_cover(sheet), PageBreak(), *_plan_pages(sheet)],
        title=f"Plan of care for certification, version {sheet.version}",
    )


def _cover(sheet: PlanSheet) -> list[Flowable]:
    notice = [_p(sheet.notice, H1), Spacer(1, 0.1 * inch)] if sheet.notice else []
    return [
        *notice,
        _p(sheet.practice, H1),
        *[_p(line) for line in sheet.clinic_lines],
        Spacer(1, 0.3 * inch),
        _p("Plan of care: request for certification", H2),
        _p(f"To: {sheet.physician} (NPI {sheet.physician_npi})", LARGE),
        _p(f"Fax: {sheet.physician_fax or 'not on file'}", BODY),
        _p(f"From: {sheet.therapist} (NPI {sheet.therapist_npi or 'not on file'})", LARGE),
        _p(f"Date sent: {sheet.sent_on:%B %d, %Y}", BODY),
        _p(
            f"Patient: {sheet.patient}, born {sheet.patient_birth_date:%m/%d/%Y}, MRN {sheet.patient_mrn}"
        ),
        Spacer(1, 0.2 * inch),
        _p(
            "Please review the enclosed occupational therapy plan of care, then sign and date the "
            "certification on the last page and return it to us. Medicare asks for the "
            "certification within 30 days of the evaluation (Benefit Policy Manual ch. 15 sec. "
            "220.1.3). Your signature certifies that the services are needed and are furnished "
            "under this plan while the patient is under your care."
        ),
        Spacer(1, 0.2 * inch),
        _p(
            "This transmission contains protected health information. If you received it in "
            "error, please notify the sender and destroy it."
        ),
    ]


def _plan_pages(sheet: PlanSheet) -> list[Flowable]:
    return [
        _p(f"Occupational therapy plan of care (version {sheet.version})", H1),
        _p(f"Patient: {sheet.patient}, MRN {sheet.patient_mrn}"),
        _p(
            f"Evaluation (day 1): {sheet.established_on:%m/%d/%Y}. "
            f"Certification period: {sheet.established_on:%m/%d/%Y} to {sheet.certify_through:%m/%d/%Y}."
        ),
        _p(f"Frequency and duration: {sheet.frequency}"),
        _p("Diagnoses", H2),
        table([["ICD-10-CM", "Description"], *sheet.diagnoses]),
        _p("Goals", H2),
        table([["Term", "Goal", "Measure", "Baseline", "Target", "By"], *sheet.goals]),
        _p("Planned interventions", H2),
        table([["Category", "Code", "Description"], *sheet.interventions]),
        Spacer(1, 0.3 * inch),
        _p(f"Therapist: {sheet.therapist}    Signature on file"),
        Spacer(1, 0.4 * inch),
        _p(
            "I certify the need for these services furnished under this plan of treatment while "
            "under my care."
        ),
        Spacer(1, 0.4 * inch),
        _p("Physician/NPP signature: ______________________________    Date: ____________"),
        _p(f"{sheet.physician}, NPI {sheet.physician_npi}"),
    ]


def home_program_pdf(
    program: HomeProgram, *, patient: str, clinic: str, therapist: str, written_on: date
) -> bytes:
    """The home program (or caregiver handout) in large print, one section per heading."""
    flowables: list[Flowable] = [
        _p(program.title, H1),
        _p(f"For {patient} · {clinic} · {written_on:%B %d, %Y}", BODY),
        Spacer(1, 0.15 * inch),
        _p(program.introduction, LARGE),
    ]
    for section in program.sections:
        flowables.append(_p(section.heading, H2))
        flowables.extend(_p(f"• {item}", LARGE) for item in section.items)
    flowables.extend(
        [Spacer(1, 0.3 * inch), _p(f"Questions? Call the clinic and ask for {therapist}.", LARGE)]
    )
    return _render(flowables, title=program.title)
