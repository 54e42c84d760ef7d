"""The CMS-1500 (02/12) paper claim, as a PDF to print on the red form (or send as an image).

Fields are placed by the form's item numbers on the NUCC print grid: 10 characters per inch
across and 6 lines per inch down, on a US letter page, in a 12-point fixed-pitch font (NUCC
1500 Claim Form Reference Instruction Manual, "print specifications"). `ITEMS` is that table:
item -> (column, line), both 1-based. Service lines (item 24) take six rows per page; a claim
with more lines continues on further pages, each with its own total (item 28).
"""

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from reportlab.lib.pagesizes import letter
from reportlab.pdfgen.canvas import Canvas

from otclinic.clinic.revenue.models import Claim, ClaimLine
from otclinic.domain.codes import PayerPlan

CHAR_WIDTH = 7.2  # points: 10 characters per inch
LINE_HEIGHT = 12.0  # points: 6 lines per inch
FONT = ("Courier", 12)
LINES_PER_PAGE = 6

# item -> (column, line, width in characters). A box's width runs up to the next item on its
# line, so text cut to it never prints over a neighbour (tests/clinic/revenue/claims/
# test_cms1500_layout.py renders every box at its longest and checks).
ITEMS: dict[str, tuple[int, int, int]] = {
    "carrier": (50, 3, 29),
    "1.medicare": (2, 9, 1),
    "1.medicaid": (9, 9, 1),
    "1.tricare": (16, 9, 1),
    "1.group": (32, 9, 1),
    "1.other": (46, 9, 1),
    "1a": (50, 9, 29),
    "2": (2, 11, 28),
    "3.birth_date": (31, 11, 10),
    "3.male": (42, 11, 1),
    "3.female": (47, 11, 1),
    "4": (50, 11, 29),
    "5.street": (2, 13, 28),
    "6.self": (33, 13, 1),
    "6.spouse": (38, 13, 1),
    "6.child": (42, 13, 1),
    "6.other": (47, 13, 1),
    "7.street": (50, 13, 29),
    "5.city": (2, 15, 26),
    "5.state": (29, 15, 2),
    "7.city": (50, 15, 23),
    "7.state": (74, 15, 2),
    "5.zip": (2, 17, 12),
    "7.zip": (50, 17, 12),
    "11": (50, 19, 29),
    "17": (2, 34, 31),
    "17b": (34, 34, 10),
    "21.indicator": (36, 37, 1),
    "21.A": (3, 38, 7),  # ICD-10-CM without its point: at most 7 characters
    "22": (50, 38, 29),
    "24.first_row": (1, 44, 77),  # the unshaded part of service line 1; each row 2 lines lower
    "25": (2, 56, 15),
    "25.ein": (19, 56, 1),
    "26": (24, 56, 14),  # the patient's account number: 14 characters (NUCC)
    "27.yes": (38, 56, 1),
    "28": (52, 56, 10),
    "31": (2, 60, 20),
    "32": (23, 58, 26),
    "32a": (23, 62, 10),
    "33": (50, 58, 29),
    "33.phone": (66, 57, 13),
    "33a": (50, 62, 10),
}
# What a box holds that cannot be shortened: a number the payer matches or pays on. Longer text
# there is refused (CannotPrint), never cut; names and addresses are cut to the box.
EXACT = frozenset({"1a", "3.birth_date", "17b", "21.A", "25", "26", "28", "32a", "33a"})
# Item 21: A-D, E-H and I-L on three lines, 13 columns apart.
DIAGNOSIS_COLUMNS = (3, 16, 29, 42)
# Item 24 columns, from the start of the row: A dates, B place, D code and modifiers,
# E pointer, F charges, G units, J rendering NPI.
LINE_COLUMNS = {
    "24A.from": 1,
    "24A.to": 10,
    "24B": 19,
    "24D": 25,
    "24D.modifiers": 32,
    "24E": 45,
    "24F": 50,
    "24G": 60,
    "24J": 68,
}
LINE_WIDTHS = {
    "24A.from": 8,
    "24A.to": 8,
    "24B": 2,
    "24D": 5,
    "24D.modifiers": 11,  # four modifiers, a space apart
    "24E": 4,
    "24F": 10,
    "24G": 3,
    "24J": 10,
}
PROGRAMS = {
    PayerPlan.MEDICARE_PART_B: "1.medicare",
    PayerPlan.MEDICAID: "1.medicaid",
    PayerPlan.TRICARE: "1.tricare",
    PayerPlan.COMMERCIAL: "1.group",
    PayerPlan.MEDICARE_ADVANTAGE: "1.group",
}
RELATIONSHIP_BOXES = {"self": "6.self", "spouse": "6.spouse", "child": "6.child"}


class CannotPrint(ValueError):
    """A value longer than its box when it cannot be shortened (an id the payer matches)."""


@dataclass(frozen=True, slots=True)
class Placed:
    """One piece of text on the grid: the item, where it starts, how wide its box is."""

    item: str
    column: float
    line: float
    width: int
    text: str


def position(column: float, line: float) -> tuple[float, float]:
    """Points from the bottom-left corner for a 1-based grid column and line."""
    return ((column - 1) * CHAR_WIDTH + CHAR_WIDTH / 2, letter[1] - line * LINE_HEIGHT)


def _money(amount: Decimal) -> str:
    """Dollars and cents in their two boxes, e.g. '120 00'."""
    dollars, cents = f"{amount:.2f}".split(".")
    return f"{dollars:>7} {cents}"


def _date(day: dt.date, *, long_year: bool = False) -> str:
    return day.strftime("%m %d %Y" if long_year else "%m %d %y")


class _Page:
    """The text of one page, placed by item; each text cut to its box (or refused, see EXACT)."""

    def __init__(self) -> None:
        self.placed: list[Placed] = []

    def put(
        self,
        item: str,
        text: str,
        *,
        dline: float = 0,
        dcol: float = 0,
        width: int | None = None,
        exact: bool | None = None,
    ) -> None:
        if not text:
            return
        column, line, item_width = ITEMS[item]
        width = item_width if width is None else width
        text = text.upper()
        if len(text) > width:
            if item in EXACT if exact is None else exact:
                raise CannotPrint(
                    f"item {item} holds {width} characters; {text!r} has {len(text)}: "
                    "send this claim as an 837P instead"
                )
            text = text[:width].rstrip()
        self.placed.append(Placed(item, column + dcol, line + dline, width, text))


def _header(page: _Page, claim: Claim) -> None:
    coverage, patient = claim.coverage, claim.patient
    payer = coverage.payer
    page.put("carrier", payer.name)
    page.put(PROGRAMS.get(PayerPlan(payer.plan_kind), "1.other"), "X")
    page.put("1a", coverage.member_id)
    page.put("2", f"{patient.last_name}, {patient.first_name}")
    page.put("3.birth_date", _date(patient.birth_date, long_year=True))
    if patient.sex in {"M", "F"}:
        page.put("3.male" if patient.sex == "M" else "3.female", "X")
    name = f"{patient.last_name}, {patient.first_name}"
    self_insured = coverage.subscriber_relationship == "self" or not coverage.subscriber_name
    page.put("4", name if self_insured else coverage.subscriber_name)
    page.put(RELATIONSHIP_BOXES.get(coverage.subscriber_relationship, "6.other"), "X")
    for side in ("5", "7"):
        page.put(f"{side}.street", patient.address)
        page.put(f"{side}.city", patient.city)
        page.put(f"{side}.state", patient.state)
        page.put(f"{side}.zip", patient.zip_code)
    page.put("11", coverage.group_number or "NONE")


def _physician_and_diagnoses(page: _Page, claim: Claim) -> None:
    physician = claim.referring_physician
    if physician is not None:
        page.put("17", f"DN {physician.first_name} {physician.last_name}")
        page.put("17b", physician.npi)
    page.put("21.indicator", "0")  # ICD-10-CM
    for index, code in enumerate(claim.diagnosis_codes[:12]):
        row, col = divmod(index, 4)
        page.put(
            "21.A",
            code.replace(".", ""),
            dline=row,
            dcol=DIAGNOSIS_COLUMNS[col] - DIAGNOSIS_COLUMNS[0],
        )
    if claim.frequency != "1":
        page.put("22", f"{claim.frequency}      {claim.payer_claim_number}", exact=True)


def _service_line(page: _Page, claim: Claim, row: int, line: ClaimLine) -> None:
    def put(column: str, text: str) -> None:
        page.put(
            "24.first_row",
            text,
            dline=2 * row,
            dcol=LINE_COLUMNS[column] - 1,
            width=LINE_WIDTHS[column],
            exact=column not in {"24D.modifiers"},
        )

    put("24A.from", _date(line.date_of_service))
    put("24A.to", _date(line.date_of_service))
    put("24B", claim.place_of_service)
    put("24D", line.code)
    put("24D.modifiers", " ".join(line.modifiers[:4]))
    put("24E", "".join("ABCDEFGHIJKL"[p - 1] for p in line.diagnosis_pointers[:4]))
    put("24F", _money(line.amount))
    put("24G", str(line.units))
    put("24J", claim.rendering_provider.npi)


def _footer(page: _Page, claim: Claim, total: Decimal) -> None:
    org, clinic = claim.organization, claim.episode.clinic
    page.put("25", org.tax_id)
    page.put("25.ein", "X")
    page.put("26", claim.patient_control_number)
    page.put("27.yes", "X")
    page.put("28", _money(total))
    rendering = claim.rendering_provider
    page.put(
        "31", f"{rendering.user.first_name} {rendering.user.last_name} {rendering.credentials}"
    )
    page.put("31", _date(claim.last_service_on), dline=1)
    page.put("32", clinic.name)
    page.put("32", clinic.address, dline=1)
    page.put("32", f"{clinic.city} {clinic.state} {clinic.zip_code}", dline=2)
    page.put("32a", clinic.npi)
    page.put("33", org.name)
    page.put("33", org.billing_address, dline=1)
    page.put("33", f"{org.billing_city} {org.billing_state} {org.billing_zip}", dline=2)
    page.put("33.phone", org.phone)
    page.put("33a", org.npi)


def _pages(lines: Sequence[ClaimLine]) -> list[Sequence[ClaimLine]]:
    return [lines[i : i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)] or [[]]


def layout(claim: Claim) -> list[list[Placed]]:
    """Every page's text, placed on the grid (what `claim_pdf` draws)."""
    pages = []
    for lines in _pages(list(claim.lines.all())):
        page = _Page()
        _header(page, claim)
        _physician_and_diagnoses(page, claim)
        for row, line in enumerate(lines):
            _service_line(page, claim, row, line)
        _footer(page, claim, sum((line.amount for line in lines), Decimal("0.00")))
        pages.append(page.placed)
    return pages


def _draw_form(canvas: Canvas) -> None:
    """The boxes and their item numbers, for plain paper (the red form is printed already)."""
    canvas.saveState()
    canvas.setStrokeColorRGB(0.75, 0.1, 0.1)
    canvas.setFillColorRGB(0.75, 0.1, 0.1)
    canvas.setLineWidth(0.4)
    canvas.setFont("Helvetica", 5)
    canvas.drawString(CHAR_WIDTH, letter[1] - 1.5 * LINE_HEIGHT, "HEALTH INSURANCE CLAIM FORM")
    canvas.drawString(CHAR_WIDTH, letter[1] - 2.2 * LINE_HEIGHT, "APPROVED BY NUCC 02/12")
    for item, (column, line, width) in ITEMS.items():
        if item == "24.first_row":
            continue
        x, y = position(column, line)
        box_width = max(width, 1) * CHAR_WIDTH + 2
        canvas.rect(x - 1, y - 3, box_width, LINE_HEIGHT - 1, stroke=1, fill=0)
        canvas.drawString(x - 1, y + LINE_HEIGHT - 3.5, item.split(".")[0])
    for row in range(LINES_PER_PAGE):
        for box, start in LINE_COLUMNS.items():
            x, y = position(start, ITEMS["24.first_row"][1] + 2 * row)
            canvas.rect(x - 1, y - 3, LINE_WIDTHS[box] * CHAR_WIDTH + 2, LINE_HEIGHT - 1)
            if row == 0:
                canvas.drawString(x - 1, y + LINE_HEIGHT - 3.5, box.split(".")[0])
    canvas.restoreState()


def claim_pdf(claim: Claim, *, plain_paper: bool = False) -> bytes:
    """The claim on CMS-1500 (02/12) pages, uncompressed so that its text can be checked.

    For the red pre-printed form (what Medicare's scanners read) only the data is printed; with
    `plain_paper` the boxes and item numbers are drawn too, for payers that take a copy on plain
    paper and for the clinic's records. A value too long for a box that cannot be shortened
    raises CannotPrint.
    """
    pages = layout(claim)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=letter, pageCompression=0)
    canvas.setTitle(f"CMS-1500 claim {claim.patient_control_number}")
    for placed in pages:
        if plain_paper:
            _draw_form(canvas)
        canvas.setFont(*FONT)
        for text in placed:
            canvas.drawString(*position(text.column, text.line), text.text)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
