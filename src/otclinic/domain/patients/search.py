"""What the front desk typed into a patient search box: names, an MRN, a birth date, a phone.

A birth date is read as ISO (2019-04-07) or as the US writes it, month first (04/07/2019,
4/7/2019, 04-07-2019, 04.07.2019). A phone number is any run of digits, spaces and the usual
punctuation "(555) 014-2231", "555.014.2231", "+1 555 014 2231" with at least
`PHONE_MIN_DIGITS` digits; it matches on its digits alone.
"""

import datetime as dt
import re
from dataclasses import dataclass

PHONE_MIN_DIGITS = 4
MAX_WORDS = 4
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_US = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_PHONE = re.compile(r"^[\d\s().+-]+$")


@dataclass(frozen=True)
class PatientQuery:
    """A search box's text, read: at most one of `birth_date` and `phone_digits` is set, and
    `words` (names or an MRN) are the rest."""

    words: tuple[str, ...] = ()
    birth_date: dt.date | None = None
    phone_digits: str = ""

    @property
    def empty(self) -> bool:
        return not (self.words or self.birth_date or self.phone_digits)


def parse_date(text: str) -> dt.date | None:
    """A date written as 2019-04-07 or 04/07/2019 (month first), or None."""
    iso, us = _ISO.match(text), _US.match(text)
    if iso:
        year, month, day = (int(g) for g in iso.groups())
    elif us:
        month, day, year = (int(g) for g in us.groups())
    else:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def phone_digits(text: str) -> str:
    """The digits of a phone number as typed, without a leading US country code."""
    digits = re.sub(r"\D", "", text)
    if len(digits) == 11 and digits.startswith("1"):
        return digits[1:]
    return digits


def parse_query(text: str) -> PatientQuery:
    """Read a search box: a date or a phone number anywhere in it, the other words as names."""
    text = " ".join(text.split())
    if not text:
        return PatientQuery()
    whole_date = parse_date(text)
    if whole_date is not None:
        return PatientQuery(birth_date=whole_date)
    if _PHONE.match(text) and len(phone_digits(text)) >= PHONE_MIN_DIGITS:
        return PatientQuery(phone_digits=phone_digits(text))
    words: list[str] = []
    birth_date = None
    for word in text.replace(",", " ").split():
        day = parse_date(word) if birth_date is None else None
        if day is not None:
            birth_date = day
        else:
            words.append(word)
    return PatientQuery(words=tuple(words[:MAX_WORDS]), birth_date=birth_date)
