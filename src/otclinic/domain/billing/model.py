"""The facts the billing check takes and the decision it gives (contracts/billing-check.md)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from otclinic.domain.codes import Discipline, PayerPlan, Setting, UnitMethod
from otclinic.domain.compliance.findings import Finding


@dataclass(frozen=True, slots=True)
class ServiceLine:
    """One input line: a code and who furnished how many minutes of it.

    `together_minutes` are minutes the therapist and the assistant furnished together; they
    count as the therapist's (CY2020 PFS final rule, de minimis standard).
    """

    code: str
    therapist_minutes: int = 0
    assistant_minutes: int = 0
    together_minutes: int = 0
    allowed_amount: Decimal | None = None
    separate_time_block: bool = False

    @property
    def minutes(self) -> int:
        return self.therapist_minutes + self.assistant_minutes + self.together_minutes


@dataclass(frozen=True, slots=True)
class Visit:
    """One patient's services in one discipline on one date of service."""

    date_of_service: date
    payer_plan: PayerPlan
    lines: tuple[ServiceLine, ...]
    unit_method: UnitMethod | None = None
    discipline: Discipline = Discipline.OT
    setting: Setting = Setting.PRIVATE_PRACTICE
    ytd_allowed: Decimal = Decimal("0.00")
    patient_present: bool = True
    caregiver_consent: bool = False


@dataclass(frozen=True, slots=True)
class ClaimLine:
    """What goes on the claim: a code, its units and its modifiers in claim order."""

    code: str
    units: int
    modifiers: tuple[str, ...]

    def as_json(self) -> dict[str, object]:
        return {"code": self.code, "units": self.units, "modifiers": list(self.modifiers)}


_new = object.__new__
_set_code = ClaimLine.__dict__["code"].__set__
_set_units = ClaimLine.__dict__["units"].__set__
_set_modifiers = ClaimLine.__dict__["modifiers"].__set__


def claim_line(code: str, units: int, modifiers: tuple[str, ...]) -> ClaimLine:
    """`ClaimLine(code, units, modifiers)` without the frozen dataclass's `__init__`, which takes
    twice as long; the billing check makes one or more per visit."""
    line: ClaimLine = _new(ClaimLine)
    _set_code(line, code)
    _set_units(line, units)
    _set_modifiers(line, modifiers)
    return line


@dataclass(frozen=True, slots=True)
class Decision:
    """The billing decision for one visit, in the shape the contract prints."""

    lines: tuple[ClaimLine, ...]
    total_timed_minutes: int
    total_timed_units: int
    total_treatment_minutes: int
    findings: tuple[Finding, ...]
    billable: bool

    def as_json(self) -> dict[str, object]:
        """The contract's output document, keys in the contract's order."""
        return {
            "lines": [line.as_json() for line in self.lines],
            "total_timed_minutes": self.total_timed_minutes,
            "total_timed_units": self.total_timed_units,
            "total_treatment_minutes": self.total_treatment_minutes,
            "findings": [finding.as_json() for finding in self.findings],
            "billable": self.billable,
        }


_set_lines = Decision.__dict__["lines"].__set__
_set_timed_minutes = Decision.__dict__["total_timed_minutes"].__set__
_set_timed_units = Decision.__dict__["total_timed_units"].__set__
_set_treatment_minutes = Decision.__dict__["total_treatment_minutes"].__set__
_set_findings = Decision.__dict__["findings"].__set__
_set_billable = Decision.__dict__["billable"].__set__


def decision(
    lines: tuple[ClaimLine, ...],
    totals: tuple[int, int, int],
    findings: tuple[Finding, ...],
    *,
    billable: bool,
) -> Decision:
    """`Decision(lines, *totals, findings, billable)` (totals: timed minutes, timed units,
    treatment minutes) without the frozen dataclass's `__init__`; one per billing check."""
    made: Decision = _new(Decision)
    _set_lines(made, lines)
    _set_timed_minutes(made, totals[0])
    _set_timed_units(made, totals[1])
    _set_treatment_minutes(made, totals[2])
    _set_findings(made, findings)
    _set_billable(made, billable)
    return made
