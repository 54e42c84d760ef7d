"""`otclinic era read`: the command-line door, run as a user runs it."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from otclinic.domain.claims.x12.era import read_era, remittance_as_json
from otclinic.domain.compliance.jsonio import dump_bytes

from .samples import DEMO, LARGE_835, NEGATIVE_837S, SAMPLE_835S, sample_text

RUN_CLI = "from otclinic.cli import main; main()"


def _run(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-c", RUN_CLI, "era", "read", *args],
        input=stdin,
        capture_output=True,
        check=False,
        timeout=60,
    )


def _write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "remittance.835"
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("path", [*SAMPLE_835S, LARGE_835], ids=lambda p: Path(p).name)
def test_it_prints_the_contract_json_of_every_sample(path: Path) -> None:
    done = _run(str(path))

    assert done.returncode == 0, done.stderr
    document = remittance_as_json(read_era(sample_text(path)))
    compact = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    assert done.stdout == (compact + "\n").encode("utf-8")
    assert b"Traceback" not in done.stderr


def test_indent_prints_the_same_document_two_spaces_deep() -> None:
    done = _run("--indent", str(DEMO))

    assert done.returncode == 0, done.stderr
    assert done.stdout == dump_bytes(remittance_as_json(read_era(sample_text(DEMO))))


def test_the_demo_json_has_the_contract_shape_and_figures() -> None:
    done = _run(str(DEMO))
    (transaction,) = json.loads(done.stdout)["transactions"]

    assert list(transaction) == ["payer", "payee", "payment", "claims", "provider_adjustments"]
    assert transaction["payment"] == {
        "amount": "150000.00",
        "method": "ACH",
        "date": "2002-09-13",
        "trace_number": "12345",
    }
    assert transaction["claims"][0]["adjustments"] == [
        {"group": "CO", "reason": "45", "amount": "73348.57"}
    ]
    assert transaction["provider_adjustments"] == [{"reason": "CV", "amount": "-1.27"}]


def test_it_reads_standard_input_for_a_dash() -> None:
    done = _run("-", stdin=DEMO.read_bytes())

    assert done.returncode == 0
    assert json.loads(done.stdout)["transactions"][0]["payee"]["npi"] == "6543210903"


def test_money_that_does_not_balance_is_a_warning_with_the_figures(tmp_path: Path) -> None:
    text = sample_text(DEMO).replace("BPR*C*150000.00*", "BPR*C*150000.01*")

    done = _run(_write(tmp_path, text))

    assert done.returncode == 0
    assert json.loads(done.stdout)["transactions"][0]["payment"]["amount"] == "150000.01"
    assert (
        "WARNING: transaction 1234 (segment 3 (ST)): payment BPR02 150000.01 does not balance:"
        " claims paid 149998.73 minus provider adjustments -1.27 = 150000.00"
    ) in done.stderr.decode()


def test_a_missing_payment_date_is_a_warning_not_a_failure(tmp_path: Path) -> None:
    text = sample_text(DEMO).replace("*98765*20020913~", "*98765~")

    done = _run(_write(tmp_path, text))

    assert done.returncode == 0
    assert json.loads(done.stdout)["transactions"][0]["payment"]["date"] is None
    assert "WARNING: segment 4 (BPR): BPR16 (payment date) is missing" in done.stderr.decode()


def test_a_bad_amount_exits_2_naming_the_segment_and_prints_nothing(tmp_path: Path) -> None:
    text = sample_text(DEMO).replace("*138018.40**MA*", "*12x.00**MA*")

    done = _run(_write(tmp_path, text))

    assert done.returncode == 2
    assert done.stdout == b""
    assert done.stderr.decode() == 'error: segment 15 (CLP): CLP04 "12x.00" is not an amount\n'


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda t: t[: len(t) // 2], "the file ends before SE closes transaction set 1234"),
        (lambda t: t.replace("SE*28*", "SE*29*"), 'segment 30 (SE): SE01 says "29" segments'),
        (lambda t: t.replace("IEA*1*000000907~", ""), "the file ends before IEA closes"),
        (lambda t: t.replace("ISA*03*", "ISB*03*"), "segment 1: not an X12 interchange"),
        (
            lambda t: "%PDF-1.4\n" + t,
            "not an X12 interchange (it must start with ISA, found '%PD')",
        ),
    ],
    ids=["truncated", "se01", "no-iea", "bad-isa", "not-x12"],
)
def test_damaged_files_exit_2_with_a_message_and_no_traceback(
    tmp_path: Path, damage: object, message: str
) -> None:
    done = _run(_write(tmp_path, damage(sample_text(DEMO))))  # type: ignore[operator]

    assert done.returncode == 2
    assert done.stdout == b""
    assert message in done.stderr.decode()
    assert b"Traceback" not in done.stderr


@pytest.mark.parametrize("path", NEGATIVE_837S, ids=lambda p: Path(p).name)
def test_an_837_is_refused_as_not_a_remittance(path: Path) -> None:
    done = _run(str(path))

    assert done.returncode == 2
    assert 'segment 2 (GS): GS01 is "HC", not HP' in done.stderr.decode()


def test_it_imports_no_django() -> None:
    probe = (
        "import sys\n"
        "from otclinic.cli import cli\n"
        "try:\n"
        f"    cli(['era', 'read', {str(DEMO)!r}])\n"
        "except SystemExit:\n"
        "    pass\n"
        "sys.stderr.write(str(sorted(m for m in sys.modules if m.split('.')[0] == 'django')))\n"
    )

    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, check=False, timeout=60
    )

    assert done.stderr.endswith(b"[]")
