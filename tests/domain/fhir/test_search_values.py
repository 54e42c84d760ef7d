"""Search values as FHIR R4 sec. 3.1.1.4 reads them: date prefixes and precision, tokens."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from otclinic.domain.fhir.search import (
    MAX_COUNT,
    BadParameter,
    Prefix,
    parse_count,
    parse_date,
    parse_reference,
    parse_token,
)

D = dt.date


@pytest.mark.parametrize(
    ("value", "prefix", "start", "end"),
    [
        ("2026-12-03", Prefix.EQ, D(2026, 12, 3), D(2026, 12, 4)),
        ("ge2026-12", Prefix.GE, D(2026, 12, 1), D(2027, 1, 1)),
        ("lt2026", Prefix.LT, D(2026, 1, 1), D(2027, 1, 1)),
        ("le2026-02", Prefix.LE, D(2026, 2, 1), D(2026, 3, 1)),
        ("gt2026-12-03T10:00:00Z", Prefix.GT, D(2026, 12, 3), D(2026, 12, 4)),
    ],
)
def test_a_date_covers_the_days_its_precision_names(
    value: str, prefix: Prefix, start: dt.date, end: dt.date
) -> None:
    parsed = parse_date("date", value)
    assert (parsed.prefix, parsed.start, parsed.end) == (prefix, start, end)


@pytest.mark.parametrize("value", ["yesterday", "2026-13-01", "2026-02-30", "zz2026", "26-1-1"])
def test_a_bad_date_names_its_parameter(value: str) -> None:
    with pytest.raises(BadParameter) as raised:
        parse_date("birthdate", value)
    assert raised.value.name == "birthdate"


@given(st.dates(min_value=D(1900, 1, 1), max_value=D(2100, 12, 31)))
def test_a_day_covers_exactly_itself(day: dt.date) -> None:
    parsed = parse_date("date", day.isoformat())
    assert parsed.end - parsed.start == dt.timedelta(days=1)
    assert parsed.start == day


def test_tokens_with_and_without_a_system() -> None:
    assert parse_token("code", "http://loinc.org|11507-1").matches("http://loinc.org", "11507-1")
    assert parse_token("code", "11507-1").matches("http://other", "11507-1")
    assert not parse_token("code", "http://loinc.org|1").matches("http://loinc.org", "2")


def test_a_reference_must_name_the_expected_type() -> None:
    assert parse_reference("patient", "Patient/abc", resource_type="Patient") == "abc"
    assert (
        parse_reference("patient", "https://x/fhir/R4/Patient/abc", resource_type="Patient")
        == "abc"
    )
    with pytest.raises(BadParameter):
        parse_reference("patient", "Practitioner/abc", resource_type="Patient")


def test_count_is_bounded_and_must_be_a_number() -> None:
    assert parse_count(None) == 20
    assert parse_count("5") == 5
    assert parse_count(str(MAX_COUNT + 50)) == MAX_COUNT
    with pytest.raises(BadParameter):
        parse_count("-1")
