"""Identifiers are masked before a text leaves for a language model, and put back after."""

import datetime as dt
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from otclinic.domain.care.phi import Identifiers, leaks, minimise, restore

JANE = Identifiers(
    names=("Jane Doe", "Tom Doe"),
    ids=("MRN-00417",),
    phones=("555-201-3344",),
    addresses=("12 Elm Street",),
    dates=(dt.date(1941, 5, 9), dt.date(2026, 12, 3)),
)


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("Jane Doe walked 20 ft.", "[NAME_1] walked 20 ft."),
        ("jane reports pain; Mrs. Doe agrees", "[NAME_1] reports pain; Mrs. [NAME_2] agrees"),
        ("Son Tom trained on tub transfer", "Son [NAME_1] trained on tub transfer"),
        ("MRN-00417 seen 12/03/2026", "[ID_1] seen [DATE_1]"),
        ("born May 9, 1941, call 555-201-3344", "born [DATE_1], call [PHONE_1]"),
        ("lives at 12 Elm Street", "lives at [ADDRESS_1]"),
        ("97530 15 min, grip 22.5 kg", "97530 15 min, grip 22.5 kg"),
        ("other date 2025-01-31, member 123456789", "other date [DATE_1], member [ID_1]"),
        ("mail jd@example.org or (614) 555-0199", "mail [EMAIL_1] or [PHONE_1]"),
        ("typed [NAME_1] herself", "typed [TEXT_1] herself"),
    ],
)
def test_identifiers_become_placeholders_and_the_clinical_facts_stay(
    text: str, masked: str
) -> None:
    result = minimise(text, JANE)
    assert result.text == masked
    assert restore(result.text, result.originals) == text


def test_the_same_identifier_gets_the_same_placeholder() -> None:
    result = minimise("Jane Doe said Jane Doe", JANE)
    assert result.text == "[NAME_1] said [NAME_1]"


def test_a_placeholder_the_model_invented_is_left_as_it_is() -> None:
    result = minimise("Jane Doe", JANE)
    assert restore("[NAME_1] and [NAME_9]", result.originals) == "Jane Doe and [NAME_9]"


name = st.text(string.ascii_letters, min_size=2, max_size=12)
people = st.builds(
    Identifiers,
    names=st.lists(st.builds("{} {}".format, name, name), min_size=1, max_size=3).map(tuple),
    ids=st.lists(st.text(string.digits + "-", min_size=4, max_size=10), max_size=2).map(tuple),
    phones=st.lists(st.from_regex(r"\d{3}-\d{3}-\d{4}", fullmatch=True), max_size=2).map(tuple),
    dates=st.lists(st.dates(dt.date(1900, 1, 1), dt.date(2030, 12, 31)), max_size=2).map(tuple),
)


@st.composite
def notes(draw: st.DrawFn) -> tuple[str, Identifiers]:
    """Free text with the people's identifiers written into it here and there."""
    who = draw(people)
    values = [*who.names, *(n.split()[0] for n in who.names), *who.ids, *who.phones]
    values += [f"{d.month}/{d.day}/{d.year}" for d in who.dates]
    filler = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
    pieces = draw(st.lists(st.one_of(filler, st.sampled_from(values)), max_size=12))
    return " ".join(pieces), who


@given(notes())
def test_restoring_gives_back_exactly_the_text_given(case: tuple[str, Identifiers]) -> None:
    text, who = case
    masked = minimise(text, who)
    assert restore(masked.text, masked.originals) == text


@given(notes())
def test_no_known_identifier_leaves_outside_a_placeholder(case: tuple[str, Identifiers]) -> None:
    text, who = case
    assert leaks(minimise(text, who).text, who) == []


def test_leaks_names_what_an_unmasked_text_still_holds() -> None:
    assert "Jane Doe" in leaks("Jane Doe walked", JANE)
