"""Medical record numbers in the clinic's pattern: a prefix and a zero-padded number."""

import re

MRN_MAX_LENGTH = 20
_PREFIX = re.compile(r"^[A-Z0-9-]{0,10}$")
MIN_DIGITS, MAX_DIGITS = 3, 12


def pattern_problems(*, prefix: str, digits: int) -> dict[str, str]:
    """Why a prefix and a number width cannot make MRNs, by the setting at fault ("prefix",
    "digits"); empty when they can."""
    if not _PREFIX.match(prefix):
        return {"prefix": "use up to 10 capital letters, digits or dashes, such as OT-"}
    if not MIN_DIGITS <= digits <= MAX_DIGITS:
        return {"digits": f"choose between {MIN_DIGITS} and {MAX_DIGITS} digits"}
    if len(prefix) + digits > MRN_MAX_LENGTH:
        return {
            "prefix": f"the prefix and the digits together must fit in {MRN_MAX_LENGTH} characters"
        }
    return {}


def format_mrn(*, prefix: str, digits: int, number: int) -> str:
    """The MRN of the `number`th chart: `OT-000123` for prefix "OT-", 6 digits and 123."""
    if number < 1:
        raise ValueError(f"an MRN number starts at 1, not {number}")
    padded = f"{number:0{digits}d}"
    if len(padded) > digits:
        raise ValueError(f"{number} does not fit in {digits} digits")
    return f"{prefix}{padded}"
