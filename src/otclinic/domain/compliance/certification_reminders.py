"""When to remind the physician who has not signed the plan of care sent for certification.

The deadline is regulatory: the initial certification is signed within 30 days of the
evaluation (BPM ch. 15 sec. 220.1.3, `rules/certification_reminders.yaml`); a recertification
before the certification it continues runs out. The reminder days are the clinic's policy in the
same file, dated: remind so many days after sending, then escalate (call the office) so many days
before the deadline. No step is ever scheduled after the deadline or on the day of sending; steps
that would fall on the same day collapse into one. Like every rule here, this only reports.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

RULES_FILE = Path(__file__).resolve().parent.parent / "rules" / "certification_reminders.yaml"


class StepKind(StrEnum):
    """A reminder re-sends the cover sheet; an escalation also calls the physician's office."""

    REMINDER = "reminder"
    ESCALATION = "escalation"


@dataclass(frozen=True, slots=True)
class ReminderPolicy:
    """One dated entry of the clinic's reminder policy."""

    effective_from: date
    remind_after_sent_days: tuple[int, ...]
    escalate_days_before_deadline: int | None
    citation: str


@dataclass(frozen=True, slots=True)
class ReminderStep:
    """The `number`th reminder of a request (1-based), due on `due_on`."""

    number: int
    due_on: date
    kind: StepKind

    @property
    def label(self) -> str:
        if self.kind is StepKind.ESCALATION:
            return f"final reminder {self.number}: call the office"
        return f"reminder {self.number}"


@dataclass(frozen=True, slots=True)
class ReminderRules:
    """The regulatory window and the clinic's dated policies, as the rule file states them."""

    signature_window_days: int
    window_citation: str
    policies: tuple[ReminderPolicy, ...]

    def policy_on(self, day: date) -> ReminderPolicy:
        """The policy in force on `day` (the latest that started on or before it)."""
        in_force = [p for p in self.policies if p.effective_from <= day]
        if not in_force:
            raise ValueError(f"no certification reminder policy in force on {day}")
        return max(in_force, key=lambda p: p.effective_from)


def initial_deadline(established_on: date, *, rules: ReminderRules | None = None) -> date:
    """The last day for the initial certification's signature: the evaluation day + 30."""
    window = (rules or default_rules()).signature_window_days
    return established_on + timedelta(days=window)


def reminder_schedule(
    *, sent_on: date, deadline: date, policy: ReminderPolicy | None = None
) -> tuple[ReminderStep, ...]:
    """The reminder steps for a request sent on `sent_on` whose signature is due by `deadline`.

    Every step falls after the sending day and on or before the deadline, in order, one a day at
    most; the escalation (if the policy has one and it still fits) is the last step.
    """
    policy = policy or default_rules().policy_on(sent_on)
    days = {sent_on + timedelta(days=n) for n in policy.remind_after_sent_days if n > 0}
    escalate_on = None
    if policy.escalate_days_before_deadline is not None:
        escalate_on = deadline - timedelta(days=policy.escalate_days_before_deadline)
    if escalate_on is not None and escalate_on > sent_on:
        # Reminders on or after the escalation day add nothing to the call.
        days = {d for d in days if d < escalate_on} | {escalate_on}
    kept = sorted(d for d in days if sent_on < d <= deadline)
    return tuple(
        ReminderStep(
            number=i,
            due_on=day,
            kind=StepKind.ESCALATION if day == escalate_on else StepKind.REMINDER,
        )
        for i, day in enumerate(kept, start=1)
    )


def step_due(
    schedule: tuple[ReminderStep, ...], *, last_step_sent: int, as_of: date
) -> ReminderStep | None:
    """The step to send on `as_of`: the latest one come due that was not sent yet.

    Steps missed on earlier days are not sent one after another: the latest due one stands for
    them (two reminders in two days help nobody).
    """
    due = [s for s in schedule if s.number > last_step_sent and s.due_on <= as_of]
    return due[-1] if due else None


def next_step(schedule: tuple[ReminderStep, ...], *, last_step_sent: int) -> ReminderStep | None:
    """The first step not sent yet, whether or not it is due."""
    return next((s for s in schedule if s.number > last_step_sent), None)


def load_rules(path: Path = RULES_FILE) -> ReminderRules:
    """Read a rule file in the format of rules/certification_reminders.yaml."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    window = data["signature_window"]
    return ReminderRules(
        signature_window_days=int(window["days"]),
        window_citation=str(window["citation"]),
        policies=tuple(_policy(raw) for raw in data["schedules"]),
    )


def _policy(raw: dict[str, Any]) -> ReminderPolicy:
    escalate = raw.get("escalate_days_before_deadline")
    return ReminderPolicy(
        effective_from=raw["effective_from"],
        remind_after_sent_days=tuple(int(n) for n in raw["remind_after_sent_days"]),
        escalate_days_before_deadline=None if escalate is None else int(escalate),
        citation=str(raw["citation"]),
    )


@lru_cache(maxsize=1)
def default_rules() -> ReminderRules:
    """The shipped rules, read once per process."""
    return load_rules()
