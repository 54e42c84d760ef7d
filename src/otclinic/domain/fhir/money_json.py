"""FHIR JSON with money carried exactly: a `Decimal` is written as a JSON number with the same
digits (`Decimal("1234.50")` -> `1234.50`), never through a float.

FHIR's `decimal` keeps its precision ("the precision of the decimal value has significance",
R4 sec. 2.24.0.1), and a float would turn 0.1 + 0.2 into 0.30000000000000004. The standard
library's C encoder writes only floats as numbers, so each Decimal goes out as a string that
carries a marker no record can contain (random, drawn per call), and the quotes and marker are
then taken off: the rest of the document is encoded by `json.dumps` as before.
"""

import json
import re
import secrets
from decimal import Decimal
from typing import Any


def decimal_number(value: Decimal) -> str:
    """The JSON number for `value`, digit for digit, without an exponent."""
    if not value.is_finite():
        raise ValueError(f"JSON has no number for {value}")
    return format(value, "f")


def dumps(document: Any, **options: Any) -> str:
    """`json.dumps(document, **options)`, with each Decimal as an exact JSON number."""
    marker = f"dec{secrets.token_hex(12)}:"

    def default(value: Any) -> str:
        if isinstance(value, Decimal):
            return marker + decimal_number(value)
        raise TypeError(f"{type(value).__name__} is not JSON serializable")

    text = json.dumps(document, default=default, **options)
    return re.sub(f'"{marker}(-?[0-9]+(?:\\.[0-9]+)?)"', r"\1", text)
