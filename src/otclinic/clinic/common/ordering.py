"""Orders people expect from names that carry numbers."""

import re

_DIGITS = re.compile(r"(\d+)")


def natural_key(text: str) -> tuple[tuple[int, str | int], ...]:
    """A sort key that orders the numbers inside a name by value, case aside: "Treatment 2"
    before "Treatment 10" (a database's text order puts "10" first)."""
    return tuple(
        (1, int(part)) if part.isdigit() else (0, part.casefold())
        for part in _DIGITS.split(text)
        if part
    )
