import pytest

from otclinic.domain.patients.mrn import format_mrn, pattern_problems


def test_the_number_is_zero_padded_after_the_prefix() -> None:
    assert format_mrn(prefix="OT-", digits=6, number=123) == "OT-000123"


def test_a_number_too_wide_for_the_pattern_is_refused() -> None:
    with pytest.raises(ValueError, match="does not fit"):
        format_mrn(prefix="", digits=3, number=1000)


@pytest.mark.parametrize(
    ("prefix", "digits", "problems"),
    [
        ("OT-", 6, {}),
        ("", 3, {}),
        ("ot-", 6, {"prefix": "use up to 10 capital letters, digits or dashes, such as OT-"}),
        ("OT", 2, {"digits": "choose between 3 and 12 digits"}),
        (
            "ABCDEFGHIJ",
            12,
            {"prefix": "the prefix and the digits together must fit in 20 characters"},
        ),
    ],
)
def test_a_pattern_is_checked(prefix: str, digits: int, problems: dict[str, str]) -> None:
    assert pattern_problems(prefix=prefix, digits=digits) == problems
