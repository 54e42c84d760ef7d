"""A realistic batch through pyx12: 200 seeded OT claims with 1-4 lines, and proof that the
pyx12 check can fail."""

import re

from otclinic.domain.claims.x12.p837 import ClaimFrequency, write_interchange

from .pyx12_check import validate
from .samples import CREATED_AT, ENVELOPE, NUMBERS, split_co
from .synthetic import ClaimGenerator


def test_two_hundred_seeded_ot_claims_pass_pyx12_with_no_errors() -> None:
    claims = ClaimGenerator(seed=20250314).claims(200)
    written = write_interchange(
        claims=claims, envelope=ENVELOPE, numbers=NUMBERS, created_at=CREATED_AT
    )
    # The batch covers what the golden files cover, in bulk.
    assert {claim.frequency for claim in claims} == set(ClaimFrequency)
    assert any(o.claim_adjustments for claim in claims for o in claim.other_payers)
    assert any(line.adjudications for claim in claims for line in claim.lines)
    assert any(claim.service_facility for claim in claims)
    assert any(claim.billing_provider.pay_to_address for claim in claims)
    assert any(claim.patient for claim in claims)
    assert sum(len(claim.lines) for claim in claims) > 400
    assert len(written.transactions) == 5
    result = validate(written.text)
    assert result.errors == []
    assert result.accepted, result.acknowledgment


def test_the_pyx12_check_reports_a_wrong_segment_count_and_a_bad_pointer() -> None:
    text = write_interchange(
        claims=[split_co()], envelope=ENVELOPE, numbers=NUMBERS, created_at=CREATED_AT
    ).text
    assert validate(text).errors == []
    broken = re.sub(r"SE\*(\d+)\*", lambda m: f"SE*{int(m[1]) - 1}*", text)
    broken = broken.replace("***1~\nDTP*472", "***1:A~\nDTP*472", 1)
    result = validate(broken)
    assert any("SE count" in error for error in result.errors), result.errors
    assert any("Diagnosis Code Pointer" in error for error in result.errors), result.errors
    assert not result.accepted
