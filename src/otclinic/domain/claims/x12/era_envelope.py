"""The envelopes around 835 transactions: ISA/IEA interchanges, GS/GE groups, ST/SE sets.

`transaction_sets(segments)` checks the nesting and every control count and control number
(SE01 segments, GE01 transaction sets, IEA01 groups; SE02 = ST02, GE02 = GS06, IEA02 = ISA13)
and returns where each transaction set is, its ST and SE, in file order.
"""

import re

from otclinic.domain.claims.x12.era_values import EraError
from otclinic.domain.claims.x12.tokens import Segment, make_segment

_TAG = re.compile(r"[A-Z][A-Z0-9]{1,2}")
_ENVELOPE = frozenset({"ISA", "IEA", "GS", "GE", "ST", "SE"})
# The 835's own segments (005010X221A1), known good without a regular expression.
_KNOWN = frozenset(
    [
        "BPR",
        "TRN",
        "CUR",
        "REF",
        "DTM",
        "N1",
        "N3",
        "N4",
        "PER",
        "RDM",
        "LX",
        "TS3",
        "TS2",
        "CLP",
        "CAS",
        "NM1",
        "MIA",
        "MOA",
        "AMT",
        "QTY",
        "SVC",
        "LQ",
        "PLB",
    ]
)


class Segments:
    """A file's segments as text, with their identifiers; a segment's elements are split only
    when it is asked for (`segment(index)`), so segments nobody reads cost one `partition`."""

    __slots__ = ("element", "tags", "texts")

    def __init__(self, texts: list[str], element: str) -> None:
        self.texts = texts
        self.element = element
        self.tags = [text.partition(element)[0] for text in texts]

    def __len__(self) -> int:
        return len(self.texts)

    def segment(self, index: int) -> Segment:
        """The segment at `index` (0-based; its position in the file is index + 1)."""
        return make_segment(index + 1, tuple(self.texts[index].split(self.element)))


def transaction_sets(segments: Segments) -> list[tuple[int, int]]:
    """Each ST..SE run in the file (the indexes of its ST and SE), after checking the envelopes
    around it."""
    found: list[tuple[int, int]] = []
    cursor = 0
    while cursor < len(segments):
        cursor = _interchange(segments, cursor, found)
    return found


def _interchange(segments: Segments, start: int, found: list[tuple[int, int]]) -> int:
    isa = segments.segment(start)
    if isa.tag != "ISA":
        raise EraError(f"{_where(isa)}: expected ISA to start an interchange after IEA")
    tags = segments.tags
    cursor, groups = start + 1, 0
    while cursor < len(tags) and tags[cursor] == "GS":
        cursor = _group(segments, cursor, found)
        groups += 1
    iea = _expect(segments, cursor, "IEA", f"interchange {isa.get(13)} opened at {isa.where()}")
    _check_count(iea, groups, "functional groups")
    _check_control(iea, 2, isa, 13)
    return cursor + 1


def _group(segments: Segments, start: int, found: list[tuple[int, int]]) -> int:
    gs = segments.segment(start)
    if gs.get(1) != "HP":
        raise EraError(
            f'{gs.where()}: GS01 is "{gs.get(1)}", not HP (health care claim payment/advice):'
            " this is not an 835 remittance file"
        )
    tags = segments.tags
    cursor, sets = start + 1, 0
    while cursor < len(tags) and tags[cursor] == "ST":
        cursor = _transaction(segments, cursor, found)
        sets += 1
    ge = _expect(segments, cursor, "GE", f"group {gs.get(6)} opened at {gs.where()}")
    _check_count(ge, sets, "transaction sets")
    _check_control(ge, 2, gs, 6)
    return cursor + 1


def _transaction(segments: Segments, start: int, found: list[tuple[int, int]]) -> int:
    st = segments.segment(start)
    if st.get(1) != "835":
        raise EraError(
            f'{st.where()}: ST01 is "{st.get(1)}", not 835: this reader reads remittances only'
        )
    tags = segments.tags
    cursor = start + 1
    end = len(tags)
    while cursor < end:
        tag = tags[cursor]
        if tag in _ENVELOPE:
            break
        if tag not in _KNOWN and not _TAG.fullmatch(tag):
            raise EraError(
                f"{_where(segments.segment(cursor))}: missing or invalid segment identifier {tag!r}"
            )
        cursor += 1
    se = _expect(segments, cursor, "SE", f"transaction set {st.get(2)} opened at {st.where()}")
    _check_count(se, cursor - start + 1, "segments")
    _check_control(se, 2, st, 2)
    found.append((start, cursor))
    return cursor + 1


def _expect(segments: Segments, index: int, tag: str, opened: str) -> Segment:
    if index >= len(segments):
        after = len(segments) + 1
        raise EraError(
            f"segment {after}: the file ends before {tag} closes {opened} (is it truncated?)"
        )
    segment = segments.segment(index)
    if segment.tag != tag:
        raise EraError(f"{_where(segment)}: expected {tag} to close {opened}")
    return segment


def _check_count(closer: Segment, actual: int, what: str) -> None:
    declared = closer.get(1)
    if declared != str(actual):
        raise EraError(
            f'{closer.where()}: {closer.tag}01 says "{declared}" {what}, the file has {actual}'
        )


def _check_control(closer: Segment, index: int, opener: Segment, opener_index: int) -> None:
    if closer.get(index).strip() != opener.get(opener_index).strip():
        raise EraError(
            f'{closer.where()}: {closer.tag}{index:02d} "{closer.get(index)}" does not match'
            f' {opener.tag}{opener_index:02d} "{opener.get(opener_index)}" at {opener.where()}'
        )


def _where(segment: Segment) -> str:
    """Name a segment even when its identifier is garbage."""
    tag = segment.tag if _TAG.fullmatch(segment.tag) else "?"
    return f"segment {segment.position} ({tag})"
