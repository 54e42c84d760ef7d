"""Identifiers the practice exchanges with payers: the NPI and the member id.

NPI check digit: the Luhn formula over the prefix 80840 followed by the first nine digits of the
NPI (CMS, "Requirements for National Provider Identifier (NPI) and NPI Enumeration", sec. 3).
"""

import re

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
