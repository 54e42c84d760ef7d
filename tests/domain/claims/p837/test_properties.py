"""Hypothesis properties: for random valid claims the file re-splits into segments whose SE01
counts each transaction set, CLM02 is the sum of the claim's SV102s, and pyx12 finds nothing.

pyx12 reloads its maps on every call (about half a second), so each example is a whole batch of
claims and the example count is kept small.
"""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from otclinic.domain.claims.x12.p837 import (
    Claim,
    ClaimFrequency,
    ServiceLine,
    write_interchange,
)
from otclinic.domain.claims.x12.tokens import Segment, split_segments

from .pyx12_check import validate
from .samples import (
    COMMERCIAL,
    CREATED_AT,
    ENVELOPE,
    NUMBERS,
    kx_over_threshold,
    secondary_after_medicare,
)
from .synthetic import DIAGNOSES

CODES = ["97110", "97112", "97140", "97530", "97533", "97535", "97165", "97168", "G0283"]
MORE_DIAGNOSES = [*DIAGNOSES, "M2551", "G3184", "I63512", "Z4789"]


@st.composite
def service_lines(draw: st.DrawFn, *, diagnoses: int, day: date) -> ServiceLine:
    extra = draw(st.lists(st.sampled_from(["CO", "KX", "59", "XU"]), max_size=3, unique=True))
    units = draw(st.integers(1, 12))
    return ServiceLine(
        procedure_code=draw(st.sampled_from(CODES)),
        modifiers=("GO", *extra),
        charge=draw(st.decimals("0.00", "9999.99", places=2)),
        units=units,
        diagnosis_pointers=tuple(
            draw(
                st.lists(
                    st.integers(1, diagnoses), min_size=1, max_size=min(4, diagnoses), unique=True
                )
            )
        ),
        service_date=day,
    )


@st.composite
def claims(draw: st.DrawFn, *, number: int) -> Claim:
    base = draw(st.sampled_from([kx_over_threshold(), secondary_after_medicare()]))
    diagnoses = tuple(
        draw(st.lists(st.sampled_from(MORE_DIAGNOSES), min_size=1, max_size=12, unique=True))
    )
    day = date(2025, 1, 1) + timedelta(days=draw(st.integers(0, 364)))
    lines = tuple(
        draw(st.lists(service_lines(diagnoses=len(diagnoses), day=day), min_size=1, max_size=20))
    )
    frequency = draw(st.sampled_from(list(ClaimFrequency)))
    return replace(
        base,
        patient_control_number=f"P{number}",
        payer=draw(st.sampled_from([base.payer, COMMERCIAL])),
        diagnoses=diagnoses,
        lines=lines,
        other_payers=(),
        frequency=frequency,
        payer_claim_control_number="" if frequency is ClaimFrequency.ORIGINAL else f"ICN{number}",
        place_of_service=draw(st.sampled_from(["11", "12", "02"])),
    )


@st.composite
def batches(draw: st.DrawFn) -> list[Claim]:
    size = draw(st.integers(1, 6))
    return [draw(claims(number=n)) for n in range(size)]


def _transaction_sets(segments: list[Segment]) -> list[list[Segment]]:
    sets: list[list[Segment]] = []
    for segment in segments:
        if segment.tag == "ST":
            sets.append([])
        if (
            sets
            and segment.tag not in {"GE", "IEA"}
            and (segment.tag == "ST" or sets[-1][-1].tag != "SE")
        ):
            sets[-1].append(segment)
    return sets


def _claim_totals(segments: list[Segment]) -> list[tuple[Decimal, Decimal]]:
    """(CLM02, sum of SV102) for every claim, the lines read up to the next claim or level."""
    totals: list[tuple[Decimal, Decimal]] = []
    for segment in segments:
        if segment.tag == "CLM":
            totals.append((Decimal(segment.get(2)), Decimal(0)))
        elif segment.tag == "SV1":
            clm02, lines = totals[-1]
            totals[-1] = (clm02, lines + Decimal(segment.get(2)))
    return totals


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(batch=batches())
def test_random_valid_claims_count_and_add_up_and_pass_pyx12(batch: list[Claim]) -> None:
    written = write_interchange(
        claims=batch, envelope=ENVELOPE, numbers=NUMBERS, created_at=CREATED_AT
    )
    segments = split_segments(written.text)
    sets = _transaction_sets(segments)
    assert (
        len(sets)
        == len(written.transactions)
        == int(next(s for s in segments if s.tag == "GE").get(1))
    )
    for transaction in sets:
        assert transaction[-1].tag == "SE"
        assert int(transaction[-1].get(1)) == len(transaction)
    totals = _claim_totals(segments)
    assert len(totals) == len(batch)
    for clm02, lines in totals:
        assert clm02 == lines
    written_lines = sum(1 for s in segments if s.tag == "SV1")
    assert written_lines == sum(len(claim.lines) for claim in batch)
    result = validate(written.text)
    assert result.errors == []
    assert result.accepted
