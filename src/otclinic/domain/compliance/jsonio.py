"""One way to turn a decision into bytes, shared by the CLI, the HTTP API and the screens, and
one way to read JSON input, shared by every door that takes JSON (the checks' CLI and HTTP doors
and the JSON API's bodies).

The contracts promise that the same input gives the same bytes through every door, so every
door serialises through `dump_bytes` and nothing else, and reads through `load_document`, which
answers bad input with problems naming where it is, never an exception: nesting deeper than
MAX_DEPTH (Python's parser would raise RecursionError), an integer longer than MAX_INT_DIGITS
(ValueError past 4,300 digits), NaN or Infinity (not JSON), and text no database can keep (a NUL
character, half of a surrogate pair).
"""

import json
import re
from collections.abc import Iterator
from typing import Any

MAX_DEPTH = 64  # arrays and objects inside one another; the contracts' documents use five
MAX_INT_DIGITS = 50  # no count or amount in any contract comes near

# A JSON string (even one left open) or a bracket: what nesting is counted from.
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"?|[\[\]{}]')
_SURROGATE = re.compile("[\ud800-\udfff]")


class _NotAllowed(ValueError):
    """A number or constant `load_document` refuses, found while parsing."""


def dump_bytes(document: Any) -> bytes:
    """Canonical JSON: keys in the order the contract lists them, two-space indent, final newline."""
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def load_document(raw: bytes | str) -> tuple[Any, list[str]]:
    """Parse JSON input; on failure, no document and one problem naming where it broke."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError:
        return None, ["input: is not UTF-8 text"]
    too_deep = _too_deep(text)
    if too_deep:
        return None, [too_deep]
    try:
        document = json.loads(text, parse_int=_bounded_int, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        return None, [f"input: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"]
    except _NotAllowed as exc:
        return None, [f"input: {exc}"]
    problems = text_problems(document)
    return (None, problems) if problems else (document, [])


def text_problems(document: Any) -> list[str]:
    """Each string (key or value) in a parsed document that no database can store, by path in
    document order: `lines[0].code: holds a NUL character` (a NUL in a path shows as \\0)."""
    problems = []
    for path, text in _strings(document):
        where = path.replace("\x00", "\\0") or "input"
        if "\x00" in text:
            problems.append(f"{where}: holds a NUL character, which cannot be stored")
        elif _SURROGATE.search(text):
            problems.append(f"{where}: holds half of a surrogate pair, not text")
    return problems


def _strings(document: Any) -> Iterator[tuple[str, str]]:
    """(path, string) for every key and string value, in document order, without recursion
    (nesting is bounded, but a walk need not rely on it). A key is a string at its own path."""
    stack: list[tuple[str, Any, bool]] = [("", document, False)]
    while stack:
        path, value, is_key = stack.pop()
        if is_key or isinstance(value, str):
            yield path, value
        elif isinstance(value, dict):
            for key, item in reversed(value.items()):
                child = f"{path}.{key}" if path else str(key)
                stack.append((child, item, False))
                stack.append((child, key, True))
        elif isinstance(value, list):
            for index in range(len(value) - 1, -1, -1):
                stack.append((f"{path}[{index}]", value[index], False))


def _too_deep(text: str) -> str | None:
    """A problem naming where the nesting passes MAX_DEPTH, counted before parsing."""
    depth = 0
    for token in _TOKENS.finditer(text):
        bracket = token.group()
        if bracket in ("[", "{"):
            depth += 1
            if depth > MAX_DEPTH:
                at = token.start()
                line = text.count("\n", 0, at) + 1
                column = at - text.rfind("\n", 0, at)
                return (
                    f"input: nested deeper than {MAX_DEPTH} arrays and objects at line {line}"
                    f" column {column}"
                )
        elif bracket in ("]", "}"):
            depth -= 1
    return None


def _bounded_int(digits: str) -> int:
    length = len(digits.lstrip("-"))
    if length > MAX_INT_DIGITS:
        raise _NotAllowed(
            f"a number of {length} digits is too long (at most {MAX_INT_DIGITS} digits)"
        )
    return int(digits)


def _no_constant(name: str) -> Any:
    raise _NotAllowed(f"{name} is not a JSON number")
