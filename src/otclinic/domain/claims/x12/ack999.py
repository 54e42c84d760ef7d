"""Reading a 999 implementation acknowledgment (X12 005010X231A1).

A clearinghouse answers each functional group of our 837P with one 999 transaction set: AK1
names the group, each AK2 loop one of its transaction sets with its errors (IK3 segment, IK4
element, CTX context) and its verdict (IK5), and AK9 the group's verdict and counts. Every code
comes back with its words (`code_lists`).

`read_999(text)` returns an `ImplementationAcknowledgment` or raises `X12ReadError` naming the
segment; `acknowledgment_as_json` gives its JSON form.
"""

from dataclasses import dataclass
from typing import Any

from otclinic.domain.claims.x12.code_lists import Coded, CodeList, coded, coded_or_none
from otclinic.domain.claims.x12.era_envelope import EnvelopeRules
from otclinic.domain.claims.x12.inbound import Reading, open_interchange
from otclinic.domain.claims.x12.tokens import Segment, X12ReadError

RULES = EnvelopeRules(
    set_ids=frozenset({"999"}),
    group_ids=frozenset({"FA"}),
    what="999 implementation acknowledgment",
    error=X12ReadError,
    lenient=True,
)


@dataclass(frozen=True, slots=True)
class ElementError:
    """IK4: an element in error: its position in the segment (IK401, "2" or "5:1"), its data
    element reference number (IK402), the error (IK403) and the bad value (IK404)."""

    position: str
    reference: str | None
    error: Coded
    bad_value: str | None
    context: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SegmentError:
    """IK3: a segment in error: its id (IK301), position in the transaction set counting ST as
    1 (IK302), loop (IK303), the error (IK304), any CTX context, and its element errors."""

    segment_id: str
    position: int | None
    loop: str | None
    error: Coded | None
    context: tuple[str, ...]
    elements: tuple[ElementError, ...]


@dataclass(frozen=True, slots=True)
class SetResponse:
    """AK2 .. IK5: the verdict on one of our transaction sets (by ST01 and ST02)."""

    set_id: str
    control_number: str
    version: str | None
    status: Coded
    errors: tuple[Coded, ...]
    segment_errors: tuple[SegmentError, ...]

    @property
    def accepted(self) -> bool:
        """Accepted, with or without noted errors (IK501 A or E)."""
        return self.status.code in {"A", "E"}


@dataclass(frozen=True, slots=True)
class GroupResponse:
    """AK1 .. AK9: the verdict on one of our functional groups (by GS06)."""

    functional_id: Coded
    group_control_number: str
    version: str | None
    status: Coded
    sets_included: int | None
    sets_received: int | None
    sets_accepted: int | None
    errors: tuple[Coded, ...]
    transactions: tuple[SetResponse, ...]


@dataclass(frozen=True, slots=True)
class ImplementationAcknowledgment:
    """Every group response in the file and the warnings worth a person's attention."""

    groups: tuple[GroupResponse, ...]
    warnings: tuple[str, ...]


def read_999(text: str) -> ImplementationAcknowledgment:
    """Every 999 transaction set in `text`."""
    interchange = open_interchange(text, RULES)
    reading = Reading(interchange.separators, interchange.warnings)
    groups = tuple(_read_set(interchange.body(location), reading) for location in interchange.sets)
    return ImplementationAcknowledgment(groups, tuple(reading.warnings))


class _SetBuilder:
    __slots__ = ("ak2", "context", "segment_errors")

    def __init__(self, ak2: Segment) -> None:
        self.ak2 = ak2
        self.segment_errors: list[SegmentError] = []
        self.context: list[str] = []


def _read_set(body: list[Segment], reading: Reading) -> GroupResponse:
    st = body[0]
    ak1: Segment | None = None
    ak9: Segment | None = None
    done: list[SetResponse] = []
    open_set: _SetBuilder | None = None
    for segment in body[1:-1]:
        tag = segment.tag
        if tag == "AK1":
            ak1 = segment
        elif tag == "AK2":
            _unfinished(open_set)
            open_set = _SetBuilder(segment)
        elif tag in {"IK3", "IK4", "CTX"}:
            _read_error(_inside(open_set, segment), segment, reading)
        elif tag == "IK5":
            done.append(_finish(_inside(open_set, segment), segment))
            open_set = None
        elif tag == "AK9":
            _unfinished(open_set)
            ak9 = segment
        else:
            reading.warn(segment, f"{tag} is not a 999 segment; skipped")
    if ak1 is None or ak9 is None:
        missing = "AK1" if ak1 is None else "AK9"
        raise X12ReadError(f"{st.where()}: the 999 transaction set {st.get(2)} has no {missing}")
    return _group(ak1, ak9, tuple(done))


def _inside(open_set: _SetBuilder | None, segment: Segment) -> _SetBuilder:
    if open_set is None:
        raise X12ReadError(
            f"{segment.where()}: {segment.tag} outside an AK2 loop (no AK2 before it)"
        )
    return open_set


def _unfinished(open_set: _SetBuilder | None) -> None:
    if open_set is not None:
        ak2 = open_set.ak2
        raise X12ReadError(f"{ak2.where()}: the AK2 loop for {ak2.get(2)} has no IK5 verdict")


def _read_error(builder: _SetBuilder, segment: Segment, reading: Reading) -> None:
    """IK3 opens a segment error; IK4 adds an element error to it; CTX adds context to the
    last of them."""
    if segment.tag == "IK3":
        builder.segment_errors.append(
            SegmentError(
                segment_id=segment.get(1),
                position=int(segment.get(2)) if segment.get(2).isdigit() else None,
                loop=segment.get(3) or None,
                error=coded_or_none(CodeList.SEGMENT_ERRORS, segment.get(4)),
                context=(),
                elements=(),
            )
        )
        return
    if not builder.segment_errors:
        reading.warn(segment, f"{segment.tag} before any IK3 in this AK2 loop; skipped")
        return
    last = builder.segment_errors[-1]
    if segment.tag == "IK4":
        element = ElementError(
            position=segment.get(1),
            reference=segment.get(2) or None,
            error=coded(CodeList.ELEMENT_ERRORS, segment.get(3)),
            bad_value=segment.get(4) or None,
            context=(),
        )
        builder.segment_errors[-1] = _replace(last, elements=(*last.elements, element))
    else:
        builder.segment_errors[-1] = _with_context(last, _context_text(segment, reading))


def _context_text(segment: Segment, reading: Reading) -> str:
    """CTX as a person reads it: "CLM01 = PCN0001" or "SITUATIONAL TRIGGER at NM1 12"."""
    first = reading.components(segment, 1)
    name, value = first[0], first[1] if len(first) > 1 else ""
    text = f"{name} = {value}" if value else name
    if segment.get(2):
        text += f" at {segment.get(2)} {segment.get(3)}".rstrip()
    return text


def _with_context(last: SegmentError, text: str) -> SegmentError:
    """CTX after an IK4 belongs to that element; after IK3, to the segment."""
    if last.elements:
        element = last.elements[-1]
        element = ElementError(
            element.position,
            element.reference,
            element.error,
            element.bad_value,
            (*element.context, text),
        )
        return _replace(last, elements=(*last.elements[:-1], element))
    return _replace(last, context=(*last.context, text))


def _replace(
    error: SegmentError,
    *,
    elements: tuple[ElementError, ...] | None = None,
    context: tuple[str, ...] | None = None,
) -> SegmentError:
    return SegmentError(
        error.segment_id,
        error.position,
        error.loop,
        error.error,
        error.context if context is None else context,
        error.elements if elements is None else elements,
    )


def _finish(builder: _SetBuilder, ik5: Segment) -> SetResponse:
    ak2 = builder.ak2
    return SetResponse(
        set_id=ak2.get(1),
        control_number=ak2.get(2),
        version=ak2.get(3) or None,
        status=coded(CodeList.ACK_STATUS, ik5.get(1)),
        errors=tuple(coded(CodeList.SET_ERRORS, ik5.get(i)) for i in range(2, 7) if ik5.get(i)),
        segment_errors=tuple(builder.segment_errors),
    )


def _group(ak1: Segment, ak9: Segment, transactions: tuple[SetResponse, ...]) -> GroupResponse:
    def count(index: int) -> int | None:
        raw = ak9.get(index)
        return int(raw) if raw.isdigit() else None

    return GroupResponse(
        functional_id=coded(CodeList.FUNCTIONAL_IDS, ak1.get(1)),
        group_control_number=ak1.get(2),
        version=ak1.get(3) or None,
        status=coded(CodeList.ACK_STATUS, ak9.get(1)),
        sets_included=count(2),
        sets_received=count(3),
        sets_accepted=count(4),
        errors=tuple(coded(CodeList.GROUP_ERRORS, ak9.get(i)) for i in range(5, 10) if ak9.get(i)),
        transactions=transactions,
    )


def acknowledgment_as_json(acknowledgment: ImplementationAcknowledgment) -> dict[str, Any]:
    """The 999 as a JSON document: every code as {"code", "words"}."""
    return {
        "type": "999",
        "groups": [_group_json(group) for group in acknowledgment.groups],
    }


def _group_json(group: GroupResponse) -> dict[str, Any]:
    return {
        "functional_id": group.functional_id.as_json(),
        "group_control_number": group.group_control_number,
        "version": group.version,
        "status": group.status.as_json(),
        "sets_included": group.sets_included,
        "sets_received": group.sets_received,
        "sets_accepted": group.sets_accepted,
        "errors": [error.as_json() for error in group.errors],
        "transactions": [_set_json(response) for response in group.transactions],
    }


def _set_json(response: SetResponse) -> dict[str, Any]:
    return {
        "set_id": response.set_id,
        "control_number": response.control_number,
        "version": response.version,
        "status": response.status.as_json(),
        "accepted": response.accepted,
        "errors": [error.as_json() for error in response.errors],
        "segment_errors": [
            {
                "segment_id": error.segment_id,
                "position": error.position,
                "loop": error.loop,
                "error": error.error.as_json() if error.error else None,
                "context": list(error.context),
                "elements": [
                    {
                        "position": element.position,
                        "reference": element.reference,
                        "error": element.error.as_json(),
                        "bad_value": element.bad_value,
                        "context": list(element.context),
                    }
                    for element in error.elements
                ],
            }
            for error in response.segment_errors
        ],
    }
