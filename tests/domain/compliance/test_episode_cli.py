"""`otclinic episode check`: the command-line door, run as a user runs it."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from otclinic.domain.compliance.episode import check_episode_json

from .episode_builders import doc, episode

CONTRACT_EXAMPLE = Path(__file__).parent / "data" / "contract_example.json"
# The `otclinic` script installed next to this interpreter; `-c` keeps the test independent of it.
RUN_CLI = "from otclinic.cli import main; main()"


def _run(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-c", RUN_CLI, "episode", "check", *args],
        input=stdin,
        capture_output=True,
        check=False,
        timeout=60,
    )


def test_it_prints_the_same_bytes_as_the_python_helper() -> None:
    done = _run(str(CONTRACT_EXAMPLE))

    assert done.returncode == 0, done.stderr
    assert done.stdout == check_episode_json(CONTRACT_EXAMPLE.read_bytes())
    assert done.stderr == b""


def test_it_reads_standard_input_for_a_dash() -> None:
    done = _run("-", stdin=CONTRACT_EXAMPLE.read_bytes())

    assert done.returncode == 0
    assert json.loads(done.stdout)["progress_report"]["due_by"] == "2025-03-24"


def test_bad_input_exits_2_with_one_line_per_problem_naming_the_field() -> None:
    documents = [doc("2025-03-03", "evaluation"), doc("2025-03-05"), doc("2025-03-07", "visit")]
    data = episode(documents=documents, as_of="2025-3-26")

    done = _run("-", stdin=json.dumps(data).encode())

    assert done.returncode == 2
    assert done.stdout == b""
    assert done.stderr.decode().splitlines() == [
        "as_of: must be a date, YYYY-MM-DD (got '2025-3-26')",
        "documents[2].type: must be one of evaluation, reevaluation, treatment, progress_report, "
        "discharge",
    ]


@pytest.mark.parametrize("stdin", [b"", b"{", b"\xff", b"null", b"[1, 2]"])
def test_input_that_is_not_json_exits_2_without_a_traceback(stdin: bytes) -> None:
    done = _run("-", stdin=stdin)

    assert done.returncode == 2
    assert done.stdout == b""
    assert done.stderr.startswith(b"input: ")
    assert b"Traceback" not in done.stderr


def test_a_missing_file_exits_2_without_a_traceback(tmp_path: Path) -> None:
    done = _run(str(tmp_path / "nowhere.json"))

    assert done.returncode == 2
    assert b"Traceback" not in done.stderr
    assert b"nowhere.json" in done.stderr


def test_the_check_imports_no_django() -> None:
    probe = (
        "import sys\n"
        "from otclinic.cli import cli\n"
        "try:\n"
        f"    cli(['episode', 'check', {str(CONTRACT_EXAMPLE)!r}])\n"
        "except SystemExit:\n"
        "    pass\n"
        "sys.stderr.write(str(sorted(m for m in sys.modules if m.split('.')[0] == 'django')))\n"
    )

    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, check=False, timeout=60
    )

    assert done.stderr == b"[]"
