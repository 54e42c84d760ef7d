"""`otclinic note shorthand -`: the parser's command-line door, run as a user runs it."""

import json
import subprocess
import sys
from pathlib import Path

from otclinic.domain.care.shorthand.jsonio import MAX_LINE_LENGTH

RUN_CLI = "from otclinic.cli import main; main()"


def _run(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-c", RUN_CLI, "note", "shorthand", *args],
        input=stdin,
        capture_output=True,
        check=False,
        timeout=60,
    )


def test_it_prints_one_json_object_per_line_with_the_writers_minutes() -> None:
    done = _run(
        "--role",
        "ot",
        "-",
        stdin=b"ther act 15 standing tol w/ RW CGA 3x2min\n\n97530 ot 8 ota 7\n",
    )

    assert done.returncode == 0, done.stderr
    answers = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert [a["line"] for a in answers] == [1, 3]
    first, second = answers
    assert first["code"] == "97530"
    assert first["minutes"] == {"therapist": 15, "assistant": 0, "together": 0}
    assert (first["assist_level"], first["devices"], first["unread"]) == (
        "contact_guard",
        ["walker"],
        [],
    )
    assert second["minutes"] == {"therapist": 8, "assistant": 7, "together": 0}


def test_the_assistant_is_the_default_writer_and_unread_words_are_kept() -> None:
    done = _run("-", stdin=b"ADL LB dressing 10 min min A pt tearful\n")

    answer = json.loads(done.stdout)
    assert answer["minutes"]["assistant"] == 10
    assert answer["unread"] == ["tearful"]


def test_text_that_is_not_utf8_exits_2_naming_the_line() -> None:
    done = _run("-", stdin=b"ther ex 10\nADL \xff 5\n")

    assert done.returncode == 2
    assert done.stdout == b""
    assert b"line 2: not UTF-8" in done.stderr


def test_a_line_over_the_limit_exits_2_naming_the_line() -> None:
    done = _run("-", stdin=b"ther ex 10\n" + b"x" * (MAX_LINE_LENGTH + 1) + b"\n")

    assert done.returncode == 2
    assert f"line 2: {MAX_LINE_LENGTH + 1} characters".encode() in done.stderr


def test_a_clinics_table_extends_the_words(tmp_path: Path) -> None:
    table = tmp_path / "ours.yaml"
    table.write_text('devices:\n  walker: ["hurrycane walker"]\n', encoding="utf-8")

    done = _run("--table", str(table), "-", stdin=b"ther act 10 hurrycane walker\n")

    assert json.loads(done.stdout)["devices"] == ["walker"]


def test_a_broken_clinic_table_exits_2(tmp_path: Path) -> None:
    table = tmp_path / "ours.yaml"
    table.write_text("assist: [1, 2]\n", encoding="utf-8")

    done = _run("--table", str(table), "-", stdin=b"ther act 10\n")

    assert done.returncode == 2
    assert b"--table" in done.stderr
