"""The envelopes around X12 transaction sets: ISA/IEA interchanges, GS/GE groups, ST/SE sets.

`walk_envelopes(segments, rules)` checks the nesting and every control count and control number
(SE01 segments, GE01 transaction sets, IEA01 groups; SE02 = ST02, GE02 = GS06, IEA02 = ISA13)
and returns where each transaction set is (its GS, ST and SE), in file order. `EnvelopeRules`
says which transaction set and functional group the reader expects, and whether a wrong count
or control number is fatal (the 835 reader) or a warning (the lenient clearinghouse readers,
`x12/inbound.py`): a damaged nesting (an ST with no SE, a file that ends early) is always fatal.

`transaction_sets(segments)` is the 835 reader's call: everything fatal, GS01 must be HP.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

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


@dataclass(frozen=True, slots=True)
class EnvelopeRules:
    """What a reader expects of the envelopes.

    `set_ids`: the ST01 values it reads; `group_ids`: the GS01 functional identifier codes that
    go with them; `what`: how messages name the file ("835 remittance"); `error`: the exception
    raised; `lenient`: when true, a wrong GS01, count or control number goes to `warn` instead of
    being raised.
    """

    set_ids: frozenset[str]
    group_ids: frozenset[str]
    what: str
    error: type[ValueError]
    lenient: bool = False


@dataclass(frozen=True, slots=True)
class SetLocation:
    """Where one transaction set is: the indexes (0-based) of its GS, ST and SE."""

    group: int
    start: int
    end: int


ERA_RULES = EnvelopeRules(
    set_ids=frozenset({"835"}),
    group_ids=frozenset({"HP"}),
    what="835 remittance",
    error=EraError,
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
    """Each 835 ST..SE run in the file (the indexes of its ST and SE), after checking the
    envelopes around it."""
    return [(found.start, found.end) for found in walk_envelopes(segments, ERA_RULES, _never)]


def _never(message: str) -> None:
    """The warning sink of strict rules, which raise instead of warning."""
    raise AssertionError(message)  # pragma: no cover


class _Walk:
    """One pass over a file's envelopes under one set of rules."""

    def __init__(self, segments: Segments, rules: EnvelopeRules, warn: Callable[[str], None]):
        self.segments = segments
        self.rules = rules
        self.warn = warn
        self.found: list[SetLocation] = []

    def fail(self, message: str) -> ValueError:
        return self.rules.error(message)

    def problem(self, message: str) -> None:
        """A wrong count, control number or GS01: fatal unless the rules are lenient."""
        if not self.rules.lenient:
            raise self.fail(message)
        self.warn(message)


def walk_envelopes(
    segments: Segments, rules: EnvelopeRules, warn: Callable[[str], None]
) -> list[SetLocation]:
    """Each transaction set in the file, after checking the envelopes around it."""
    walk = _Walk(segments, rules, warn)
    cursor = 0
    while cursor < len(segments):
        cursor = _interchange(walk, cursor)
    return walk.found


def _interchange(walk: _Walk, start: int) -> int:
    segments = walk.segments
    isa = segments.segment(start)
    if isa.tag != "ISA":
        raise walk.fail(f"{_where(isa)}: expected ISA to start an interchange after IEA")
    tags = segments.tags
    cursor, groups = start + 1, 0
    while cursor < len(tags) and tags[cursor] in {"GS", "TA1"}:
        # TA1, an interchange acknowledgment, may sit beside the groups (pyx12 writes one).
        if tags[cursor] == "TA1":
            cursor += 1
            continue
        cursor = _group(walk, cursor)
        groups += 1
    iea = _expect(walk, cursor, "IEA", f"interchange {isa.get(13)} opened at {isa.where()}")
    _check_count(walk, iea, groups, "functional groups")
    _check_control(walk, iea, 2, isa, 13)
    return cursor + 1


def _group(walk: _Walk, start: int) -> int:
    segments, rules = walk.segments, walk.rules
    gs = segments.segment(start)
    if gs.get(1) not in rules.group_ids:
        expected = " or ".join(sorted(rules.group_ids))
        walk.problem(
            f'{gs.where()}: GS01 is "{gs.get(1)}", not {expected}: this is not'
            f" {_article(rules.what)} {rules.what} file"
        )
    tags = segments.tags
    cursor, sets = start + 1, 0
    while cursor < len(tags) and tags[cursor] == "ST":
        cursor = _transaction(walk, start, cursor)
        sets += 1
    ge = _expect(walk, cursor, "GE", f"group {gs.get(6)} opened at {gs.where()}")
    _check_count(walk, ge, sets, "transaction sets")
    _check_control(walk, ge, 2, gs, 6)
    return cursor + 1


def _transaction(walk: _Walk, group: int, start: int) -> int:
    segments, rules = walk.segments, walk.rules
    st = segments.segment(start)
    if st.get(1) not in rules.set_ids:
        raise walk.fail(
            f'{st.where()}: ST01 is "{st.get(1)}", not {" or ".join(sorted(rules.set_ids))}:'
            f" this reader reads the {rules.what} only"
        )
    tags = segments.tags
    cursor = start + 1
    end = len(tags)
    while cursor < end:
        tag = tags[cursor]
        if tag in _ENVELOPE:
            break
        if tag not in _KNOWN and not _TAG.fullmatch(tag):
            raise walk.fail(
                f"{_where(segments.segment(cursor))}: missing or invalid segment identifier {tag!r}"
            )
        cursor += 1
    se = _expect(walk, cursor, "SE", f"transaction set {st.get(2)} opened at {st.where()}")
    _check_count(walk, se, cursor - start + 1, "segments")
    _check_control(walk, se, 2, st, 2)
    walk.found.append(SetLocation(group, start, cursor))
    return cursor + 1


def _expect(walk: _Walk, index: int, tag: str, opened: str) -> Segment:
    segments = walk.segments
    if index >= len(segments):
        after = len(segments) + 1
        raise walk.fail(
            f"segment {after}: the file ends before {tag} closes {opened} (is it truncated?)"
        )
    segment = segments.segment(index)
    if segment.tag != tag:
        raise walk.fail(f"{_where(segment)}: expected {tag} to close {opened}")
    return segment


def _check_count(walk: _Walk, closer: Segment, actual: int, what: str) -> None:
    declared = closer.get(1)
    if declared != str(actual):
        walk.problem(
            f'{closer.where()}: {closer.tag}01 says "{declared}" {what}, the file has {actual}'
        )


def _check_control(
    walk: _Walk, closer: Segment, index: int, opener: Segment, opener_index: int
) -> None:
    if closer.get(index).strip() != opener.get(opener_index).strip():
        walk.problem(
            f'{closer.where()}: {closer.tag}{index:02d} "{closer.get(index)}" does not match'
            f' {opener.tag}{opener_index:02d} "{opener.get(opener_index)}" at {opener.where()}'
        )


def _article(what: str) -> str:
    """ "an 835", "a 999": the article a number read aloud takes."""
    return "an" if what.startswith(("8", "11", "18")) else "a"


def _where(segment: Segment) -> str:
    """Name a segment even when its identifier is garbage."""
    tag = segment.tag if _TAG.fullmatch(segment.tag) else "?"
    return f"segment {segment.position} ({tag})"
