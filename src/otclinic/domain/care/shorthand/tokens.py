"""Cutting a line of shorthand into words, each with its place in the line.

Every character that is not a space belongs to exactly one token, so that what the parser reads
and what it leaves unread together cover the line. `w/RW` is two words (`w/`, `RW`); `w/c` and
`w/o` stay one. A word of five letters or more that the table does not know but is one typo
(a letter missing, added, changed, or two swapped) from exactly one word it does know is read
as that word; between several, the one a dropped letter explains.
"""

import re
from collections.abc import Set
from dataclasses import dataclass

_TOKEN = re.compile(r"w/(?![co]\b)(?=\S)|[,;]|[^\s,;]+", re.IGNORECASE)
_EDGE = '().:!?"[]{}'


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int
    norm: str


def _normal(text: str) -> str:
    lowered = text.lower()
    stripped = lowered.strip(_EDGE)
    return stripped or lowered


def tokenize(text: str, *, vocabulary: Set[str], min_length: int) -> list[Token]:
    """The line's words, their spans, and their normal form (lower case, typos mended)."""
    tokens = []
    for match in _TOKEN.finditer(text):
        norm = _normal(match.group())
        if len(norm) >= min_length and norm.isalpha() and norm not in vocabulary:
            norm = _mended(norm, vocabulary)
        tokens.append(Token(match.group(), match.start(), match.end(), norm))
    return tokens


def _mended(word: str, vocabulary: Set[str]) -> str:
    near = [v for v in vocabulary if abs(len(v) - len(word)) <= 1 and damerau_within_one(word, v)]
    if len(near) > 1:
        # Letters are dropped more often than added ("reachr"): prefer the one longer word.
        near = [v for v in near if len(v) > len(word)]
    return near[0] if len(near) == 1 else word


def damerau_within_one(a: str, b: str) -> bool:
    """Whether `b` is `a` with at most one letter missing, added, changed, or two swapped."""
    if a == b:
        return True
    if len(a) > len(b):
        a, b = b, a
    if len(b) - len(a) > 1:
        return False
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        swapped = i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i]
        return a[i + 1 :] == b[i + 1 :] or (swapped and a[i + 2 :] == b[i + 2 :])
    return a[i:] == b[i + 1 :]
