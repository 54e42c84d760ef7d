"""Small field checks shared by the claim and party validators; each returns a Problem or None."""

import re
from collections.abc import Callable
from dataclasses import fields, is_dataclass
from datetime import date
from decimal import Decimal
from enum import Enum
from functools import lru_cache
from operator import attrgetter

from otclinic.domain.claims.x12.p837.parties import Address
from otclinic.domain.claims.x12.p837.problems import Problem
from otclinic.domain.identifiers import npi_problem

_DELIMITERS = re.compile(r"[*:^~\r\n]")
# Anything outside the 005010 character set (basic and extended, appendix B.1.1.2), or one of
# the file's delimiters: what a value must not hold.
_NOT_X12 = re.compile(r"[^A-Za-z0-9 !\"&'()+,\-./;?=%@\[\]_{}\\|<>`#$]")
_STATE = re.compile(r"[A-Z]{2}")
_ZIP = re.compile(r"\d{5}(\d{4})?")
_ZIP9 = re.compile(r"\d{9}")
_TAXONOMY = re.compile(r"[0-9A-Z]{9}X")
_CENT = Decimal("0.01")
# A file names the same few clinicians thousands of times: check each NPI once.
_npi_problem = lru_cache(maxsize=1024)(npi_problem)


def required(value: str, *, field: str, max_length: int) -> Problem | None:
    """A text element that must be present and fit its X12 maximum length."""
    if not value.strip():
        return Problem(field, "is required")
    if len(value) > max_length:
        return Problem(field, f"is {len(value)} characters; X12 allows at most {max_length}")
    return None


def npi(value: str, *, field: str) -> Problem | None:
    problem = _npi_problem(value)
    return None if problem is None else Problem(field, f"{value!r} is not a valid NPI: {problem}")


def taxonomy(value: str | None, *, field: str) -> Problem | None:
    if value is None or _TAXONOMY.fullmatch(value):
        return None
    return Problem(field, f"{value!r} is not a provider taxonomy code (10 characters ending in X)")


def money(value: Decimal, *, field: str, negative_allowed: bool = False) -> Problem | None:
    """An amount in dollars with at most two decimal places (whole cents)."""
    if not value.is_finite():
        return Problem(field, f"{value} is not an amount")
    if value != value.quantize(_CENT):
        return Problem(field, f"{value} has fractions of a cent")
    if value < 0 and not negative_allowed:
        return Problem(field, f"{value} is negative")
    return None


def address(place: Address, *, field: str, zip9: bool = False) -> list[Problem]:
    """Street line, city, two-letter state and a 5- or 9-digit ZIP code (9 for the billing
    provider, whose 2010AA N403 must carry ZIP+4)."""
    found = [
        required(place.line1, field=f"{field}.line1", max_length=55),
        required(place.city, field=f"{field}.city", max_length=30),
    ]
    if not _STATE.fullmatch(place.state):
        found.append(Problem(f"{field}.state", f"{place.state!r} is not a two-letter state code"))
    pattern, wanted = (_ZIP9, "9 digits (ZIP+4)") if zip9 else (_ZIP, "5 or 9 digits")
    if not pattern.fullmatch(place.postal_code):
        found.append(Problem(f"{field}.postal_code", f"{place.postal_code!r} must be {wanted}"))
    return [problem for problem in found if problem is not None]


def delimiters(facts: object, *, field: str) -> list[Problem]:
    """Every text value, however deeply nested, that holds an X12 separator or a line break.

    The texts are gathered and searched at once first: the walk that names fields runs only
    when something is found, as it costs ten times more on a clean file.
    """
    texts: list[str] = []
    _gather_texts(facts, texts, set())
    if not _NOT_X12.search("".join(texts)):
        return []
    return _name_delimiters(facts, field=field)


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}
_LEAVES = (int, Decimal, date, type(None))


def _gather_texts(facts: object, texts: list[str], seen: set[int]) -> None:
    """Append every text in `facts`; an object or tuple shared by many claims (the clinic, a
    clinician, a payer, the modifiers of many lines) is visited once. Texts and leaves inside a
    tuple or dataclass are taken in the same loop, without a call each."""
    if isinstance(facts, str):
        texts.append(facts)
        return
    if id(facts) in seen:
        return
    seen.add(id(facts))
    values = facts if isinstance(facts, tuple) else _field_values(type(facts))(facts)
    for value in values:
        if isinstance(value, str):
            texts.append(value)
        elif not isinstance(value, _LEAVES):
            _gather_texts(value, texts, seen)


_FIELD_VALUES: dict[type, Callable[[object], tuple[object, ...]]] = {}


def _field_values(kind: type) -> Callable[[object], tuple[object, ...]]:
    """A function giving the values of a dataclass's fields as a tuple (none for any other
    type), made once per type."""
    getter = _FIELD_VALUES.get(kind)
    if getter is None:
        names = _field_names(kind)
        if len(names) > 1:
            getter = attrgetter(*names)
        elif names:
            only = attrgetter(names[0])
            getter = lambda facts: (only(facts),)  # noqa: E731 - attrgetter of one name gives no tuple
        else:
            getter = lambda facts: ()  # noqa: E731
        _FIELD_VALUES[kind] = getter
    return getter


def _field_names(kind: type) -> tuple[str, ...]:
    """A dataclass's field names (none for any other type), looked up once per type."""
    names = _FIELD_NAMES.get(kind)
    if names is None:
        names = tuple(member.name for member in fields(kind)) if is_dataclass(kind) else ()
        _FIELD_NAMES[kind] = names
    return names


def _name_delimiters(facts: object, *, field: str) -> list[Problem]:
    found: list[Problem] = []
    if isinstance(facts, Enum):
        return found
    if isinstance(facts, str):
        if _DELIMITERS.search(facts):
            found.append(Problem(field, f"{facts!r} contains an X12 separator (* : ^ ~)"))
        elif bad := _NOT_X12.search(facts):
            found.append(
                Problem(
                    field,
                    f"{facts!r} holds {bad.group()!r} (U+{ord(bad.group()):04X}), which X12 text "
                    "cannot carry: enter it as on the insurance card, in Latin letters",
                )
            )
    elif isinstance(facts, tuple):
        for index, item in enumerate(facts):
            found += _name_delimiters(item, field=f"{field}[{index}]")
    else:
        for name in _field_names(type(facts)):
            found += _name_delimiters(getattr(facts, name), field=f"{field}.{name}")
    return found
