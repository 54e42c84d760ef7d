"""Fieldwork students: ACOTE's Level II minimum, educator eligibility, Medicare's student rule.

Source: ACOTE Standards (2018), Level II fieldwork, and the Medicare Benefit Policy Manual, Pub.
100-02 ch. 15 sec. 230.B (therapy students); the figures and citations are in
`rules/fieldwork.yaml`, dated. Full-time-equivalent weeks are the logged hours divided by the
placement's full-time hours per week, so a part-time student needs more calendar weeks. Like every
rule here, these only report.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from otclinic.domain.codes import PayerPlan, Role
from otclinic.domain.compliance.findings import Finding, Severity

RULES_FILE = Path(__file__).resolve().parent.parent / "rules" / "fieldwork.yaml"
CHECK_NOTE = " (check: verify the current rule text before relying on it)"


class Program(StrEnum):
    """The student's program (ACOTE accredits OT and OTA programs separately)."""

    OT = "OT"
    OTA = "OTA"


class Level(StrEnum):
    """ACOTE fieldwork levels; only Level II carries a minimum length."""

    I = "I"  # noqa: E741 - the level's name
    II = "II"


@dataclass(frozen=True, slots=True)
class Parameter:
    """A dated figure with its source."""

    reference: str
    confidence: str
    values: tuple[tuple[date, int], ...]

    def on(self, day: date) -> int | None:
        """The figure in force on `day`, or None before the first one."""
        current = None
        for since, value in self.values:
            if since <= day:
                current = value
        return current


def _parameter(raw: dict[str, Any]) -> Parameter:
    values = tuple(sorted((since, int(value)) for since, value in raw["values"].items()))
    return Parameter(str(raw["reference"]), str(raw.get("confidence", "firm")), values)


@lru_cache(maxsize=1)
def _rules() -> dict[str, Any]:
    with RULES_FILE.open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    return data


def minimum_weeks_parameter(program: Program) -> Parameter:
    return _parameter(_rules()["level_ii_minimum_weeks"][program.value])


def educator_practice_parameter() -> Parameter:
    return _parameter(_rules()["educator_minimum_practice_years"])


def fte_weeks(*, logged_hours: Decimal, full_time_hours_per_week: Decimal) -> Decimal:
    """Full-time-equivalent weeks, to two places: logged hours / full-time hours per week."""
    if full_time_hours_per_week <= 0:
        raise ValueError(f"full-time hours per week must be positive: {full_time_hours_per_week}")
    if logged_hours < 0:
        raise ValueError(f"logged hours cannot be negative: {logged_hours}")
    return (logged_hours / full_time_hours_per_week).quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class FieldworkProgress:
    """A placement's hours against ACOTE's minimum (None when the level has no minimum)."""

    logged_hours: Decimal
    fte_weeks: Decimal
    minimum_weeks: int | None
    required_hours: Decimal | None
    percent: Decimal | None
    findings: tuple[Finding, ...]

    @property
    def minimum_met(self) -> bool | None:
        if self.minimum_weeks is None:
            return None
        return self.fte_weeks >= self.minimum_weeks


def fieldwork_progress(
    *,
    program: Program,
    level: Level,
    starts_on: date,
    logged_hours: Decimal,
    full_time_hours_per_week: Decimal,
) -> FieldworkProgress:
    """FTE weeks so far against the Level II minimum in force on the placement's first day."""
    weeks = fte_weeks(logged_hours=logged_hours, full_time_hours_per_week=full_time_hours_per_week)
    parameter = minimum_weeks_parameter(program)
    minimum = parameter.on(starts_on) if level is Level.II else None
    if minimum is None:
        return FieldworkProgress(logged_hours, weeks, None, None, None, ())
    required = full_time_hours_per_week * minimum
    # Rounded down, so that 100 % is shown only once the minimum is met.
    percent = min(Decimal(100), weeks * 100 / minimum).quantize(Decimal("1"), ROUND_DOWN)
    finding = _minimum_finding(program, parameter, weeks, minimum, logged_hours, required)
    return FieldworkProgress(logged_hours, weeks, minimum, required, percent, (finding,))


def _minimum_finding(
    program: Program,
    parameter: Parameter,
    weeks: Decimal,
    minimum: int,
    logged: Decimal,
    required: Decimal,
) -> Finding:
    met = weeks >= minimum
    verdict = "minimum met" if met else f"{required - logged} more hours needed"
    message = (
        f"{program} Level II: {logged} hours logged = {weeks} full-time weeks of the {minimum}-week "
        f"minimum ({required} hours): {verdict}."
    )
    if parameter.confidence == "check":
        message += CHECK_NOTE
    return Finding(
        rule_id=f"fieldwork.level_ii.minimum_weeks.{program.value.lower()}",
        severity=Severity.INFO if met else Severity.WARNING,
        message=message,
        citation=parameter.reference,
    )


@dataclass(frozen=True, slots=True)
class EducatorFacts:
    """What decides whether a clinician may be a student's fieldwork educator."""

    role: Role | None
    practice_started_on: date | None


def educator_findings(
    *, program: Program, educator: EducatorFacts, starts_on: date
) -> tuple[Finding, ...]:
    """Errors when the educator may not supervise this student; empty when they may."""
    parameter = educator_practice_parameter()
    years = parameter.on(starts_on) or 0
    problems = [
        _role_problem(program, educator.role),
        _practice_problem(educator, years, starts_on),
    ]
    suffix = CHECK_NOTE if parameter.confidence == "check" else ""
    return tuple(
        Finding(
            rule_id=rule_id,
            severity=Severity.ERROR,
            message=text + suffix,
            citation=parameter.reference,
        )
        for rule_id, text in (p for p in problems if p is not None)
    )


def _role_problem(program: Program, role: Role | None) -> tuple[str, str] | None:
    allowed = {Role.OT, Role.OTA} if program is Program.OTA else {Role.OT}
    if role in allowed:
        return None
    who = "an OT or an OTA" if program is Program.OTA else "an OT"
    shown = role.value if role else "no clinical role"
    return (
        "fieldwork.educator.role",
        f"The fieldwork educator of an {program} student must be {who}; this one is {shown}.",
    )


def _practice_problem(
    educator: EducatorFacts, years: int, starts_on: date
) -> tuple[str, str] | None:
    started = educator.practice_started_on
    if started is None:
        return (
            "fieldwork.educator.practice",
            "The educator's first day of practice is not recorded: record it on their staff "
            f"profile (at least {years} year(s) of practice is required).",
        )
    if started <= years_before(starts_on, years):
        return None
    return (
        "fieldwork.educator.practice",
        f"The fieldwork educator started practice on {started}: under {years} year(s) of "
        f"practice on the placement's first day, {starts_on}.",
    )


def years_before(day: date, years: int) -> date:
    """The same calendar day `years` earlier (28 February for a 29 February without a twin)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def student_note_findings(*, author_role: Role, payer_plan: PayerPlan) -> tuple[Finding, ...]:
    """Medicare Part B's student-participation rule on a student's note, as a check item."""
    if author_role is not Role.STUDENT or payer_plan is not PayerPlan.MEDICARE_PART_B:
        return ()
    rule = _rules()["medicare_part_b_student"]
    message = (
        f"{' '.join(str(rule['summary']).split())}. Check item: confirm the supervising therapist "
        "was present and directed this service and is the one billing (likely; check per setting)."
    )
    return (
        Finding(
            rule_id=str(rule["id"]),
            severity=Severity.WARNING,
            message=message,
            citation=str(rule["reference"]),
        ),
    )


class Renders(StrEnum):
    """Who renders and bills a student's note: the educator, or the OTA educator's supervising OT."""

    EDUCATOR = "educator"
    EDUCATOR_SUPERVISING_OT = "educator_supervising_ot"


@dataclass(frozen=True, slots=True)
class StudentBilling:
    """Who renders a student's note, whether its lines take the assistant modifier, and why."""

    renders: Renders
    assistant_modifier: bool
    findings: tuple[Finding, ...]


def student_note_billing(
    *, educator_role: Role | None, supervising_ot_role: Role | None
) -> StudentBilling:
    """The rendering provider of a student's note from its educator's role.

    An OT educator renders it as their own service. An OTA educator cannot enroll, so their
    supervising OT renders it with the assistant modifier on every line, as for an OTA's own
    note; an OTA educator without a supervising OT is an error the claim cannot go out with.
    """
    if educator_role is not Role.OTA:
        return StudentBilling(Renders.EDUCATOR, False, ())
    rule = _rules()["ota_educator_billing"]
    summary = " ".join(str(rule["summary"]).split())
    suffix = CHECK_NOTE if rule["confidence"] == "check" else ""
    if supervising_ot_role is Role.OT:
        message, severity = f"{summary}.{suffix}", Severity.INFO
    else:
        message = (
            f"{summary}; this OTA educator has no supervising OT on their staff profile, so no "
            f"one can render the student's service.{suffix}"
        )
        severity = Severity.ERROR
    finding = Finding(
        rule_id=str(rule["id"]), severity=severity, message=message, citation=str(rule["reference"])
    )
    return StudentBilling(Renders.EDUCATOR_SUPERVISING_OT, True, (finding,))
