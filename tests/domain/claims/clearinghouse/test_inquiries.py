"""The 270 and 276 writers: every file written is valid for linuxforhealth-x12, the counts and
control numbers hold, and bad input is refused naming each field."""

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from otclinic.domain.claims.x12.inquiry import InvalidInquiry
from otclinic.domain.claims.x12.inquiry270 import write_270
from otclinic.domain.claims.x12.inquiry276 import write_276
from otclinic.domain.claims.x12.interchange import ControlNumberError, ControlNumbers
from otclinic.domain.claims.x12.p837.parties import PersonName

from .inquiries import (
    CHILD,
    CREATED_AT,
    ENVELOPE,
    NUMBERS,
    SUBSCRIBER,
    eligibility_batches,
    status_batches,
)
from .lfh import collect, lfh_validate
from .samples import segments_of


def _270(**changes: object) -> str:
    options = {"batches": eligibility_batches(2), "envelope": ENVELOPE, "numbers": NUMBERS}
    options.update(changes)
    return write_270(created_at=CREATED_AT, **options).text  # type: ignore[arg-type]


def _276(**changes: object) -> str:
    options = {"batches": status_batches(2), "envelope": ENVELOPE, "numbers": NUMBERS}
    options.update(changes)
    return write_276(created_at=CREATED_AT, **options).text  # type: ignore[arg-type]


def test_every_270_written_is_valid_for_linuxforhealth(tmp_path: Path) -> None:
    texts = [
        _270(),
        _270(batches=eligibility_batches(1, dependent=True)),
        _270(batches=eligibility_batches(3)),
    ]
    models = lfh_validate(tmp_path, texts, "270")

    eq = collect(models, "eq_segment")
    assert [segment["service_type_code"] for segment in eq] == [["30", "AD", "AE", "98"]] * 6
    names = [
        n for n in collect(models, "nm1_segment") if n["entity_identifier_code"] in {"IL", "03"}
    ]
    assert {n.get("name_first") for n in names} == {"Zoe", "Mateo"}


def test_every_276_written_is_valid_for_linuxforhealth(tmp_path: Path) -> None:
    texts = [_276(), _276(batches=status_batches(3, patient=True))]
    models = lfh_validate(tmp_path, texts, "276")

    traces = [trn["reference_identification_1"] for trn in collect(models, "trn_segment")]
    assert traces == ["STAT0000", "STAT0001", "STAT0000", "STAT0001", "STAT0002"]
    amounts = [amt["monetary_amount"] for amt in collect(models, "amt_segment")]
    assert amounts == [312.5] * 5


def _envelope_counts(x12: str) -> None:
    """SE01 counts ST..SE, SE02 = ST02, GE01 the sets, IEA01 the groups, numbers as given."""
    segments = segments_of(x12)
    starts = [i for i, s in enumerate(segments) if s[0] == "ST"]
    ends = [i for i, s in enumerate(segments) if s[0] == "SE"]
    for start, end in zip(starts, ends, strict=True):
        assert segments[end][1] == str(end - start + 1)
        assert segments[end][2] == segments[start][2]
    assert segments[-2] == ["GE", str(len(starts)), segments[1][6]]
    assert segments[-1] == ["IEA", "1", segments[0][13]]


@pytest.mark.parametrize("count", [1, 2, 5])
def test_the_counts_and_control_numbers_hold(count: int) -> None:
    written = write_270(
        batches=eligibility_batches(count),
        envelope=ENVELOPE,
        numbers=NUMBERS,
        created_at=CREATED_AT,
    )

    _envelope_counts(written.text)
    assert written.transactions == tuple(range(43, 43 + count))
    assert written.next_numbers == ControlNumbers(interchange=42, group=43, transaction=43 + count)
    _envelope_counts(_276(batches=status_batches(count, patient=count % 2 == 0)))


@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    count=st.integers(1, 6),
    dependent=st.booleans(),
    first=st.integers(1, 999_999_990),
)
def test_any_batch_keeps_its_counts_and_numbers(count: int, dependent: bool, first: int) -> None:
    numbers = ControlNumbers(interchange=first, group=first, transaction=first)
    written = write_270(
        batches=eligibility_batches(count, dependent=dependent),
        envelope=ENVELOPE,
        numbers=numbers,
        created_at=CREATED_AT,
    )

    _envelope_counts(written.text)
    assert written.next_numbers.transaction == first + count


def test_control_numbers_past_the_maximum_are_refused() -> None:
    with pytest.raises(ControlNumberError):
        _270(numbers=ControlNumbers(interchange=1, group=1, transaction=999_999_999))


def test_names_are_written_in_the_x12_character_set() -> None:
    assert "NM1*IL*1*Rivera*Zoe****MI*1EG4TE5MK73~" in _270()


def test_bad_input_is_refused_naming_every_field() -> None:
    bad_subscriber = replace(SUBSCRIBER, name=PersonName(last="李", first=""), sex="X")
    (batch,) = eligibility_batches(1)
    inquiry = replace(
        batch.inquiries[0], subscriber=bad_subscriber, originator="12", service_types=("ZZ",)
    )
    with pytest.raises(InvalidInquiry) as raised:
        _270(batches=[replace(batch, inquiries=(inquiry,))])

    fields = [problem.field for problem in raised.value.problems]
    assert fields == [
        "batches[0].inquiries[0].originator",
        "batches[0].inquiries[0].subscriber.name.last",
        "batches[0].inquiries[0].subscriber.name.first",
        "batches[0].inquiries[0].subscriber.sex",
        "batches[0].inquiries[0].service_types",
    ]
    assert "outside the X12 character set" in str(raised.value)


def test_a_claim_inquiry_with_a_delimiter_or_fractions_of_a_cent_is_refused() -> None:
    (batch,) = status_batches(1)
    claim = replace(batch.claims[0], claim_number="CLM*1", charge=Decimal("1.005"))
    with pytest.raises(InvalidInquiry) as raised:
        _276(batches=[replace(batch, claims=(claim,))])

    assert [p.field for p in raised.value.problems] == [
        "batches[0].claims[0].claim_number",
        "batches[0].claims[0].charge",
    ]


def test_a_dependent_patient_is_asked_about_under_the_subscriber() -> None:
    segments = segments_of(_276(batches=status_batches(1, patient=True)))
    patient_level = segments.index(["HL", "5", "4", "23"])

    assert segments[patient_level - 2] == ["HL", "4", "3", "22", "1"]
    assert segments[patient_level + 1 : patient_level + 4] == [
        ["DMG", "D8", "20180709", "M"],
        ["NM1", "QC", "1", CHILD.name.last, CHILD.name.first],
        ["TRN", "1", "STAT0000"],
    ]
