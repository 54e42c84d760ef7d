"""One way to turn a decision into bytes, shared by the CLI, the HTTP API and the screens.

The contracts promise that the same input gives the same bytes through every door, so every
door serialises through `dump_bytes` and nothing else.
"""

import json
from typing import Any


def dump_bytes(document: Any) -> bytes:
    """Canonical JSON: keys in the order the contract lists them, two-space indent, final newline."""
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def load_document(raw: bytes | str) -> tuple[Any, list[str]]:
    """Parse JSON input; on failure, no document and one problem naming where it broke."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError:
        return None, ["input: is not UTF-8 text"]
    try:
        return json.loads(text), []
    except json.JSONDecodeError as exc:
        return None, [f"input: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"]
