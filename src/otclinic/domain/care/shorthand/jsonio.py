"""Shorthand lines in, one JSON object per line out: the door the CLI (and anyone) uses.

Input is UTF-8 text, one intervention a line, each at most `MAX_LINE_LENGTH` characters; blank
lines are skipped (the line numbers still count them). Bad input raises `InputProblems` with one
message per bad line, naming it, and nothing is read.
"""

import json
from typing import Any

from otclinic.domain.care.shorthand.lexicon import Lexicon
from otclinic.domain.care.shorthand.model import ShorthandLine, Writer
from otclinic.domain.care.shorthand.parse import parse_line
from otclinic.domain.compliance.findings import InputProblems

MAX_LINE_LENGTH = 500  # a line is one intervention; longer is pasted prose, not shorthand
MAX_LINES = 10_000


def line_as_json(line: ShorthandLine) -> dict[str, Any]:
    """The line's facts with the field names of the JSON answer."""
    caregiver = line.caregiver
    return {
        "text": line.text,
        "code": line.code,
        "category": line.category,
        "minutes": {
            "therapist": line.minutes.therapist,
            "assistant": line.minutes.assistant,
            "together": line.minutes.together,
        },
        "assist_level": line.assist_level,
        "devices": [d.equipment for d in line.devices],
        "device_words": [d.text for d in line.devices],
        "modifications": [
            {"modification": m.modification, "room": m.room} for m in line.modifications
        ],
        "caregiver": None
        if caregiver is None
        else {
            "who": caregiver.who,
            "topic": caregiver.topic,
            "return_demo": caregiver.return_demo,
        },
        "measures": [
            {"instrument": m.instrument, "value": str(m.value), "unit": m.unit}
            for m in line.measures
        ],
        "activity": line.activity,
        "dose": list(line.dose),
        "unread": list(line.unread),
    }


def input_lines(raw: bytes) -> list[tuple[int, str]]:
    """The numbered non-blank lines of the input; InputProblems naming each bad line."""
    problems: list[str] = []
    found: list[tuple[int, str]] = []
    for number, chunk in enumerate(raw.split(b"\n"), start=1):
        try:
            text = chunk.decode("utf-8").rstrip("\r")
        except UnicodeDecodeError as exc:
            problems.append(f"line {number}: not UTF-8 text (byte {exc.start + 1})")
            continue
        if len(text) > MAX_LINE_LENGTH:
            problems.append(
                f"line {number}: {len(text)} characters; a line is at most {MAX_LINE_LENGTH}"
            )
        elif "\x00" in text:
            problems.append(f"line {number}: holds a NUL character")
        elif text.strip():
            found.append((number, text))
    if len(found) > MAX_LINES:
        problems.append(f"{len(found)} lines; at most {MAX_LINES} at a time")
    if problems:
        raise InputProblems(problems)
    return found


def shorthand_json(raw: bytes, *, writer: Writer, lexicon: Lexicon | None = None) -> bytes:
    """One JSON object per non-blank input line (with its `line` number), newline-separated."""
    out = []
    for number, text in input_lines(raw):
        answer = {"line": number, **line_as_json(parse_line(text, writer=writer, lexicon=lexicon))}
        out.append(json.dumps(answer, ensure_ascii=False))
    return "".join(f"{o}\n" for o in out).encode("utf-8")
