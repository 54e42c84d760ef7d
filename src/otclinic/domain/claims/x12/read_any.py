"""One door for every X12 file the clearinghouse sends back: `read_x12(text)` looks at the
first transaction set's ST01 (and ST03 or GS08 for a 277) and reads the file as a 999, 277CA,
277, 271 or 835, returning its JSON form and warnings. Used by `otclinic x12 read`.
"""

from dataclasses import dataclass
from typing import Any

from otclinic.domain.claims.x12.ack999 import acknowledgment_as_json, read_999
from otclinic.domain.claims.x12.eligibility271 import read_271
from otclinic.domain.claims.x12.eligibility271_json import eligibility_as_json
from otclinic.domain.claims.x12.era import read_era, remittance_as_json
from otclinic.domain.claims.x12.inbound import decode, refuse_nul
from otclinic.domain.claims.x12.status277 import read_277
from otclinic.domain.claims.x12.status277_json import status_report_as_json
from otclinic.domain.claims.x12.tokens import (
    Separators,
    X12ReadError,
    X12SyntaxError,
    segment_texts,
)

READS = ("999", "277CA", "277", "271", "835")


@dataclass(frozen=True, slots=True)
class X12Document:
    """A file read: its kind ("999", "277CA", "277", "271", "835"), JSON form and warnings."""

    kind: str
    document: dict[str, Any]
    warnings: tuple[str, ...]


def read_x12(text: str) -> X12Document:
    """`text` read by the reader its first ST01 calls for; raises `X12ReadError` naming the
    segment when the file is damaged or is a transaction otclinic does not read."""
    set_id = first_set_id(text)
    if set_id == "999":
        ack = read_999(text)
        return X12Document("999", acknowledgment_as_json(ack), ack.warnings)
    if set_id == "277":
        report = read_277(text)
        return X12Document(report.kind, status_report_as_json(report), report.warnings)
    if set_id == "271":
        response = read_271(text)
        return X12Document("271", eligibility_as_json(response), response.warnings)
    remittance = read_era(text)
    return X12Document(
        "835", {"type": "835", **remittance_as_json(remittance)}, remittance.warnings
    )


def read_x12_bytes(raw: bytes) -> X12Document:
    """`read_x12` on a file's bytes (UTF-8, or ISO 8859-1)."""
    return read_x12(decode(raw))


def first_set_id(text: str) -> str:
    """ST01 of the file's first transaction set; `X12ReadError` when there is none to read."""
    refuse_nul(text, X12ReadError)
    try:
        separators = Separators.from_isa(text)
        texts = segment_texts(text, separators)
    except X12SyntaxError as exc:
        raise X12ReadError(str(exc)) from None
    for position, segment in enumerate(texts, start=1):
        elements = segment.split(separators.element)
        if elements[0] == "ST":
            set_id = elements[1] if len(elements) > 1 else ""
            if set_id not in {"999", "277", "271", "835"}:
                raise X12ReadError(
                    f'segment {position} (ST): ST01 "{set_id}" is not a transaction otclinic'
                    " reads (999, 277CA, 277, 271 or 835)"
                )
            return set_id
    raise X12ReadError(f"segment {len(texts) + 1}: the file holds no transaction set (no ST)")
