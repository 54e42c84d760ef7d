"""What a rule reports: a finding with a stable id, a severity, the arithmetic and the source.

Rules only report. They never change a claim or a record; the caller decides what a finding
means for the user (an `error` blocks billing or signing, a `warning` needs a person's look,
an `info` explains a decision).
"""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Severity(StrEnum):
    """How much a finding matters (contracts/billing-check.md, "findings")."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Rule:
    """A rule's identity: what it is called, how severe it is by default, when it applies and why.

    `effective_from`/`effective_to` bound the dates of service the rule applies to (inclusive);
    None means open-ended.
    """

    rule_id: str
    severity: Severity
    citation: str
    summary: str
    effective_from: date | None = None
    effective_to: date | None = None
    # What the rule looks at, for `otclinic rules list --code`: kinds or groups of codes
    # ("timed", "untimed", "evaluation", "caregiver", "addon"...); empty: every billed code.
    applies_to: frozenset[str] = frozenset()
    # What a finding of this rule means for the patient or the claim and what to do, in the
    # user's words, where the finding's own message is technical (explain.py shows the message
    # and the citation behind "Why?"); empty: the message is already plain.
    plain: str = ""

    def in_force_on(self, day: date) -> bool:
        if self.effective_from and day < self.effective_from:
            return False
        return not (self.effective_to and day > self.effective_to)

    def finding(self, message: str, *, severity: Severity | None = None) -> "Finding":
        """A finding of this rule with the given message (the arithmetic, in plain words)."""
        # make_finding's body, inlined: rules make several findings per billing check.
        finding: Finding = _new(Finding)
        _set_rule_id(finding, self.rule_id)
        _set_severity(finding, severity or self.severity)
        _set_message(finding, message)
        _set_citation(finding, self.citation)
        return finding


@dataclass(frozen=True, slots=True)
class Finding:
    """One rule that fired, as the contracts print it."""

    rule_id: str
    severity: Severity
    message: str
    citation: str

    def as_json(self) -> dict[str, str]:
        return {
            "rule_id": self.rule_id,
            "severity": str(self.severity),
            "message": self.message,
            "citation": self.citation,
        }


_new = object.__new__
_set_rule_id = Finding.__dict__["rule_id"].__set__
_set_severity = Finding.__dict__["severity"].__set__
_set_message = Finding.__dict__["message"].__set__
_set_citation = Finding.__dict__["citation"].__set__


def make_finding(rule_id: str, severity: Severity, message: str, citation: str) -> Finding:
    """`Finding(rule_id, severity, message, citation)`, made without the frozen dataclass's
    `__init__`: the billing check makes several findings per visit, and filling the slots directly
    takes about half the time. The result is the same frozen, equal-comparing `Finding`.
    """
    finding: Finding = _new(Finding)
    _set_rule_id(finding, rule_id)
    _set_severity(finding, severity)
    _set_message(finding, message)
    _set_citation(finding, citation)
    return finding


def has_errors(findings: "list[Finding] | tuple[Finding, ...]") -> bool:
    # A plain loop: `any()` over a generator costs the billing check about 3% of its time.
    for finding in findings:  # noqa: SIM110
        if finding.severity is Severity.ERROR:
            return True
    return False


class InputProblems(ValueError):
    """Input that cannot be checked, with one message per problem naming its field.

    The CLI prints each on its own line and exits 2; the HTTP API answers 422 with them.
    """

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems
