import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from otclinic.domain.patients.search import PatientQuery, parse_date, parse_query, phone_digits

APRIL_7 = dt.date(2019, 4, 7)


@pytest.mark.parametrize(
    "text", ["2019-04-07", "04/07/2019", "4/7/2019", "04-07-2019", "04.07.2019", " 2019-4-7 "]
)
def test_a_birth_date_is_read_in_iso_and_us_formats(text: str) -> None:
    assert parse_query(text) == PatientQuery(birth_date=APRIL_7)


@pytest.mark.parametrize("text", ["2019-02-30", "13/01/2019", "04/07/19", "2019/04/07x"])
def test_an_impossible_or_partial_date_is_not_a_date(text: str) -> None:
    assert parse_date(text) is None


@pytest.mark.parametrize(
    "text",
    ["(555) 014-2231", "555.014.2231", "555-014-2231", "5550142231", "+1 555 014 2231"],
)
def test_a_phone_number_is_read_by_its_digits_whatever_the_punctuation(text: str) -> None:
    assert parse_query(text) == PatientQuery(phone_digits="5550142231")


def test_the_last_digits_of_a_phone_are_enough() -> None:
    assert parse_query("2231") == PatientQuery(phone_digits="2231")


def test_three_digits_are_not_a_phone_number() -> None:
    assert parse_query("223") == PatientQuery(words=("223",))


def test_a_name_and_a_birth_date_together() -> None:
    assert parse_query("Garcia, Sydney 04/07/2019") == PatientQuery(
        words=("Garcia", "Sydney"), birth_date=APRIL_7
    )


def test_an_mrn_with_a_dash_stays_a_word() -> None:
    assert parse_query("OT-000123") == PatientQuery(words=("OT-000123",))


def test_an_empty_box_asks_for_nothing() -> None:
    assert parse_query("  ").empty


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_every_date_reads_back_in_both_formats(day: dt.date) -> None:
    assert parse_date(day.isoformat()) == day
    assert parse_date(day.strftime("%m/%d/%Y")) == day


def test_a_us_country_code_is_dropped() -> None:
    assert phone_digits("1-555-014-2231") == "5550142231"
