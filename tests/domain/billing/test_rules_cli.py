"""`otclinic rules list` and `otclinic rules import-ncci` (no database)."""

import json
import shutil
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import time_machine
from click.testing import CliRunner

from otclinic.cli.rules import rules
from otclinic.domain.billing import check_visit
from otclinic.domain.billing.ncci_tables import load_mue, load_ptp
from otclinic.domain.billing.rulebook import RULES_DIR, load_rulebook
from otclinic.domain.compliance.catalog import data_entries
from tests.domain.billing.builders import line, rule_ids, visit

NCCI = Path(__file__).parent / "data" / "ncci"
PTP = NCCI / "ccipra-v322r0-f1.txt"
MUE = NCCI / "MCR_MUE_PractitionerServices_Eff_10-01-2026.csv"
NOON_2026_10_02 = datetime(2026, 10, 2, 12, 0, tzinfo=UTC)


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(rules, list(args), catch_exceptions=False)


def test_the_list_names_every_rule_with_its_dates_and_citation() -> None:
    result = invoke("list", "--json")
    assert result.exit_code == 0
    entries = [json.loads(row) for row in result.output.splitlines()]
    ids = {e["rule_id"] for e in entries}
    assert {"units.total_time", "therapy_threshold@2026-01-01", "codes.97530"} <= ids
    assert all(e["citation"] for e in entries)
    kx = next(e for e in entries if e["rule_id"] == "therapy_threshold@2026-01-01")
    assert (kx["effective_from"], kx["effective_to"], kx["confidence"]) == (
        "2026-01-01",
        "2026-12-31",
        "likely",
    )


def test_the_list_for_one_code_shows_its_table_entry_and_edits() -> None:
    result = invoke("list", "--code", "97530")
    assert result.exit_code == 0
    assert "codes.97530  (before 2026 to open) [firm]" in result.output
    assert "ncci.ptp.97140-97530" in result.output
    assert "units.untimed" not in result.output


@pytest.mark.parametrize(
    ("code", "message"),
    [("97999", "not in otclinic's code table"), ("9753", "is not a CPT or HCPCS code")],
)
def test_the_list_refuses_a_code_it_cannot_show(code: str, message: str) -> None:
    result = CliRunner().invoke(rules, ["list", "--code", code])
    assert result.exit_code == 2
    assert message in result.output


@pytest.fixture
def rules_dir(tmp_path: Path) -> Path:
    """A copy of the shipped rules, so an import never touches them."""
    target = tmp_path / "rules"
    shutil.copytree(RULES_DIR, target, ignore=shutil.ignore_patterns("__*"))
    return target


def test_import_keeps_the_therapy_edits_of_cms_files_in_their_layout(rules_dir: Path) -> None:
    with time_machine.travel(NOON_2026_10_02, tick=False):
        result = invoke("import-ncci", str(PTP), str(MUE), "--rules-dir", str(rules_dir))
    assert result.exit_code == 0, result.output
    assert "PTP: 5 of 7 edits kept; MUE: 3 of 4 values kept" in result.output
    ptp = load_ptp(rules_dir / "ncci_ptp_practitioner.csv")
    assert set(ptp) == {
        ("97140", "97530"),
        ("97530", "97116"),
        ("97750", "97530"),
        ("97165", "97140"),
        ("97110", "97112"),
    }
    (deleted,) = ptp[("97750", "97530")]
    assert deleted.deleted == date(2023, 12, 31)
    mue = load_mue(rules_dir / "ncci_mue_practitioner.csv")
    assert {code: limit.units for code, limit in mue.items()} == {
        "97110": 6,
        "97165": 1,
        "97530": 6,
    }
    text = (rules_dir / "ncci_mue_practitioner.csv").read_text()
    assert "# effective: 2026-10-01" in text
    assert "# imported_on: 2026-10-02" in text


def test_the_imported_data_is_dated_cited_and_used_by_the_engine(rules_dir: Path) -> None:
    invoke("import-ncci", str(PTP), str(MUE), "--rules-dir", str(rules_dir))
    entries = [e for e in data_entries(rules_dir) if e.rule_id.startswith("ncci.")]
    assert entries
    assert all(e.problems() == [] for e in entries)
    assert {e.confidence for e in entries} == {"firm"}
    book = load_rulebook(rules_dir)
    decision = check_visit(visit(line("97530", 30), line("97116", 15)), rulebook=book)
    assert "ncci.ptp" in rule_ids(decision)
    over = check_visit(visit(line("97110", 100)), rulebook=book)
    assert "ncci.mue" in rule_ids(over)


def test_importing_twice_writes_the_same_bytes(rules_dir: Path) -> None:
    with time_machine.travel(NOON_2026_10_02, tick=False):
        invoke("import-ncci", str(PTP), str(MUE), "--rules-dir", str(rules_dir))
        first = (rules_dir / "ncci_ptp_practitioner.csv").read_bytes()
        invoke("import-ncci", str(PTP), str(MUE), "--rules-dir", str(rules_dir))
    assert (rules_dir / "ncci_ptp_practitioner.csv").read_bytes() == first


def test_import_reads_the_zip_cms_publishes(rules_dir: Path, tmp_path: Path) -> None:
    archive = tmp_path / "ccipra-v322r0-f1.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(PTP, PTP.name)
        zipped.writestr("ccipra-v322r0-f1-readme.pdf.txt", "not an edit\n")
    result = invoke("import-ncci", str(archive), "--rules-dir", str(rules_dir))
    assert result.exit_code == 0, result.output
    assert "PTP: 5 of 7 edits kept" in result.output


def test_import_reads_a_folder_of_the_quarters_ptp_files(rules_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "ptp"
    folder.mkdir()
    shutil.copy(PTP, folder / PTP.name)
    (folder / "ccipra-v322r0-f2.txt").write_text(
        "Column 1\tColumn 2\t*\tEffective Date\tDeletion Date\tModifier\tRationale\n"
        "97535\t97530\t\t20220101\t*\t1\tMutually exclusive procedures\n"
    )
    result = invoke("import-ncci", str(folder), "--rules-dir", str(rules_dir))
    assert result.exit_code == 0, result.output
    assert "PTP: 6 of 8 edits kept" in result.output
    assert ("97535", "97530") in load_ptp(rules_dir / "ncci_ptp_practitioner.csv")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("a spreadsheet saved wrongly\n", "no PTP edits found"),
        (
            "97140\t97530\t\t2020-01-01\t*\t1\tx\n",
            "line 1: Effective Date '2020-01-01' is not YYYYMMDD",
        ),
        ("97140\t97530\t\t20200101\t*\t5\tx\n", "line 1: Modifier indicator '5' is not 0, 1 or 9"),
    ],
)
def test_a_file_that_is_not_cms_ptp_data_is_refused_and_nothing_is_written(
    rules_dir: Path, tmp_path: Path, content: str, message: str
) -> None:
    bad = tmp_path / "ptp.txt"
    bad.write_text(content)
    before = (rules_dir / "ncci_ptp_practitioner.csv").read_bytes()
    result = CliRunner().invoke(rules, ["import-ncci", str(bad), "--rules-dir", str(rules_dir)])
    assert result.exit_code == 2
    assert message in result.output
    assert (rules_dir / "ncci_ptp_practitioner.csv").read_bytes() == before


def test_an_mue_file_without_its_quarter_needs_the_date(rules_dir: Path, tmp_path: Path) -> None:
    renamed = tmp_path / "mue.csv"
    shutil.copy(MUE, renamed)
    result = CliRunner().invoke(
        rules, ["import-ncci", str(PTP), str(renamed), "--rules-dir", str(rules_dir)]
    )
    assert result.exit_code == 2
    assert "--mue-effective" in result.output
    ok = invoke(
        "import-ncci", str(PTP), str(renamed), "--rules-dir", str(rules_dir),
        "--mue-effective", "2026-07-01",
    )  # fmt: skip
    assert ok.exit_code == 0
    assert "# effective: 2026-07-01" in (rules_dir / "ncci_mue_practitioner.csv").read_text()
