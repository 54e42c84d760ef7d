"""The X12 character set check: transliteration where it keeps the meaning, refusals naming the
field otherwise, and never a delimiter or a character outside the set in what comes out."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from otclinic.domain.claims.x12.charset import (
    BASIC,
    EXTENDED,
    CharacterSetRefusal,
    allowed_characters,
    x12_text,
)
from otclinic.domain.claims.x12.tokens import Separators

PIPE_SEPARATORS = Separators(element="|", component=">", repetition="^", segment="~")


@pytest.mark.parametrize(
    ("given_text", "written", "uppercase"),
    [
        ("Zoë", "Zoe", False),
        ("Zoë", "ZOE", True),
        ("José Müller", "Jose Muller", False),
        ("Straße", "Strasse", False),
        ("Ørsted", "Orsted", False),
        ("Łódź", "Lodz", False),
        ("O\u2019Brien \u2013 Jr.", "O'Brien - Jr.", False),  # curly quote, en dash
        ("Zoe\u0308", "Zoe", False),  # decomposed: e and a combining diaeresis
        ("12 Main St\tApt 4", "12 Main St Apt 4", False),
        ("\uff33\uff4d\uff49\uff54\uff48", "Smith", False),  # fullwidth letters
        ("Smith", "Smith", False),
    ],
)
def test_latin_text_is_transliterated(given_text: str, written: str, uppercase: bool) -> None:
    result = x12_text(given_text, field="patient.first_name", uppercase=uppercase)

    assert result.value == written
    assert result.transliterated == (written != given_text)


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("李", "'李' (U+674E CJK UNIFIED IDEOGRAPH-674E) is outside the X12 character set"),
        ("Жанна", "CYRILLIC CAPITAL LETTER ZHE"),
        ("Ann\u202eA", "the control character U+202E (RIGHT-TO-LEFT OVERRIDE)"),
        ("Ann\u2066A", "U+2066"),
        ("Ann\x00", "U+0000"),
        ("A*B", "'*' (U+002A) is a delimiter of the X12 file"),
        ("A~B", "'~' (U+007E) is a delimiter"),
        ("A:B", "':' (U+003A) is a delimiter"),
        ("A^B", "'^' (U+005E) is a delimiter"),
    ],
)
def test_what_cannot_be_written_is_refused_naming_the_field(value: str, says: str) -> None:
    with pytest.raises(CharacterSetRefusal) as raised:
        x12_text(value, field="patient.last_name")

    assert str(raised.value).startswith("patient.last_name: ")
    assert says in str(raised.value)
    assert raised.value.field == "patient.last_name"


def test_the_delimiters_are_those_of_the_file() -> None:
    assert x12_text("A*B", field="f", separators=PIPE_SEPARATORS).value == "A*B"
    with pytest.raises(CharacterSetRefusal):
        x12_text("A|B", field="f", separators=PIPE_SEPARATORS)


def test_the_basic_set_alone_uppercases_and_refuses_extended_specials() -> None:
    assert x12_text("Zoë", field="f", extended=False).value == "ZOE"
    with pytest.raises(CharacterSetRefusal):
        x12_text("a@b", field="f", extended=False)


@pytest.mark.parametrize("separators", [Separators(), PIPE_SEPARATORS], ids=["star", "pipe"])
@pytest.mark.parametrize("extended", [True, False], ids=["extended", "basic"])
@given(value=st.text(max_size=40))
def test_what_comes_out_is_always_in_the_set_and_never_a_delimiter(
    separators: Separators, extended: bool, value: str
) -> None:
    allowed = allowed_characters(separators=separators, extended=extended)
    result = _written_or_refused(value, separators=separators, extended=extended)
    if result is None:
        return
    assert set(result) <= allowed
    delimiters = {
        separators.element,
        separators.component,
        separators.segment,
        separators.repetition,
    }
    assert not set(result) & delimiters


def _written_or_refused(value: str, *, separators: Separators, extended: bool) -> str | None:
    """What is written, or None for a refusal (which must name the field)."""
    try:
        return x12_text(value, field="f", separators=separators, extended=extended).value
    except CharacterSetRefusal as refusal:
        if refusal.field != "f":
            raise
        return None


@given(value=st.text(alphabet=sorted(allowed_characters()), max_size=40))
def test_text_already_in_the_set_is_kept_as_it_is(value: str) -> None:
    assert x12_text(value, field="f").value == value
    assert not x12_text(value, field="f").transliterated


def test_the_sets_are_those_the_guides_list() -> None:
    assert len(BASIC) == 26 + 10 + 1 + 16  # letters, digits, space, the 16 specials
    assert set("abcxyz%@[]_{}\\|<>~^`#$") <= EXTENDED
