"""`otclinic rules`: list every rule with its id, dates and citation; import CMS's NCCI files.

Pure domain code: no database and no Django. Exit status 2 on bad input, with one line naming
the problem on standard error.
"""

import datetime as dt
import json
import sys
from pathlib import Path

import click

from otclinic.domain.billing.codebook import CODE_PATTERN
from otclinic.domain.billing.ncci_import import NcciImportError, import_ncci
from otclinic.domain.billing.rulebook import RULES_DIR, default_rulebook
from otclinic.domain.compliance.catalog import (
    CatalogEntry,
    code_rules,
    data_entries,
    rules_for_code,
)


@click.group()
def rules() -> None:
    """List the rules otclinic applies; import CMS's quarterly NCCI files."""


@rules.command(name="list")
@click.option("--code", help="Only the rules that bear on this CPT/HCPCS code.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per rule.")
def list_rules(code: str | None, as_json: bool) -> None:
    """Print every rule: its id, the dates it holds, its confidence and its citation."""
    written, data = code_rules(), data_entries()
    if code is not None:
        code = code.strip().upper()
        if not CODE_PATTERN.match(code):
            click.echo(f"--code: {code!r} is not a CPT or HCPCS code (five characters)", err=True)
            sys.exit(2)
        info = default_rulebook().codes.get(code)
        if info is None:
            click.echo(
                f"--code: {code} is not in otclinic's code table, so no rule bills it "
                "(add it to the clinic's code table, or to rules/billing_codes.yaml)",
                err=True,
            )
            sys.exit(2)
        entries = rules_for_code(code, info=info, rules=written, data=data)
    else:
        entries = [*written, *data]
    for entry in entries:
        click.echo(json.dumps(_as_json(entry)) if as_json else _line(entry))


def _dates(entry: CatalogEntry) -> str:
    if entry.effective_from:
        start = entry.effective_from.isoformat()
    elif entry.as_of:
        start = f"before {entry.as_of.year}"
    else:
        start = "always"
    end = entry.effective_to.isoformat() if entry.effective_to else "open"
    return f"{start} to {end}"


def _line(entry: CatalogEntry) -> str:
    sure = f" [{entry.confidence}]" if entry.confidence else ""
    summary = f"\n    {entry.summary}" if entry.summary else ""
    return (
        f"{entry.rule_id}  ({_dates(entry)}){sure}  {entry.where}{summary}\n"
        f"    cites: {entry.citation}"
    )


def _as_json(entry: CatalogEntry) -> dict[str, object]:
    return {
        "rule_id": entry.rule_id,
        "effective_from": entry.effective_from.isoformat() if entry.effective_from else None,
        "effective_to": entry.effective_to.isoformat() if entry.effective_to else None,
        "as_of": entry.as_of.isoformat() if entry.as_of else None,
        "confidence": entry.confidence,
        "citation": entry.citation,
        "where": entry.where,
        "summary": entry.summary,
    }


@rules.command(name="import-ncci")
@click.argument("ptp_file", type=click.Path(path_type=Path))
@click.argument("mue_file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--rules-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=RULES_DIR,
    show_default=True,
    help="Where to write ncci_ptp_practitioner.csv and ncci_mue_practitioner.csv.",
)
@click.option(
    "--mue-effective",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The MUE quarter's first day, when the file name does not give it.",
)
@click.option("--all-codes", is_flag=True, help="Keep every edit, not only the therapy codes'.")
def import_ncci_command(
    ptp_file: Path,
    mue_file: Path | None,
    rules_dir: Path,
    mue_effective: dt.datetime | None,
    all_codes: bool,
) -> None:
    """Read CMS's quarterly practitioner PTP edits (a ZIP as published, a .txt or .csv, or a
    folder holding the quarter's f1-f4 files) and, optionally, the MUE file, and write the
    therapy codes' edits as otclinic's NCCI rule data."""
    try:
        result = import_ncci(
            ptp=_ptp_inputs(ptp_file),
            mue=_named_bytes(mue_file) if mue_file else None,
            codes=default_rulebook().codes,
            imported_on=dt.date.today(),
            mue_effective=mue_effective.date() if mue_effective else None,
            keep_all=all_codes,
        )
    except NcciImportError as exc:
        click.echo(str(exc), err=True)
        sys.exit(2)
    if not rules_dir.is_dir():
        click.echo(f"--rules-dir: {rules_dir} is not a folder", err=True)
        sys.exit(2)
    # Both files are written beside their targets first, then moved into place together.
    partials = {}
    for name, text in result.files.items():
        partials[name] = rules_dir / f".{name}.partial"
        partials[name].write_text(text, encoding="utf-8")
    for name, partial in partials.items():
        partial.replace(rules_dir / name)
    click.echo(
        f"PTP: {result.ptp_kept} of {result.ptp_read} edits kept; "
        f"MUE: {result.mue_kept} of {result.mue_read} values kept; "
        f"written to {rules_dir}"
    )


def _ptp_inputs(path: Path) -> list[tuple[str, bytes]]:
    """A PTP file, or every ZIP, .txt and .csv file of a folder (CMS splits a quarter in four)."""
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in {".zip", ".txt", ".csv"})
        return [_named_bytes(p) for p in files]
    return [_named_bytes(path)]


def _named_bytes(path: Path) -> tuple[str, bytes]:
    try:
        return path.name, path.read_bytes()
    except OSError as exc:
        click.echo(f"{path}: cannot be read ({exc.strerror})", err=True)
        sys.exit(2)
