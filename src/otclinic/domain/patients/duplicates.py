"""Whether two patients' names may be the same person's, spelled or heard differently.

The front desk is warned (never refused) when a new patient shares a birth date with one on
file and the names agree by sound (metaphone: "Sydney" and "Sidney") or nearly by spelling
(Jaro-Winkler similarity of at least `SPELLING_SIMILARITY`: "Catherine" and "Cathrine").
Either order of first and last name counts, as a form filled in the wrong boxes would give.
"""

from dataclasses import dataclass

import jellyfish

SPELLING_SIMILARITY = 0.88


@dataclass(frozen=True)
class Name:
    first: str
    last: str


def _clean(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalpha())


def same_sounding(a: str, b: str) -> bool:
    """Whether two single names are one name heard or spelled two ways."""
    a, b = _clean(a), _clean(b)
    if not a or not b:
        return False
    if a == b or jellyfish.metaphone(a) == jellyfish.metaphone(b):
        return True
    return jellyfish.jaro_winkler_similarity(a, b) >= SPELLING_SIMILARITY


def names_may_match(a: Name, b: Name) -> bool:
    """Whether two patients' names may be one person's: both names agree, in either order."""
    straight = same_sounding(a.first, b.first) and same_sounding(a.last, b.last)
    swapped = same_sounding(a.first, b.last) and same_sounding(a.last, b.first)
    return straight or swapped
