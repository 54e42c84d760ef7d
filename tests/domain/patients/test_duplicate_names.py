import pytest

from otclinic.domain.patients.duplicates import Name, names_may_match, same_sounding


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Sydney", "Sidney"),
        ("Garcia", "garcia"),
        ("Catherine", "Cathrine"),
        ("Jon", "John"),
        ("Smith", "Smyth"),
    ],
)
def test_names_heard_or_spelled_alike_match(a: str, b: str) -> None:
    assert same_sounding(a, b)


@pytest.mark.parametrize(("a", "b"), [("Sydney", "Maria"), ("Garcia", "Nguyen"), ("", "Ann")])
def test_different_names_do_not_match(a: str, b: str) -> None:
    assert not same_sounding(a, b)


def test_garcia_sydney_may_be_garcia_sidney() -> None:
    assert names_may_match(Name("Sydney", "Garcia"), Name("Sidney", "Garcia"))


def test_first_and_last_name_swapped_still_match() -> None:
    assert names_may_match(Name("Garcia", "Sydney"), Name("Sidney", "Garcia"))


def test_a_sibling_with_another_first_name_does_not_match() -> None:
    assert not names_may_match(Name("Mateo", "Garcia"), Name("Sidney", "Garcia"))
