"""The facts the supervision rules take about one OTA, and the answer they give.

See `supervision_contacts` for how the answer is reached and where the rules come from.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from otclinic.domain.compliance.findings import Finding, Severity
from otclinic.domain.compliance.supervision_packs import ContactMethod, Level, WorkContext


@dataclass(frozen=True, slots=True)
class Contact:
    """One supervision contact between the OT and the OTA."""

    on: date
    method: ContactMethod
    minutes: int
    on_site_face_to_face: bool = False


@dataclass(frozen=True, slots=True)
class Plan:
    """The OTA's written supervision plan (8 NYCRR 76.8): how often, by which kinds of contact."""

    every_days: int
    methods: frozenset[ContactMethod]
    notes_cosigned: bool


@dataclass(frozen=True, slots=True)
class MonthHours:
    """Hours the OTA worked in one calendar month (`month` is its first day)."""

    month: date
    hours: Decimal


@dataclass(frozen=True, slots=True)
class OtaFacts:
    """What the rules need to know about one OTA.

    `supervised_since` anchors the first contact when none is on file (the plan's start or the
    day the OTA joined); without it the first contact is due at once.
    """

    contexts: tuple[WorkContext, ...]
    practice_started_on: date | None = None
    setting_started_on: date | None = None
    supervised_since: date | None = None
    contacts: tuple[Contact, ...] = ()
    hours: tuple[MonthHours, ...] = ()
    plan: Plan | None = None


@dataclass(frozen=True, slots=True)
class SupervisionFinding:
    """A finding with the day it falls due and whether its source is marked check."""

    rule_id: str
    severity: Severity
    message: str
    citation: str
    due_on: date | None = None
    check: bool = False

    def as_finding(self) -> Finding:
        return Finding(self.rule_id, self.severity, self.message, self.citation)


@dataclass(frozen=True, slots=True)
class ContactDue:
    """The next supervision contact one rule asks for."""

    rule_id: str
    label: str
    every_days: int
    last_contact: date | None
    due_on: date
    overdue: bool


@dataclass(frozen=True, slots=True)
class HoursDue:
    """Supervision owed as a percentage of one month's hours worked."""

    rule_id: str
    label: str
    month: date
    hours_worked: Decimal
    percent: Decimal
    required_minutes: int
    logged_minutes: int
    on_site_face_to_face: bool
    due_on: date

    @property
    def short_minutes(self) -> int:
        return max(0, self.required_minutes - self.logged_minutes)

    @property
    def met(self) -> bool:
        return self.short_minutes == 0


@dataclass(frozen=True, slots=True)
class SupervisionStatus:
    """The answer for one OTA on one day: the winners of each dimension and every finding."""

    as_of: date
    level: Level
    level_rule_id: str | None
    contact: ContactDue | None
    hours: HoursDue | None
    hours_last_month: HoursDue | None
    plan_required_by: str | None
    plan_on_file: bool
    findings: tuple[SupervisionFinding, ...]

    @property
    def blocks_scheduling(self) -> bool:
        """New York: an OTA without a written supervision plan cannot be scheduled."""
        return self.plan_required_by is not None and not self.plan_on_file

    @property
    def overdue(self) -> bool:
        late_contact = self.contact is not None and self.contact.overdue
        short_last_month = self.hours_last_month is not None and not self.hours_last_month.met
        return late_contact or short_last_month or self.blocks_scheduling

    @property
    def next_due(self) -> date | None:
        days = [self.contact.due_on] if self.contact else []
        if self.hours and not self.hours.met:
            days.append(self.hours.due_on)
        return min(days, default=None)


# --- the answer as JSON (the clinic stores each OTA's answer between changes of its facts) -----


def _day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _contact_json(due: ContactDue | None) -> dict[str, Any] | None:
    if due is None:
        return None
    last = due.last_contact.isoformat() if due.last_contact else None
    return {
        "rule_id": due.rule_id,
        "label": due.label,
        "every_days": due.every_days,
        "last_contact": last,
        "due_on": due.due_on.isoformat(),
        "overdue": due.overdue,
    }


def _hours_json(due: HoursDue | None) -> dict[str, Any] | None:
    if due is None:
        return None
    return {
        "rule_id": due.rule_id,
        "label": due.label,
        "month": due.month.isoformat(),
        "hours_worked": str(due.hours_worked),
        "percent": str(due.percent),
        "required_minutes": due.required_minutes,
        "logged_minutes": due.logged_minutes,
        "on_site_face_to_face": due.on_site_face_to_face,
        "due_on": due.due_on.isoformat(),
    }


def _finding_json(finding: SupervisionFinding) -> dict[str, Any]:
    return {
        "rule_id": finding.rule_id,
        "severity": finding.severity.value,
        "message": finding.message,
        "citation": finding.citation,
        "due_on": finding.due_on.isoformat() if finding.due_on else None,
        "check": finding.check,
    }


def status_as_json(status: SupervisionStatus) -> dict[str, Any]:
    """The answer as a JSON object, which `status_from_json` reads back equal."""
    return {
        "as_of": status.as_of.isoformat(),
        "level": status.level.value,
        "level_rule_id": status.level_rule_id,
        "contact": _contact_json(status.contact),
        "hours": _hours_json(status.hours),
        "hours_last_month": _hours_json(status.hours_last_month),
        "plan_required_by": status.plan_required_by,
        "plan_on_file": status.plan_on_file,
        "findings": [_finding_json(f) for f in status.findings],
    }


def _contact_from(data: dict[str, Any] | None) -> ContactDue | None:
    if data is None:
        return None
    return ContactDue(
        data["rule_id"],
        data["label"],
        data["every_days"],
        _day(data["last_contact"]),
        date.fromisoformat(data["due_on"]),
        data["overdue"],
    )


def _hours_from(data: dict[str, Any] | None) -> HoursDue | None:
    if data is None:
        return None
    return HoursDue(
        data["rule_id"],
        data["label"],
        date.fromisoformat(data["month"]),
        Decimal(data["hours_worked"]),
        Decimal(data["percent"]),
        data["required_minutes"],
        data["logged_minutes"],
        data["on_site_face_to_face"],
        date.fromisoformat(data["due_on"]),
    )


def status_from_json(data: dict[str, Any]) -> SupervisionStatus:
    """The answer `status_as_json` wrote, read back."""
    return SupervisionStatus(
        as_of=date.fromisoformat(data["as_of"]),
        level=Level(data["level"]),
        level_rule_id=data["level_rule_id"],
        contact=_contact_from(data["contact"]),
        hours=_hours_from(data["hours"]),
        hours_last_month=_hours_from(data["hours_last_month"]),
        plan_required_by=data["plan_required_by"],
        plan_on_file=data["plan_on_file"],
        findings=tuple(
            SupervisionFinding(
                f["rule_id"],
                Severity(f["severity"]),
                f["message"],
                f["citation"],
                _day(f["due_on"]),
                f["check"],
            )
            for f in data["findings"]
        ),
    )
