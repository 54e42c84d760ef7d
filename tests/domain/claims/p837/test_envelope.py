"""Envelopes: control numbers from the caller and what to persist, counts, batching by payer."""

from dataclasses import replace
from datetime import datetime
from decimal import Decimal

import pytest

from otclinic.domain.claims.x12.p837 import (
    ControlNumberError,
    ControlNumbers,
    write_interchange,
)
from otclinic.domain.claims.x12.p837.segments import amount, composite
from otclinic.domain.claims.x12.tokens import split_segments

from .pyx12_check import assert_passes
from .samples import COMMERCIAL, CREATED_AT, ENVELOPE, NUMBERS, kx_over_threshold, ncci_59, split_co


def _claims_for_two_payers() -> list:  # type: ignore[type-arg]
    medicare = [kx_over_threshold(), ncci_59(), split_co()]
    commercial = [
        replace(claim, patient_control_number=f"CI-{n}", payer=COMMERCIAL)
        for n, claim in enumerate(medicare)
    ]
    return [medicare[0], commercial[0], medicare[1], commercial[1], medicare[2], commercial[2]]


def _tags(text: str, tag: str) -> list[tuple[str, ...]]:
    return [segment.elements for segment in split_segments(text) if segment.tag == tag]


def test_control_numbers_come_from_the_caller_and_the_next_ones_are_returned() -> None:
    written = write_interchange(
        claims=_claims_for_two_payers(),
        envelope=ENVELOPE,
        numbers=ControlNumbers(interchange=41, group=7, transaction=998),
        created_at=CREATED_AT,
    )
    assert _tags(written.text, "ISA")[0][13] == "000000041"
    assert _tags(written.text, "IEA") == [("IEA", "1", "000000041")]
    assert _tags(written.text, "GS")[0][6] == "7"
    assert _tags(written.text, "GE") == [("GE", "2", "7")]
    assert [st[2] for st in _tags(written.text, "ST")] == ["0998", "0999"]
    assert [se[2] for se in _tags(written.text, "SE")] == ["0998", "0999"]
    assert [t.control_number for t in written.transactions] == [998, 999]
    assert written.next_numbers == ControlNumbers(interchange=42, group=8, transaction=1000)
    assert_passes(written.text)


def test_writing_again_with_the_returned_numbers_never_reuses_one() -> None:
    numbers = NUMBERS
    seen: set[tuple[str, str]] = set()
    for _ in range(3):
        written = write_interchange(
            claims=_claims_for_two_payers(),
            envelope=ENVELOPE,
            numbers=numbers,
            created_at=CREATED_AT,
        )
        used = {("ISA", str(written.interchange)), ("GS", str(written.group))}
        used |= {("ST", str(t.control_number)) for t in written.transactions}
        assert not used & seen
        seen |= used
        assert_passes(written.text)
        numbers = written.next_numbers


def test_each_payer_gets_its_own_transaction_set_in_one_functional_group() -> None:
    written = write_interchange(
        claims=_claims_for_two_payers(), envelope=ENVELOPE, numbers=NUMBERS, created_at=CREATED_AT
    )
    assert [(t.payer_id, t.patient_control_numbers) for t in written.transactions] == [
        ("SYNMB1", ("KX-1", "NCCI-59-1", "SPLIT-CO-1")),
        ("SYNCI2", ("CI-0", "CI-1", "CI-2")),
    ]
    assert len(_tags(written.text, "GS")) == 1
    payers_per_set = [
        {s.get(9) for s in segments if s.tag == "NM1" and s.get(1) == "PR"}
        for segments in _transaction_sets(written.text)
    ]
    assert payers_per_set == [{"SYNMB1"}, {"SYNCI2"}]
    assert_passes(written.text)


def test_a_payer_with_more_claims_than_the_limit_gets_several_transaction_sets() -> None:
    claims = [replace(kx_over_threshold(), patient_control_number=f"KX-{n}") for n in range(5)]
    written = write_interchange(
        claims=claims,
        envelope=replace(ENVELOPE, max_claims_per_transaction=2),
        numbers=NUMBERS,
        created_at=CREATED_AT,
    )
    assert [len(t.patient_control_numbers) for t in written.transactions] == [2, 2, 1]
    assert _tags(written.text, "GE")[0][1] == "3"
    assert_passes(written.text)


def test_segment_counts_match_each_transaction_set() -> None:
    written = write_interchange(
        claims=_claims_for_two_payers(), envelope=ENVELOPE, numbers=NUMBERS, created_at=CREATED_AT
    )
    for segments, summary in zip(
        _transaction_sets(written.text), written.transactions, strict=True
    ):
        assert int(segments[-1].get(1)) == len(segments) == summary.segment_count
    assert_passes(written.text)


def test_hierarchical_levels_number_from_one_and_point_to_their_parent() -> None:
    written = write_interchange(
        claims=[ncci_59(), split_co()], envelope=ENVELOPE, numbers=NUMBERS, created_at=CREATED_AT
    )
    assert _tags(written.text, "HL") == [
        ("HL", "1", "", "20", "1"),
        ("HL", "2", "1", "22", "0"),
        ("HL", "3", "1", "22", "0"),
    ]
    assert_passes(written.text)


def test_dates_and_times_come_from_the_argument() -> None:
    written = write_interchange(
        claims=[ncci_59()], envelope=ENVELOPE, numbers=NUMBERS, created_at=CREATED_AT
    )
    isa = _tags(written.text, "ISA")[0]
    assert (isa[9], isa[10]) == ("250314", "0930")
    assert _tags(written.text, "BHT")[0][4:6] == ("20250314", "0930")
    assert_passes(written.text)


def test_a_naive_creation_time_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        write_interchange(
            claims=[ncci_59()], envelope=ENVELOPE, numbers=NUMBERS, created_at=datetime(2025, 1, 1)
        )


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(ValueError, match="no claims"):
        write_interchange(claims=[], envelope=ENVELOPE, numbers=NUMBERS, created_at=CREATED_AT)


@pytest.mark.parametrize(
    "numbers",
    [
        ControlNumbers(interchange=0, group=1, transaction=1),
        ControlNumbers(interchange=1_000_000_000, group=1, transaction=1),
        ControlNumbers(interchange=1, group=1, transaction=999_999_999),
    ],
)
def test_control_numbers_must_fit_nine_digits(numbers: ControlNumbers) -> None:
    with pytest.raises(ControlNumberError):
        write_interchange(
            claims=_claims_for_two_payers(),
            envelope=ENVELOPE,
            numbers=numbers,
            created_at=CREATED_AT,
        )


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("150.00", "150"),
        ("35.10", "35.1"),
        ("0.00", "0"),
        ("1234567.89", "1234567.89"),
        ("-5.50", "-5.5"),
        ("100", "100"),
        ("1E+2", "100"),
    ],
)
def test_amounts_are_written_without_needless_zeros(value: str, text: str) -> None:
    assert amount(Decimal(value)) == text


def test_composites_leave_off_trailing_empty_components() -> None:
    assert composite("HC", "97530", "GO", "", "") == "HC:97530:GO"
    assert composite("11", "", "1") == "11::1"


def _transaction_sets(text: str) -> list[list]:  # type: ignore[type-arg]
    sets: list[list] = []  # type: ignore[type-arg]
    for segment in split_segments(text):
        if segment.tag == "ST":
            sets.append([])
        if sets and (segment.tag not in {"GE", "IEA"}):
            sets[-1].append(segment)
    return sets
