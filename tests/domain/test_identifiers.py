import pytest
from hypothesis import given
from hypothesis import strategies as st

from otclinic.domain.identifiers import (
    InvalidIdentifier,
    is_valid_npi,
    member_id_problem,
    npi_problem,
    npi_with_check_digit,
)


@pytest.mark.parametrize(
    "npi",
    [
        "1234567893",  # CMS's own worked example of the check digit
        "1245319599",
        "1003000126",
    ],
)
def test_real_form_npis_pass_the_check_digit(npi: str) -> None:
    assert is_valid_npi(npi)


@pytest.mark.parametrize(
    ("npi", "problem"),
    [
        ("1234567890", "check digit should be 3"),
        ("123456789", "exactly 10 digits"),
        ("12345678931", "exactly 10 digits"),
        ("12345A7893", "exactly 10 digits"),
        ("3234567893", "starts with 1"),
        ("", "exactly 10 digits"),
    ],
)
def test_bad_npis_say_what_is_wrong(npi: str, problem: str) -> None:
    message = npi_problem(npi)
    assert message is not None
    assert problem in message


@given(st.from_regex(r"[12][0-9]{8}", fullmatch=True))
def test_a_generated_npi_always_validates_and_any_other_last_digit_fails(first_nine: str) -> None:
    npi = npi_with_check_digit(first_nine)
    assert is_valid_npi(npi)
    wrong = first_nine + str((int(npi[9]) + 1) % 10)
    assert not is_valid_npi(wrong)


def test_generating_an_npi_from_a_malformed_prefix_is_refused() -> None:
    with pytest.raises(InvalidIdentifier):
        npi_with_check_digit("99")


@pytest.mark.parametrize("member_id", ["1EG4TE5MK73", "XYZ123456789", "W123-4567"])
def test_member_ids_of_common_forms_are_accepted(member_id: str) -> None:
    assert member_id_problem(member_id) is None


@pytest.mark.parametrize("member_id", ["", "A", "has space", "-LEADING", "x" * 31, "AB#12"])
def test_malformed_member_ids_are_refused(member_id: str) -> None:
    assert member_id_problem(member_id) is not None
