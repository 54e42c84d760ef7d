import pytest

from otclinic.domain.diagnoses import check_icd10, normalize_icd10


@pytest.mark.parametrize(
    ("code", "dotted"),
    [("i69351", "I69.351"), ("S72.001A", "S72.001A"), (" m19.011 ", "M19.011"), ("R26", "R26")],
)
def test_codes_are_normalised_to_the_dotted_upper_case_form(code: str, dotted: str) -> None:
    assert normalize_icd10(code) == dotted


@pytest.mark.parametrize(
    "code",
    ["I69.351", "S72.001A", "M75.101", "G20.A1", "F82", "R27.8", "M19.011", "S52.501A"],
)
def test_billable_codes_typical_of_ot_are_accepted_with_their_description(code: str) -> None:
    result = check_icd10(code)
    assert result.valid and result.billable, result.problem
    assert result.description


def test_a_header_code_is_rejected_and_its_description_shown() -> None:
    result = check_icd10("I69.35")
    assert result.valid and not result.billable
    assert result.problem is not None
    assert "Hemiplegia" in result.problem
    assert "not a billable code" in result.problem


@pytest.mark.parametrize("code", ["Z99.999", "ABC", "", "I69.3519"])
def test_codes_not_in_the_code_set_are_rejected(code: str) -> None:
    result = check_icd10(code)
    assert not result.valid
    assert result.problem and "not an ICD-10-CM code" in result.problem
