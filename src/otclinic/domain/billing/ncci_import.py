"""Import CMS's quarterly NCCI practitioner files into otclinic's dated rule data.

CMS publishes, each quarter, the practitioner PTP edits (four files, `ccipra-v<version>-f1..f4`,
each a ZIP holding a tab-separated .txt and a spreadsheet) and the practitioner MUE table
(`MCR_MUE_PractitionerServices_Eff_<MM-DD-YYYY>`, CSV or spreadsheet). Their text forms open
with copyright and title lines, then a header row, then one row per edit:

- PTP: Column 1, Column 2, "*" if in existence prior to 1996, Effective Date (YYYYMMDD),
  Deletion Date (YYYYMMDD or "*"), Modifier indicator (0, 1 or 9), PTP Edit Rationale.
- MUE: HCPCS/CPT Code, Practitioner Services MUE Values, MUE Adjudication Indicator
  ("2 Date of Service Edit: Policy"), MUE Rationale.

The importer keeps the rows whose codes are all in the code table (the therapy codes) and writes
`ncci_ptp_practitioner.csv` and `ncci_mue_practitioner.csv` in CMS's column order, each row
with its source (the file it came from) and confidence (firm: read from CMS's own file). The
same files imported twice give the same bytes. The command line reads and writes the files
(`otclinic rules import-ncci`); this module only turns bytes into the rule files' text.
"""

import csv
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath

from otclinic.domain.billing.codebook import CODE_PATTERN

PTP_HEADER = (
    "Column 1,Column 2,Prior 1996,Effective Date,Deletion Date,Modifier,PTP Edit Rationale,"
    "Source,Confidence"
)
MUE_HEADER = (
    "HCPCS/CPT Code,Practitioner Services MUE Values,MUE Adjudication Indicator,MUE Rationale,"
    "Source,Confidence"
)
_MUE_DATE = re.compile(r"Eff[_ -](\d{2})[-_](\d{2})[-_](\d{4})", re.IGNORECASE)
_PTP_VERSION = re.compile(r"v(\d{2})(\d)r(\d)", re.IGNORECASE)


class NcciImportError(ValueError):
    """A file that is not one of CMS's NCCI practitioner files, naming the file and the line."""


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import read and kept, and the rule files' text by file name."""

    ptp_read: int
    ptp_kept: int
    mue_read: int
    mue_kept: int
    files: dict[str, str]


@dataclass(frozen=True, slots=True)
class _Text:
    """One text member: its name (for the source) and its lines."""

    name: str
    lines: list[str]


def import_ncci(
    *,
    ptp: list[tuple[str, bytes]],
    mue: tuple[str, bytes] | None,
    codes: Iterable[str],
    imported_on: date,
    mue_effective: date | None = None,
    keep_all: bool = False,
) -> ImportResult:
    """The rule files made from CMS's files (each given as its name and bytes; the PTP edits
    may come in several files, as CMS splits them), keeping the rows whose codes are all in
    `codes` unless `keep_all`."""
    wanted = None if keep_all else frozenset(codes)
    ptp_texts = [text for name, data in ptp for text in _texts(name, data)]
    ptp_rows = [row for text in ptp_texts for row in _ptp_rows(text)]
    if not ptp_rows:
        names = ", ".join(name for name, _ in ptp) or "no file"
        raise NcciImportError(f"{names}: no PTP edits found (is it CMS's practitioner PTP file?)")
    kept_ptp = [r for r in ptp_rows if wanted is None or {r[0], r[1]} <= wanted]
    files = {"ncci_ptp_practitioner.csv": _ptp_file(kept_ptp, ptp_texts, imported_on)}
    mue_read = mue_kept = 0
    if mue is not None:
        mue_texts = _texts(*mue)
        mue_rows = [row for text in mue_texts for row in _mue_rows(text)]
        if not mue_rows:
            raise NcciImportError(
                f"{mue[0]}: no MUE values found (is it CMS's practitioner MUE file?)"
            )
        effective = mue_effective or _mue_date(mue[0])
        if effective is None:
            raise NcciImportError(
                f"{mue[0]}: the file name does not give the quarter's effective date "
                "(CMS names it ..._Eff_MM-DD-YYYY); give it with --mue-effective YYYY-MM-DD"
            )
        kept_mue = [r for r in mue_rows if wanted is None or r[0] in wanted]
        files["ncci_mue_practitioner.csv"] = _mue_file(kept_mue, mue_texts, effective, imported_on)
        mue_read, mue_kept = len(mue_rows), len(kept_mue)
    return ImportResult(len(ptp_rows), len(kept_ptp), mue_read, mue_kept, files)


def _texts(name: str, data: bytes) -> list[_Text]:
    """The text members of a ZIP as CMS ships it, or the file itself."""
    if zipfile.is_zipfile(io.BytesIO(data)):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = sorted(n for n in archive.namelist() if n.lower().endswith((".txt", ".csv")))
            if not names:
                raise NcciImportError(f"{name}: the ZIP holds no .txt or .csv file")
            return [_Text(PurePath(n).name, _decode(archive.read(n), n)) for n in names]
    return [_Text(name, _decode(data, name))]


def _decode(data: bytes, name: str) -> list[str]:
    if b"\x00" in data[:4096]:
        raise NcciImportError(f"{name}: a binary file (save CMS's spreadsheet as text or CSV)")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding).splitlines()
        except UnicodeDecodeError:
            continue
    raise NcciImportError(f"{name}: not text")  # pragma: no cover - cp1252 decodes any byte


def _cells(line: str) -> list[str]:
    cells = line.split("\t") if "\t" in line else next(csv.reader([line]))
    return [cell.strip().strip('"') for cell in cells]


def _ptp_rows(text: _Text) -> list[list[str]]:
    rows = []
    for number, line in enumerate(text.lines, start=1):
        cells = _cells(line) if line.strip() else []
        if not cells or not CODE_PATTERN.match(cells[0]):
            continue  # title, copyright and header lines
        where = f"{text.name} line {number}"
        if len(cells) < 6 or not CODE_PATTERN.match(cells[1]):
            raise NcciImportError(
                f"{where}: expected Column 1, Column 2, ..., Modifier; got {line!r}"
            )
        _check_date(cells[3], where, "Effective Date")
        if cells[4] not in {"", "*"}:
            _check_date(cells[4], where, "Deletion Date")
        if cells[5] not in {"0", "1", "9"}:
            raise NcciImportError(f"{where}: Modifier indicator {cells[5]!r} is not 0, 1 or 9")
        rationale = cells[6] if len(cells) > 6 else ""
        rows.append(
            [
                cells[0],
                cells[1],
                cells[2],
                cells[3],
                cells[4] or "*",
                cells[5],
                rationale,
                text.name,
            ]
        )
    return rows


def _mue_rows(text: _Text) -> list[list[str]]:
    rows = []
    for number, line in enumerate(text.lines, start=1):
        cells = _cells(line) if line.strip() else []
        if not cells or not CODE_PATTERN.match(cells[0]):
            continue
        where = f"{text.name} line {number}"
        if len(cells) < 3 or not cells[1].isdigit() or cells[2][:1] not in {"1", "2", "3"}:
            raise NcciImportError(
                f"{where}: expected code, MUE value (a number), adjudication indicator (1-3); "
                f"got {line!r}"
            )
        rationale = cells[3] if len(cells) > 3 else ""
        rows.append([cells[0], cells[1], cells[2], rationale, text.name])
    return rows


def _check_date(text: str, where: str, field: str) -> None:
    try:
        date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        raise NcciImportError(f"{where}: {field} {text!r} is not YYYYMMDD") from None
    if len(text) != 8:
        raise NcciImportError(f"{where}: {field} {text!r} is not YYYYMMDD")


def _mue_date(name: str) -> date | None:
    match = _MUE_DATE.search(name)
    if not match:
        return None
    month, day, year = (int(g) for g in match.groups())
    return date(year, month, day)


def _version(names: list[str]) -> str:
    match = next((m for m in (_PTP_VERSION.search(n) for n in names) if m), None)
    return (
        f" (NCCI version {match.group(1)}.{match.group(2)} revision {match.group(3)})"
        if match
        else ""
    )


def _csv_line(cells: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(cells)
    return buffer.getvalue()


def _ptp_file(rows: list[list[str]], texts: list[_Text], imported_on: date) -> str:
    names = [t.name for t in texts]
    head = [
        "# NCCI procedure-to-procedure (PTP) edits, practitioner services, imported from CMS's",
        f"# quarterly files {', '.join(names)}{_version(names)} by `otclinic rules import-ncci`.",
        "# Columns: CMS's order, then the file each row came from and its confidence.",
        f"# source: CMS NCCI practitioner PTP edits, {', '.join(names)}",
        "# confidence: firm",
        f"# imported_on: {imported_on.isoformat()}",
        PTP_HEADER,
    ]
    body = sorted(
        _csv_line([*row[:7], f"CMS NCCI practitioner PTP file {row[7]}", "firm"]) for row in rows
    )
    return "\n".join([*head, *body]) + "\n"


def _mue_file(rows: list[list[str]], texts: list[_Text], effective: date, imported_on: date) -> str:
    names = [t.name for t in texts]
    head = [
        "# NCCI medically unlikely edits (MUEs), practitioner services, imported from CMS's",
        f"# quarterly file {', '.join(names)} by `otclinic rules import-ncci`.",
        "# Columns: CMS's order, then the file each row came from and its confidence.",
        f"# source: CMS NCCI practitioner MUE table, {', '.join(names)}",
        "# confidence: firm",
        f"# effective: {effective.isoformat()}",
        f"# imported_on: {imported_on.isoformat()}",
        MUE_HEADER,
    ]
    body = sorted(
        _csv_line([*row[:4], f"CMS NCCI practitioner MUE file {row[4]}", "firm"]) for row in rows
    )
    return "\n".join([*head, *body]) + "\n"
