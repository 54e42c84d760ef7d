"""Loaders for CMS's quarterly NCCI files: procedure-to-procedure (PTP) edits and MUEs.

Both read CMS's column order, tab- or comma-separated, and skip header and `#` comment lines, so
a clinic can drop in the current quarter's practitioner files as published (saved as text).
PTP columns: Column 1, Column 2, prior-1996 flag, Effective Date (YYYYMMDD), Deletion Date
(YYYYMMDD or `*`), Modifier indicator (0 not allowed, 1 allowed, 9 not applicable), rationale.
MUE columns: code, MUE value, adjudication indicator ("2 Date of Service Edit: Policy"), rationale.
"""

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from otclinic.domain.billing.codebook import CODE_PATTERN


@dataclass(frozen=True, slots=True)
class PtpEdit:
    """One PTP edit: `column_2` is not payable with `column_1` on the same day."""

    column_1: str
    column_2: str
    effective: date
    deleted: date | None
    modifier_indicator: int
    rationale: str

    def in_force_on(self, day: date) -> bool:
        return self.effective <= day and (self.deleted is None or day <= self.deleted)


@dataclass(frozen=True, slots=True)
class MueLimit:
    """The most units of one code a practitioner may report for one patient per day (or line)."""

    code: str
    units: int
    adjudication_indicator: int
    rationale: str


PtpTable = dict[tuple[str, str], tuple[PtpEdit, ...]]
MueTable = dict[str, MueLimit]


def load_ptp(path: Path) -> PtpTable:
    """PTP edits keyed by (column 1, column 2)."""
    table: dict[tuple[str, str], list[PtpEdit]] = {}
    for row in data_rows(path):
        edit = PtpEdit(
            column_1=row[0],
            column_2=row[1],
            effective=_cms_date(row[3]),
            deleted=None if row[4] in {"", "*"} else _cms_date(row[4]),
            modifier_indicator=int(row[5]),
            rationale=row[6] if len(row) > 6 else "",
        )
        table.setdefault((edit.column_1, edit.column_2), []).append(edit)
    return {pair: tuple(edits) for pair, edits in table.items()}


def load_mue(path: Path) -> MueTable:
    """MUE limits keyed by code."""
    table: MueTable = {}
    for row in data_rows(path):
        table[row[0]] = MueLimit(
            code=row[0],
            units=int(row[1]),
            adjudication_indicator=int(row[2].strip()[:1]),
            rationale=row[3] if len(row) > 3 else "",
        )
    return table


def data_rows(path: Path) -> list[list[str]]:
    """Rows whose first cell is a code: headers, notes and comments are skipped."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t") if "\t" in line else next(csv.reader([line]))
        cells = [cell.strip() for cell in cells]
        if CODE_PATTERN.match(cells[0]):
            rows.append(cells)
    return rows


def _cms_date(text: str) -> date:
    return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
