import pytest

from otclinic.domain.patients.mrn import format_mrn, pattern_problem


def test_the_number_is_zero_padded_after_the_prefix() -> None:
    assert format_mrn(prefix="OT-", digits=6, number=123) == "OT-000123"


def test_a_number_too_wide_for_the_pattern_is_refused() -> None:
    with pytest.raises(ValueError, match="does not fit"):
        format_mrn(prefix="", digits=3, number=1000)


@pytest.mark.parametrize(
    ("prefix", "digits", "problem"),
    [
        ("OT-", 6, None),
        ("", 3, None),
        ("ot-", 6, "capital letters"),
        ("OT", 2, "between 3 and 12"),
        ("ABCDEFGHIJ", 12, "fit in 20"),
    ],
)
def test_a_pattern_is_checked(prefix: str, digits: int, problem: str | None) -> None:
    found = pattern_problem(prefix=prefix, digits=digits)
    assert found == problem or (problem is not None and found is not None and problem in found)
