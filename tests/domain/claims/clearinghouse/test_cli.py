"""`otclinic x12 read`, `write-270` and `write-276`: the command-line doors, run as a user runs them."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from otclinic.domain.claims.x12.inquiry270 import write_270
from otclinic.domain.claims.x12.inquiry276 import write_276
from otclinic.domain.claims.x12.read_any import read_x12
from otclinic.domain.compliance.jsonio import dump_bytes
from tests.domain.claims.era.samples import DEMO

from .inquiries import CREATED_AT, ENVELOPE, NUMBERS, eligibility_batches, status_batches
from .samples import ACKS_277CA, ACKS_999, DAMAGED, ELIGIBILITY_271, STATUS_277, text

RUN_CLI = "from otclinic.cli import main; main()"
ENVELOPE_JSON = {
    "envelope": {
        "sender": {"qualifier": "ZZ", "id": "SUNRISEOT"},
        "receiver": {"qualifier": "ZZ", "id": "CLEARHOUSE"},
        "application_sender": "SUNRISEOT",
        "application_receiver": "CLEARHOUSE",
        "usage": "T",
    },
    "control_numbers": {"interchange": 41, "group": 42, "transaction": 43},
    "created_at": "2026-12-03T15:00:00+00:00",
}
SUBSCRIBER_JSON = {
    "last": "Rivera",
    "first": "Zoë",
    "member_id": "1EG4TE5MK73",
    "birth_date": "1951-04-02",
    "sex": "F",
}
PAYER_JSON = {"name": "MEDICARE PART B", "payer_id": "04412"}
PROVIDER_JSON = {"npi": "1234567893", "organization": "SUNRISE OCCUPATIONAL THERAPY"}
INPUT_270 = ENVELOPE_JSON | {
    "batches": [
        {
            "payer": PAYER_JSON,
            "provider": PROVIDER_JSON,
            "inquiries": [
                {
                    "trace_number": f"ELIG{n:04d}",
                    "originator": "1123456789",
                    "service_date": "2026-12-04",
                    "subscriber": SUBSCRIBER_JSON,
                }
                for n in range(2)
            ],
        }
    ]
}
INPUT_276 = ENVELOPE_JSON | {
    "batches": [
        {
            "payer": PAYER_JSON,
            "provider": PROVIDER_JSON,
            "receiver": {"name": "SUNRISE OCCUPATIONAL THERAPY", "identifier": "SUNRISEOT"},
            "claims": [
                {
                    "trace_number": f"STAT{n:04d}",
                    "claim_number": f"CLM-{n:05d}",
                    "charge": "312.50",
                    "service_from": "2026-10-01",
                    "service_to": f"2026-10-0{1 + n % 2}",
                    "payer_claim_number": "PAYER123" if n % 2 else "",
                    "subscriber": SUBSCRIBER_JSON,
                }
                for n in range(2)
            ],
        }
    ]
}


def _run(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-c", RUN_CLI, "x12", *args],
        input=stdin,
        capture_output=True,
        check=False,
        timeout=60,
    )


@pytest.mark.parametrize(
    "path", [*ACKS_999, *ACKS_277CA, *STATUS_277, *ELIGIBILITY_271, DEMO], ids=lambda p: p.name
)
def test_it_prints_the_json_of_every_sample(path: Path) -> None:
    done = _run("read", str(path))

    assert done.returncode == 0, done.stderr
    assert done.stdout == dump_bytes(read_x12(text(path)).document)
    assert b"Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        (ACKS_999[0], "999"),
        (ACKS_277CA[0], "277CA"),
        (STATUS_277[0], "277"),
        (ELIGIBILITY_271[0], "271"),
        (DEMO, "835"),
    ],
)
def test_it_tells_the_transactions_apart(path: Path, kind: str) -> None:
    assert json.loads(_run("read", "-", stdin=path.read_bytes()).stdout)["type"] == kind


def test_warnings_go_to_standard_error() -> None:
    done = _run("read", str(ACKS_277CA[0]))

    assert done.returncode == 0
    assert b'WARNING: segment 2 (GS): GS01 is "HB", not HN' in done.stderr


@pytest.mark.parametrize(
    ("damaged", "message"),
    [
        (
            b"hello",
            "error: segment 1: not an X12 interchange (it must start with ISA, found 'hel')",
        ),
        (ACKS_999[0].read_bytes()[:200], "error: segment 5: the file ends before SE closes"),
        (
            ACKS_999[0].read_bytes().replace(b"ST*999", b"ST*850"),
            'error: segment 3 (ST): ST01 "850" is not a transaction otclinic reads',
        ),
        (STATUS_277[0].read_bytes().replace(b"STC*", b"STC~", 1), "error: segment"),
    ],
    ids=["not-x12", "truncated", "an-850", "broken-stc"],
)
def test_a_damaged_file_is_exit_2_with_one_line_naming_the_segment(
    damaged: bytes, message: str
) -> None:
    done = _run("read", "-", stdin=damaged)

    assert done.returncode == 2
    assert done.stdout == b""
    lines = done.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(message), lines


@pytest.mark.parametrize(
    ("path", "segment"),
    list(
        zip(
            DAMAGED,
            [
                "segment 40 (GE)",
                "segment 22 (EB)",
                "segment 17:",
                "segment 23 (STC)",
                "segment 21:",
            ],
            strict=True,
        )
    ),
    ids=lambda p: getattr(p, "name", p),
)
def test_every_damaged_sample_is_exit_2_naming_its_segment(path: Path, segment: str) -> None:
    done = _run("read", str(path))

    assert done.returncode == 2
    assert done.stdout == b""
    assert done.stderr.decode().startswith(f"error: {segment}"), done.stderr
    assert len(done.stderr.decode().strip().splitlines()) == 1


def test_write_270_writes_what_the_writer_writes() -> None:
    done = _run("write-270", "-", stdin=json.dumps(INPUT_270).encode())

    assert done.returncode == 0, done.stderr
    expected = write_270(
        batches=eligibility_batches(2), envelope=ENVELOPE, numbers=NUMBERS, created_at=CREATED_AT
    )
    assert done.stdout.decode() == expected.text
    assert (
        done.stderr.decode() == "next control numbers: interchange 42, group 43, transaction 45\n"
    )


def test_write_276_writes_what_the_writer_writes(tmp_path: Path) -> None:
    source = tmp_path / "claims.json"
    source.write_text(json.dumps(INPUT_276), encoding="utf-8")
    output = tmp_path / "status.276"
    done = _run("write-276", str(source), "--output", str(output))

    assert done.returncode == 0, done.stderr
    expected = write_276(
        batches=status_batches(2), envelope=ENVELOPE, numbers=NUMBERS, created_at=CREATED_AT
    )
    assert output.read_text(encoding="ascii") == expected.text


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d.pop("created_at"), "error: created_at: is required"),
        (
            lambda d: d["batches"][0]["inquiries"][0].pop("service_date"),
            "error: batches[0].inquiries[0].service_date: is required",
        ),
        (
            lambda d: d["batches"][0]["inquiries"][1]["subscriber"].update(last="李"),
            "error: batches[0].inquiries[1].subscriber.name.last: '李'",
        ),
        (
            lambda d: d.update(created_at="2026-12-03T15:00:00"),
            "error: created_at: '2026-12-03T15:00:00' has no time zone",
        ),
    ],
    ids=["no-created-at", "no-service-date", "cjk-name", "naive-time"],
)
def test_bad_input_is_exit_2_naming_the_field(edit: object, message: str) -> None:
    document = json.loads(json.dumps(INPUT_270))
    edit(document)  # type: ignore[operator]
    done = _run("write-270", "-", stdin=json.dumps(document).encode())

    assert done.returncode == 2
    assert done.stdout == b""
    assert done.stderr.decode().startswith(message), done.stderr
    assert b"Traceback" not in done.stderr
