"""The lowest layer of X12: the separators an interchange declares and its segments, numbered.

Shared by the 835 reader and the 837P writer. The API is deliberately small:

- `Separators`: the four delimiters; `Separators.from_isa(text)` reads them from the ISA segment
  (element = the character after "ISA", component = ISA16, repetition = ISA11 unless it is the
  old "U" placeholder, segment terminator = the character after ISA16).
- `split_segments(text)`: the segments of a whole interchange file, each a `Segment` with its
  1-based position in the file, its tag and its elements. Line breaks are layout and ignored
  (unless the segment terminator is itself a line break): X12 data never holds them, so they are
  never element or component separators either.
- `X12ReadError`: what every reader raises on a damaged file; `X12SyntaxError`, one of them, is raised, with a message naming the segment and position, when the text is not
  X12 at all or its ISA is truncated.

Nothing here knows about transaction sets; that is the reader's and the writer's business.
"""

from dataclasses import dataclass

_ISA_ELEMENTS = 16  # ISA01..ISA16
_LINE_BREAKS = "\r\n"


class X12ReadError(ValueError):
    """A file cannot be read as the X12 transaction it should be; the message names the segment
    and its position. Every reader's error is one (`EraError` for the 835)."""


class X12SyntaxError(X12ReadError):
    """The text cannot be split into X12 segments; the message says where and why."""


@dataclass(frozen=True, slots=True)
class Separators:
    """The delimiters of one interchange (X12.5 sec. 3.2: delimiters are set by the ISA)."""

    element: str = "*"
    component: str = ":"
    repetition: str | None = "^"
    segment: str = "~"

    @classmethod
    def from_isa(cls, text: str) -> "Separators":
        """Read the separators from the ISA segment at the start of `text`."""
        start = _isa_start(text)
        element = text[start + 3 : start + 4]
        if not element or element.isalnum() or element.isspace():
            raise X12SyntaxError("segment 1 (ISA): no element separator after ISA")
        fields, end = _isa_fields(text, start, element)
        component = fields[16] if len(fields[16]) == 1 else ""
        terminator = text[end : end + 1]
        if not component or not terminator:
            raise X12SyntaxError(
                "segment 1 (ISA): ISA is truncated (no ISA16 or no segment terminator)"
            )
        if component in _LINE_BREAKS:
            raise X12SyntaxError("segment 1 (ISA): ISA16 (component separator) is a line break")
        usable = (
            len(fields[11]) == 1 and not fields[11].isalnum() and fields[11] not in _LINE_BREAKS
        )
        repetition = fields[11] if usable else None
        return cls(element, component, repetition, terminator)


@dataclass(frozen=True, slots=True)
class Segment:
    """One segment: `elements[0]` is the tag, `elements[n]` the nth element (XXnn)."""

    position: int
    elements: tuple[str, ...]

    @property
    def tag(self) -> str:
        """The segment identifier, e.g. "CLP"."""
        return self.elements[0]

    def get(self, index: int) -> str:
        """Element `index` (1-based, as the implementation guide counts), or "" when absent."""
        return self.elements[index] if index < len(self.elements) else ""

    def where(self) -> str:
        """How messages name this segment: `segment 57 (CLP)`."""
        return f"segment {self.position} ({self.tag})"


_new = object.__new__
_set_position = Segment.__dict__["position"].__set__
_set_elements = Segment.__dict__["elements"].__set__


def make_segment(position: int, elements: tuple[str, ...]) -> Segment:
    """`Segment(position, elements)` without the frozen dataclass's `__init__` (a reader makes
    one per segment it reads, tens of thousands per file)."""
    segment: Segment = _new(Segment)
    _set_position(segment, position)
    _set_elements(segment, elements)
    return segment


def split_segments(text: str, separators: Separators | None = None) -> list[Segment]:
    """The non-empty segments of `text`, numbered from 1, separators read from its ISA if needed."""
    seps = separators or Separators.from_isa(text)
    element = seps.element
    return [
        make_segment(position, tuple(chunk.split(element)))
        for position, chunk in enumerate(segment_texts(text, seps), start=1)
    ]


def segment_texts(text: str, separators: Separators) -> list[str]:
    """The non-empty segments of `text` as text, in order: segment n is at index n - 1.

    For readers that split only the segments they use into elements (`split_segments` splits
    them all).
    """
    body = text[_isa_start(text) :]
    if separators.segment in _LINE_BREAKS:
        chunks = [chunk.strip(_LINE_BREAKS) for chunk in body.split(separators.segment)]
    else:
        # Line breaks can then only be layout between segments (X12 data never holds them).
        chunks = body.replace("\n", "").replace("\r", "").split(separators.segment)
    return list(filter(None, chunks))


def _isa_start(text: str) -> int:
    """Where ISA begins: after a byte-order mark or blank lines, never after anything else."""
    start = len(text) - len(text.lstrip("\ufeff \t\r\n"))
    if text[start : start + 3] != "ISA":
        found = text[start : start + 3].strip() or "nothing"
        raise X12SyntaxError(
            f"segment 1: not an X12 interchange (it must start with ISA, found {found!r})"
        )
    return start


def _isa_fields(text: str, start: int, element: str) -> tuple[list[str], int]:
    """ISA00..ISA16 and the index just past ISA16, found by counting element separators."""
    fields = ["ISA"]
    cursor = start + 4
    for _ in range(_ISA_ELEMENTS - 1):
        stop = text.find(element, cursor)
        if stop < 0:
            raise X12SyntaxError(
                f"segment 1 (ISA): ISA is truncated after ISA{len(fields) - 1:02d}"
            )
        fields.append(text[cursor:stop])
        cursor = stop + 1
    fields.append(text[cursor : cursor + 1])  # ISA16 is always one character
    return fields, cursor + 1
