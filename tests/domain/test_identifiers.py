import pytest
from hypothesis import given
from hypothesis import strategies as st

from otclinic.domain.identifiers import (
    InvalidIdentifier,
    is_valid_npi,
    member_id_format_for,
    member_id_problem,
    member_id_problem_for,
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


# The Medicare Beneficiary Identifier, position by position (CMS, "Understanding the MBI").
MBI_LETTERS = "ACDEFGHJKMNPQRTUVWXY"
_MBI = {
    "C": st.sampled_from("123456789"),
    "N": st.sampled_from("0123456789"),
    "A": st.sampled_from(MBI_LETTERS),
    "X": st.sampled_from(MBI_LETTERS + "0123456789"),
}


@given(st.tuples(*(_MBI[c] for c in "CAXNAXNAANN")).map("".join))
def test_every_mbi_of_the_published_form_is_accepted(mbi: str) -> None:
    assert member_id_problem_for(mbi, plan="medicare_part_b") is None


@pytest.mark.parametrize(
    ("member_id", "words"),
    [
        ("1EG4-TE5-MK73", "13 characters, not 11"),  # as printed on the card: dashes are not sent
        ("0EG4TE5MK73", "character 1 is"),  # starts with 1-9
        ("1SG4TE5MK73", "character 2 is"),  # S is never used
        ("1EGATE5MK73", "character 4 is"),  # a digit
        ("1EG4TE5M173", "character 9 is"),  # a letter
        ("1eg4te5mk73", "character 2 is"),  # lowercase: the service uppercases before it checks
        ("XYZ123456789", "12 characters, not 11"),  # a commercial id is not an MBI
    ],
)
def test_an_mbi_off_the_published_form_is_refused_and_the_position_named(
    member_id: str, words: str
) -> None:
    problem = member_id_problem_for(member_id, plan="medicare_part_b")
    assert problem is not None and words in problem


def test_the_card_form_of_an_mbi_is_normalized_to_what_medicare_accepts() -> None:
    fmt = member_id_format_for(plan="medicare_part_b")
    assert fmt is not None
    assert fmt.normalize(" 1eg4-te5-mk73 ") == "1EG4TE5MK73"


def test_other_plans_keep_the_general_form_unless_the_payer_names_a_format() -> None:
    assert member_id_problem_for("XYZ123456789", plan="commercial") is None
    assert member_id_problem_for("XYZ123456789", plan="medicare_advantage") is None
    refused = member_id_problem_for("XYZ123456789", plan="commercial", format_key="mbi")
    assert refused is not None and "Medicare Beneficiary Identifier" in refused
