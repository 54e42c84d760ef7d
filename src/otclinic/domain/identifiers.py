"""Identifiers the practice exchanges with payers: the NPI and the member id.

NPI check digit: the Luhn formula over the prefix 80840 followed by the first nine digits of the
NPI (CMS, "Requirements for National Provider Identifier (NPI) and NPI Enumeration", sec. 3).
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from otclinic.domain.billing.yamlfile import read_yaml

NPI_PREFIX = "80840"
_MEMBER_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{1,28}[A-Za-z0-9]$")


class InvalidIdentifier(ValueError):
    """An identifier that does not have the form its standard requires."""


def luhn_check_digit(digits: str) -> int:
    """The Luhn check digit that completes `digits`."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return (10 - total % 10) % 10


def npi_problem(npi: str) -> str | None:
    """Why `npi` is not a valid NPI, or None when it is."""
    if not re.fullmatch(r"\d{10}", npi or ""):
        return "an NPI is exactly 10 digits"
    if npi[0] not in "12":
        return "an NPI starts with 1 (individual) or 2 (organization)"
    expected = luhn_check_digit(NPI_PREFIX + npi[:9])
    if int(npi[9]) != expected:
        return (
            f"the check digit should be {expected}, not {npi[9]} (Luhn over 80840 + first 9 digits)"
        )
    return None


def is_valid_npi(npi: str) -> bool:
    return npi_problem(npi) is None


def npi_with_check_digit(first_nine: str) -> str:
    """A full NPI from its first nine digits, for generating synthetic providers."""
    if not re.fullmatch(r"[12]\d{8}", first_nine):
        raise InvalidIdentifier(
            f"an NPI starts with 1 or 2 and has 9 digits before the check digit: {first_nine!r}"
        )
    return first_nine + str(luhn_check_digit(NPI_PREFIX + first_nine))


def member_id_problem(member_id: str) -> str | None:
    """Why `member_id` cannot be a payer member id, or None when it can.

    X12 NM109 allows 2-80 characters; payers issue letters, digits and hyphens. We accept 3-30
    of those, starting and ending with a letter or digit, which every payer in our market fits.
    """
    if not _MEMBER_ID.fullmatch(member_id or ""):
        return "a member id is 3-30 letters, digits or hyphens, starting and ending with a letter or digit"
    return None


# Member id formats payers publish (rules/member_id_formats.yaml).
_MBI_LETTERS = "ACDEFGHJKMNPQRTUVWXY"  # never S, L, O, I, B or Z
_POSITION_CLASSES = {
    "N": ("0123456789", "a digit"),
    "C": ("123456789", "a digit from 1 to 9"),
    "A": (_MBI_LETTERS, "a letter other than S, L, O, I, B or Z"),
    "X": (_MBI_LETTERS + "0123456789", "a digit or a letter other than S, L, O, I, B or Z"),
}


@dataclass(frozen=True, slots=True)
class MemberIdFormat:
    """A published member id format: a character class for each position."""

    key: str
    name: str
    reference: str
    positions: str
    separators: str
    example: str

    def normalize(self, member_id: str) -> str:
        """The id as payers accept it on a claim: card separators out, letters in uppercase."""
        kept = "".join(ch for ch in member_id.strip() if ch not in self.separators)
        return kept.upper()

    def problem(self, member_id: str) -> str | None:
        """Why `member_id` (already normalized) does not have this format, or None."""
        if len(member_id) != len(self.positions):
            return (
                f"this member id is not a {self.name}: it has {len(member_id)} characters, "
                f"not {len(self.positions)} (e.g. {self.example})"
            )
        for index, (char, cls) in enumerate(zip(member_id, self.positions, strict=True)):
            allowed, words = _POSITION_CLASSES[cls]
            if char not in allowed:
                return (
                    f"this member id is not a {self.name}: character {index + 1} is {words}, "
                    f"not {char!r} (e.g. {self.example})"
                )
        return None


@lru_cache(maxsize=1)
def _formats() -> tuple[dict[str, MemberIdFormat], dict[str, str]]:
    data = read_yaml(Path(__file__).parent / "rules" / "member_id_formats.yaml")
    formats = {
        key: MemberIdFormat(
            key=key,
            name=str(entry["name"]),
            reference=str(entry["reference"]),
            positions=str(entry["positions"]),
            separators=str(entry.get("separators", "")),
            example=str(entry["example"]),
        )
        for key, entry in data["formats"].items()
    }
    for fmt in formats.values():
        unknown = set(fmt.positions) - set(_POSITION_CLASSES)
        if unknown or fmt.problem(fmt.example) is not None:
            raise ValueError(f"member_id_formats.yaml: format {fmt.key} is inconsistent")
    defaults = {str(plan): str(key) for plan, key in data["plan_defaults"].items()}
    if not set(defaults.values()) <= set(formats):
        raise ValueError("member_id_formats.yaml: a plan default names an unknown format")
    return formats, defaults


def member_id_formats() -> dict[str, MemberIdFormat]:
    """Every known format by key (for a payer's choice of format)."""
    return dict(_formats()[0])


def member_id_format_for(*, plan: str = "", format_key: str = "") -> MemberIdFormat | None:
    """The format a payer's member ids follow: its own choice, else its plan's default."""
    formats, defaults = _formats()
    key = format_key or defaults.get(plan, "")
    return formats.get(key)


def member_id_problem_for(member_id: str, *, plan: str = "", format_key: str = "") -> str | None:
    """Why `member_id` cannot be this payer's member id (the general form first, then the
    payer's published format), or None when it can."""
    fmt = member_id_format_for(plan=plan, format_key=format_key)
    if fmt is not None:
        return fmt.problem(member_id)
    return member_id_problem(member_id)
