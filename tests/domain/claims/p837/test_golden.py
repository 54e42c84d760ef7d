"""Golden 837P files for representative OT claims, each one also passing pyx12 with no errors.

The files are committed. Regenerate them only on purpose, after reading the diff:

    OTCLINIC_REGENERATE_GOLDEN=1 .venv/bin/pytest tests/domain/claims/p837/test_golden.py
"""

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from otclinic.domain.claims.x12.p837 import Claim, write_interchange

from .pyx12_check import validate
from .samples import CREATED_AT, ENVELOPE, NUMBERS, SCENARIOS

GOLDEN = Path(__file__).parent / "golden"
REGENERATE = os.environ.get("OTCLINIC_REGENERATE_GOLDEN") == "1"


def _matches_golden(name: str, text: str) -> None:
    path = GOLDEN / f"{name}.837"
    if REGENERATE:
        path.write_text(text, encoding="ascii", newline="")
    assert path.exists(), f"no golden file {path.name}: run with OTCLINIC_REGENERATE_GOLDEN=1"
    assert text == path.read_text(encoding="ascii"), f"{path.name} differs from what was written"


@pytest.mark.parametrize(("name", "build"), SCENARIOS.items(), ids=list(SCENARIOS))
def test_each_representative_claim_matches_its_golden_file_and_passes_pyx12(
    name: str, build: Callable[[], Claim]
) -> None:
    written = write_interchange(
        claims=[build()], envelope=ENVELOPE, numbers=NUMBERS, created_at=CREATED_AT
    )
    _matches_golden(name, written.text)
    result = validate(written.text)
    assert result.errors == []
    assert result.accepted, result.acknowledgment


def test_all_representative_claims_in_one_file_are_batched_by_payer() -> None:
    claims = [build() for build in SCENARIOS.values()]
    written = write_interchange(
        claims=claims, envelope=ENVELOPE, numbers=NUMBERS, created_at=CREATED_AT
    )
    _matches_golden("batch", written.text)
    assert [t.payer_id for t in written.transactions] == ["SYNMB1", "SYNCI2"]
    assert written.transactions[1].patient_control_numbers == ("SEC-1",)
    result = validate(written.text)
    assert result.errors == []
    assert result.accepted, result.acknowledgment


def test_golden_files_show_the_modifiers_each_scenario_is_about() -> None:
    """A reader's check of the golden files themselves, so that a regeneration that loses a
    modifier or a loop cannot pass unnoticed."""
    expected = {
        "ota_co": ["SV1*HC:97530:GO:CO*135*UN*3***1:2~", "NM1*77*2*", "DTP*454*D8*20250203~"],
        "kx": ["SV1*HC:97110:GO:KX*76.5*UN*2***1~", "SV1*HC:97530:GO:KX*45*UN*1***1~"],
        "ncci_59": ["SV1*HC:97140:GO*40*UN*1***1~", "SV1*HC:97530:GO:59*90*UN*2***1~"],
        "split_co": ["SV1*HC:97530:GO*45*UN*1***1~", "SV1*HC:97530:GO:CO*45*UN*1***1~"],
        "secondary": [
            "SBR*S**GRP100******CI~",
            "PAT*01~",
            "AMT*D*82.4~",
            "SVD*SYNMB1*56*HC:97530:GO**2~",
        ],
        "void": ["CLM*KX-1V*121.5***11:B:8*Y*A*Y*Y~", "REF*F8*2225071000123~"],
        "correction": ["CLM*SPLIT-CO-1R*132.5***11:B:7*Y*A*Y*Y~", "REF*F8*2225071000456~"],
    }
    for name, fragments in expected.items():
        text = (GOLDEN / f"{name}.837").read_text(encoding="ascii")
        for fragment in fragments:
            assert fragment in text, f"{name}.837 lacks {fragment}"
