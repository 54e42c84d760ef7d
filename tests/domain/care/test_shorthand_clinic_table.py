"""A clinic's own shorthand entries: checked before they are added, and read over the shipped
table (the clinic's phrase wins where it is spelt the same)."""

import pytest

from otclinic.domain.care.shorthand import (
    ClinicPhrase,
    clinic_table,
    lexicon_from,
    parse_line,
    phrase_problems,
)

CODES = {"97110", "97112", "97530", "97535"}


@pytest.mark.parametrize(
    ("entry", "field"),
    [
        (ClinicPhrase("  ", "code", "97535", "self_care_adl"), "phrase"),
        (ClinicPhrase("x" * 61, "code", "97535", "self_care_adl"), "phrase"),
        (ClinicPhrase("kitch 15", "code", "97535", "self_care_adl"), "phrase"),
        (ClinicPhrase("kitch", "code", "99999", "self_care_adl"), "value"),
        (ClinicPhrase("kitch", "code", "97535", ""), "category"),
        (ClinicPhrase("hurrycane", "device", "hoverboard"), "value"),
        (ClinicPhrase("some help", "assist", "a_bit"), "value"),
        (ClinicPhrase("kitch", "sound", "97535"), "kind"),
    ],
)
def test_an_entry_that_cannot_be_read_is_refused_naming_its_field(
    entry: ClinicPhrase, field: str
) -> None:
    assert field in phrase_problems(entry, codes=CODES)


@pytest.mark.parametrize(
    "entry",
    [
        ClinicPhrase("Kitch  Trng", "code", "97535", "self_care_adl"),
        ClinicPhrase("hurrycane", "device", "cane"),
        ClinicPhrase("needs a hand", "assist", "min_assist"),
    ],
)
def test_a_sound_entry_has_no_problems(entry: ClinicPhrase) -> None:
    assert phrase_problems(entry, codes=CODES) == {}


def _read(text: str, *entries: ClinicPhrase):  # type: ignore[no-untyped-def]
    return parse_line(text, lexicon=lexicon_from(clinic_table(entries)))


def test_the_clinics_phrases_are_read_as_code_device_and_level() -> None:
    line = _read(
        "kitch trng 15 w/ hurrycane needs a hand",
        ClinicPhrase("Kitch  Trng", "code", "97535", "self_care_adl"),
        ClinicPhrase("hurrycane", "device", "cane"),
        ClinicPhrase("needs a hand", "assist", "min_assist"),
    )
    assert (line.code, line.category, line.minutes.assistant) == ("97535", "self_care_adl", 15)
    assert [d.equipment for d in line.devices] == ["cane"]
    assert line.assist_level == "min_assist"
    assert line.unread == ()


def test_a_clinic_phrase_spelt_like_a_shipped_one_wins() -> None:
    assert parse_line("ta 15").code == "97530"
    assert _read("ta 15", ClinicPhrase("ta", "code", "97112", "other")).code == "97112"


def test_without_the_clinics_table_its_phrase_stays_unread() -> None:
    assert parse_line("kitch 15").unread == ("kitch",)
