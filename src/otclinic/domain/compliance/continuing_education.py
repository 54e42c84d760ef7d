"""Continuing education: hours earned in the current renewal cycle against the requirement.

Source: each state's license-renewal rules and NBCOT's certification renewal requirements (CEU/PDU
requirements per renewal cycle vary by state and NBCOT). The clinic sets each state's requirement
(hours per cycle, and the cycle: N months ending on the license's expiry, or the license period
itself); NBCOT's default (36 PDUs per 3-year cycle, `rules/nbcot_pdus.yaml`) is marked "check"
because it has not been read from NBCOT's current text. How early a shortfall is warned about is
`rules/ce_warning_days.yaml`. Like every rule here, this only reports: a shortfall is a warning,
never a block.
"""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from otclinic.domain.billing.parameters import DatedParameter, load_parameter
from otclinic.domain.compliance.findings import Finding, Rule, Severity

RULES = Path(__file__).resolve().parent.parent / "rules"
NBCOT = "NBCOT"
CHECK_NOTE = " (check: verify the current figure before relying on it)"
SHORT_OF_HOURS = Rule(
    "ce.short_of_hours",
    Severity.WARNING,
    "State license-renewal rules and NBCOT certification renewal (CEU/PDU hours per renewal cycle)",
    "The renewal cycle ends soon and the clinician is short of continuing-education hours.",
)


@dataclass(frozen=True, slots=True)
class CeRequirement:
    """Hours per renewal cycle for one state's license or for NBCOT.

    `cycle_months` None means the cycle is the license period (issued to expiry); otherwise the
    cycle is that many months ending on the credential's expiry. `source` says who set the figure.
    """

    counts_toward: str
    hours: Decimal
    cycle_months: int | None
    source: str
    check: bool = False


@dataclass(frozen=True, slots=True)
class CeActivity:
    """One course or activity: when it was completed, its hours, and what it counts toward."""

    completed_on: date
    hours: Decimal
    counts_toward: str


@dataclass(frozen=True, slots=True)
class Cycle:
    """A renewal cycle, both days included."""

    starts_on: date
    ends_on: date

    def contains(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


@dataclass(frozen=True, slots=True)
class CeProgress:
    """Hours earned in the cycle against the requirement, and what is still needed."""

    requirement: CeRequirement
    cycle: Cycle
    earned: Decimal
    still_needed: Decimal
    days_left: int
    findings: tuple[Finding, ...]

    @property
    def percent(self) -> int:
        """Earned as a whole percentage of the requirement, at most 100 (rounded down)."""
        if self.requirement.hours <= 0:
            return 100
        return min(100, int(self.earned * 100 // self.requirement.hours))


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier, or the month's last day when it has no such day."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def renewal_cycle(
    requirement: CeRequirement, *, expires_on: date, issued_on: date | None = None
) -> Cycle | None:
    """The cycle that ends on `expires_on`; None when it is the license period and the license's
    issue date is not recorded (the cycle's start is then unknown)."""
    if requirement.cycle_months is None:
        return Cycle(issued_on, expires_on) if issued_on is not None else None
    start = months_before(expires_on, requirement.cycle_months) + timedelta(days=1)
    return Cycle(start, expires_on)


def earned_hours(activities: Iterable[CeActivity], *, counts_toward: str, cycle: Cycle) -> Decimal:
    """The hours of the activities completed inside the cycle that count toward this credential."""
    return sum(
        (
            a.hours
            for a in activities
            if a.counts_toward == counts_toward and cycle.contains(a.completed_on)
        ),
        Decimal("0"),
    )


def ce_progress(
    requirement: CeRequirement, *, cycle: Cycle, activities: Iterable[CeActivity], today: date
) -> CeProgress:
    """Earned vs required in the cycle; a warning when it ends within the warning window short."""
    earned = earned_hours(activities, counts_toward=requirement.counts_toward, cycle=cycle)
    still = max(requirement.hours - earned, Decimal("0"))
    left = (cycle.ends_on - today).days
    findings: tuple[Finding, ...] = ()
    window = warning_days(today)
    if still > 0 and window is not None and left <= window:
        findings = (_short_finding(requirement, cycle, earned, still, left),)
    return CeProgress(requirement, cycle, earned, still, left, findings)


def _short_finding(
    requirement: CeRequirement, cycle: Cycle, earned: Decimal, still: Decimal, left: int
) -> Finding:
    when = f"{left} days left" if left >= 0 else f"it ended {-left} days ago"
    message = (
        f"{requirement.counts_toward} continuing education: {earned} of {requirement.hours} hours "
        f"earned in the cycle {cycle.starts_on.isoformat()} to {cycle.ends_on.isoformat()}; "
        f"{still} hours still needed, {when}. Source: {requirement.source}."
    )
    if requirement.check:
        message += CHECK_NOTE
    return SHORT_OF_HOURS.finding(message)


@lru_cache(maxsize=1)
def _warning_days() -> DatedParameter:
    return load_parameter(RULES / "ce_warning_days.yaml")


def warning_days(day: date) -> int | None:
    """How many days before a cycle's end a shortfall is warned about, as in force on `day`."""
    entry = _warning_days().entry_on(day)
    return int(entry.value) if entry else None


@lru_cache(maxsize=1)
def _nbcot() -> DatedParameter:
    return load_parameter(RULES / "nbcot_pdus.yaml")


def nbcot_requirement(day: date) -> CeRequirement | None:
    """NBCOT's default PDU requirement in force on `day` (a "check" figure), or None."""
    parameter = _nbcot()
    entry = parameter.entry_on(day)
    if entry is None:
        return None
    return CeRequirement(
        counts_toward=NBCOT,
        hours=Decimal(str(entry.value["hours"])),
        cycle_months=int(entry.value["cycle_months"]),
        source=parameter.reference,
        check=entry.confidence == "check",
    )
