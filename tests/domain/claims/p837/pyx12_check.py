"""Validate X12 text with pyx12 4.0.0 through its Python API and read its JSON error report.

The `x12valid` command's exit status is the same for valid and invalid files, so the tests read
the report itself (every error at interchange, group, transaction, segment and element level)
and the 999 acknowledgment pyx12 writes.
"""

import io
import json
import logging
from dataclasses import dataclass
from typing import Any

import pyx12.params
import pyx12.x12n_document


@dataclass(frozen=True)
class Pyx12Result:
    errors: list[str]
    acknowledgment: str

    @property
    def accepted(self) -> bool:
        """The 999 accepts every transaction set (IK5*A) and the group (AK9*A)."""
        segments = [s.strip() for s in self.acknowledgment.split("~") if s.strip()]
        ik5 = [s for s in segments if s.startswith("IK5*")]
        ak9 = [s for s in segments if s.startswith("AK9*")]
        return bool(ik5) and all(s == "IK5*A" for s in ik5) and [s[:5] for s in ak9] == ["AK9*A"]


def validate(text: str) -> Pyx12Result:
    """Run pyx12 over `text`; quiet its logger, which prints every error to stderr."""
    report, acknowledgment = _run(text)
    return Pyx12Result(errors=report_errors(report), acknowledgment=acknowledgment)


def _run(text: str) -> tuple[dict[str, Any], str]:
    report = io.StringIO()
    acknowledgment = io.StringIO()
    logger = logging.getLogger("pyx12")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        pyx12.x12n_document.x12n_document(
            param=pyx12.params.params(),
            src_file=io.StringIO(text),
            fd_997=acknowledgment,
            fd_html=None,
            fd_json=report,
        )
    finally:
        logger.setLevel(level)
    return json.loads(report.getvalue()), acknowledgment.getvalue()


def report_errors(report: dict[str, Any]) -> list[str]:
    """Every error in pyx12's JSON report, with the line it was found on."""
    found: list[str] = []
    for interchange in report.get("interchanges", []):
        found += _errors(interchange, "ISA")
        for group in interchange.get("groups", []):
            found += _errors(group, "GS")
            for transaction in group.get("transactions", []):
                found += _errors(transaction, "ST")
                for segment in transaction.get("segments", []):
                    where = f"line {segment.get('cur_line')} {segment.get('seg_id')}"
                    found += _errors(segment, where)
                    for element in segment.get("elements", []):
                        found += _errors(element, where)
    return found


def _errors(node: dict[str, Any], where: str) -> list[str]:
    return [f"{where}: {error.get('err_str')}" for error in node.get("errors", [])]


def assert_passes(text: str) -> None:
    """pyx12 reports no error at any level and its 999 accepts everything."""
    result = validate(text)
    assert result.errors == []
    assert result.accepted, result.acknowledgment


def assert_valid_acknowledgment(text: str) -> None:
    """For a 999 or 277, which pyx12 validates against its map but never acknowledges: no
    error at any level, and every transaction set validated with its verdict "A"."""
    report, _ = _run(text)
    assert report_errors(report) == []
    verdicts = [
        transaction.get("ack_code")
        for interchange in report.get("interchanges", [])
        for group in interchange.get("groups", [])
        for transaction in group.get("transactions", [])
    ]
    assert verdicts, "pyx12 validated no transaction set"
    assert set(verdicts) == {"A"}, verdicts
