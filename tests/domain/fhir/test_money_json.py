"""FHIR JSON carries a Decimal as the same digits, as a JSON number."""

import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from otclinic.domain.fhir.money_json import decimal_number, dumps

money = st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False)
documents = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text() | money,
    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
    max_leaves=20,
)


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (Decimal("1234.50"), "1234.50"),
        (Decimal("0.10"), "0.10"),
        (Decimal("-0.01"), "-0.01"),
        (Decimal("1E+2"), "100"),
        (Decimal("99999999.99"), "99999999.99"),
    ],
)
def test_a_decimal_is_written_digit_for_digit(value: Decimal, written: str) -> None:
    assert decimal_number(value) == written
    assert dumps({"value": value}) == f'{{"value": {written}}}'


@given(documents)
def test_a_document_reads_back_with_its_decimals_exact(document: object) -> None:
    assert json.loads(dumps(document), parse_float=Decimal) == document


@given(st.lists(money, min_size=1, max_size=30))
def test_amounts_that_floats_would_round_add_up_exactly(amounts: list[Decimal]) -> None:
    read = json.loads(dumps({"items": amounts, "total": sum(amounts)}), parse_float=Decimal)
    assert sum(read["items"]) == read["total"] == sum(amounts)


def test_a_string_that_looks_like_a_number_stays_a_string() -> None:
    assert json.loads(dumps({"a": "12.50", "b": Decimal("12.50")})) == {"a": "12.50", "b": 12.5}


def test_infinity_has_no_json_number() -> None:
    with pytest.raises(ValueError, match="no number"):
        dumps({"value": Decimal("Infinity")})
