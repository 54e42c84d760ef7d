"""The table of codes the billing check knows (rules/billing_codes.yaml).

A code that is well formed but not in the table is treated as untimed, one unit, and reported,
so that a new code never silently earns timed units.
"""

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from otclinic.domain.billing.yamlfile import read_yaml

CODE_PATTERN = re.compile(r"^(?:[0-9]{5}|[0-9]{4}[FTU]|[A-V][0-9]{4})$")


class CodeKind(StrEnum):
    """How a code earns units."""

    TIMED = "timed"
    UNTIMED = "untimed"
    CAREGIVER = "caregiver"


@dataclass(frozen=True, slots=True)
class CodeInfo:
    """What the billing check knows about one code."""

    code: str
    kind: CodeKind
    summary: str = ""
    group: str | None = None
    family: str | None = None
    role: str | None = None
    discipline: str | None = None
    medicare: str | None = None
    replacement: str | None = None
    effective_from: date | None = None
    known: bool = True

    @property
    def is_evaluation(self) -> bool:
        return self.group in {"evaluation", "reevaluation"}


def unknown_code(code: str) -> CodeInfo:
    """The stand-in for a well-formed code that is not in the table."""
    return CodeInfo(code=code, kind=CodeKind.UNTIMED, known=False)


def load_codebook(path: Path) -> dict[str, CodeInfo]:
    """Read a code table in the format of rules/billing_codes.yaml."""
    data = read_yaml(path)
    return {str(code): _code_info(str(code), raw) for code, raw in data["codes"].items()}


def _code_info(code: str, raw: dict[str, Any]) -> CodeInfo:
    effective = raw.get("effective_from")
    return CodeInfo(
        code=code,
        kind=CodeKind(raw["kind"]),
        summary=str(raw.get("summary", "")),
        group=raw.get("group"),
        family=raw.get("family"),
        role=raw.get("role"),
        discipline=raw.get("discipline"),
        medicare=raw.get("medicare"),
        replacement=raw.get("replacement"),
        effective_from=effective if isinstance(effective, date) else None,
    )
