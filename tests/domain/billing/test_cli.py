"""`otclinic billing check`: exit 0 with JSON on stdout, or exit 2 with named problems on stderr."""

import subprocess
import sys
from pathlib import Path

import pytest

from otclinic.domain.billing import check_visit_json

DATA = Path(__file__).parent / "data"
RUN_CLI = "from otclinic.cli import main; main()"


def run(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-c", RUN_CLI, "billing", "check", *args],
        input=stdin,
        capture_output=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("name", sorted(p.name for p in DATA.glob("*.json")))
def test_the_cli_prints_the_same_bytes_as_the_python_door(name: str) -> None:
    result = run(str(DATA / name))
    assert result.returncode == 0, result.stderr
    assert result.stdout == check_visit_json((DATA / name).read_bytes())
    assert result.stderr == b""


def test_the_cli_reads_standard_input() -> None:
    raw = (DATA / "contract_example.json").read_bytes()
    result = run("-", stdin=raw)
    assert result.returncode == 0
    assert result.stdout == check_visit_json(raw)


def test_a_visit_that_is_not_billable_still_exits_zero() -> None:
    result = run(str(DATA / "not_billable.json"))
    assert result.returncode == 0
    assert b'"billable": false' in result.stdout


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"not json", "input: invalid JSON at line 1 column 1"),
        (
            b'{"date_of_service": "2026-03-12", "payer_plan": "medicare_part_b", '
            b'"lines": [{"code": "97530"}, {"code": "97535", "assistant_minutes": -3}]}',
            "lines[1].assistant_minutes: must be a whole number >= 0",
        ),
        (
            b'{"date_of_service": "yesterday", "payer_plan": "medicare", "lines": []}',
            "date_of_service: must be an ISO date",
        ),
    ],
)
def test_bad_input_exits_2_with_the_field_named_and_no_traceback(raw: bytes, expected: str) -> None:
    result = run("-", stdin=raw)
    assert result.returncode == 2
    assert result.stdout == b""
    stderr = result.stderr.decode()
    assert any(line.startswith(expected) for line in stderr.splitlines()), stderr
    assert "Traceback" not in stderr


def test_every_problem_gets_its_own_line() -> None:
    raw = b'{"date_of_service": "yesterday", "payer_plan": "medicare", "lines": []}'
    lines = run("-", stdin=raw).stderr.decode().splitlines()
    assert [line.split(":")[0] for line in lines] == ["date_of_service", "payer_plan", "lines"]


def test_a_missing_file_exits_2_without_a_traceback() -> None:
    result = run(str(DATA / "no-such-visit.json"))
    assert result.returncode == 2
    assert b"No such file" in result.stderr
    assert b"Traceback" not in result.stderr


def test_the_billing_command_imports_no_django() -> None:
    probe = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from otclinic.cli import cli\n"
        f"result = CliRunner().invoke(cli, ['billing', 'check', {str(DATA / 'contract_example.json')!r}])\n"
        "assert result.exit_code == 0, result.output\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'django', 'ninja'}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, timeout=60, check=True
    )
    assert result.stdout.strip() == b"[]"


LOCAL = DATA / "local_codes"


def test_a_code_in_no_table_is_not_billed_without_the_clinics_codes() -> None:
    result = run(str(LOCAL / "medicaid_encounter.json"))
    assert result.returncode == 0
    assert b'"rule_id": "codes.unknown"' in result.stdout
    assert b'"billable": false' in result.stdout


def test_codes_adds_the_clinics_own_table_and_bills_its_code() -> None:
    result = run(
        str(LOCAL / "medicaid_encounter.json"), "--codes", str(LOCAL / "clinic_codes.yaml")
    )
    assert result.returncode == 0, result.stderr
    assert b'"code": "T1015"' in result.stdout
    assert b"codes.unknown" not in result.stdout
    assert b'"billable": true' in result.stdout


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "--codes: bad_clinic_codes.yaml: codes.T1015.unit_minutes: a whole number"),
        (b"codes: [T1015]\n", "--codes: codes.yaml: codes: must be a mapping"),
        (b"codes: {T1015: {kind: untimed\n", "--codes: while parsing a flow mapping"),
        (b"- T1015\n", "--codes: codes.yaml: a rule file must be a mapping"),
        (
            b"codes: {T1015: {kind: untimed, summary: s, source: s, addon_to: ['0001F']}}\n",
            "--codes: codes.yaml: codes.T1015.addon_to: 0001F is in neither",
        ),
    ],
)
def test_a_bad_codes_file_exits_2_naming_the_field_and_checks_nothing(
    tmp_path: Path, content: bytes | None, expected: str
) -> None:
    codes = LOCAL / "bad_clinic_codes.yaml"
    if content is not None:
        codes = tmp_path / "codes.yaml"
        codes.write_bytes(content)
    result = run(str(LOCAL / "medicaid_encounter.json"), "--codes", str(codes))
    assert result.returncode == 2
    assert result.stdout == b""
    assert result.stderr.decode().startswith(expected), result.stderr
    assert b"Traceback" not in result.stderr
