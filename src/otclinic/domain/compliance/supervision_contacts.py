"""Whether an OTA's supervision is up to date: contacts due, hours owed, the written plan.

Source: the packs of `rules/supervision_packs.yaml`, each citing its rule (42 CFR 410.59(c)(2),
TRICARE Policy Manual 6010.60-M ch. 11 sec. 3.17, the states' OT practice rules).
Every pack that applies to any of the OTA's work contexts (state, setting, payer) is evaluated
with the tier the OTA's experience falls in, and the strictest answer wins in each dimension:

- level: the highest rank (direct > close > routine > general > periodic > minimal);
- contacts: the earliest due date (last qualifying contact + the tier's or the plan's days);
- hours: the largest shortfall of the percentage of the month's hours owed as supervision;
- written plan: required if any pack requires one (New York); without it, no scheduling.

Adding a pack can therefore only make the answer stricter. The findings name the winning pack,
show the arithmetic and say "check" where the reference does. Like every rule here, this only
reports.
"""

import math
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from otclinic.domain.compliance.findings import Severity
from otclinic.domain.compliance.supervision_facts import (
    Contact,
    ContactDue,
    HoursDue,
    MonthHours,
    OtaFacts,
    Plan,
    SupervisionFinding,
    SupervisionStatus,
)
from otclinic.domain.compliance.supervision_packs import (
    CHECK_NOTE,
    ContactMethod,
    Level,
    SupervisionPack,
    Tier,
    default_packs,
    months_between,
)

__all__ = [
    "Contact",
    "ContactDue",
    "HoursDue",
    "MonthHours",
    "OtaFacts",
    "Plan",
    "SupervisionFinding",
    "SupervisionStatus",
    "supervision_status",
]

REFERENCE = "rules/supervision_packs.yaml: the payer, state and setting rules, each with its source"
DUE_SOON_DAYS = 3


@dataclass(frozen=True, slots=True)
class _Applied:
    pack: SupervisionPack
    tier: Tier

    @property
    def name(self) -> str:
        return f"{self.pack.label} ({self.tier.label})"

    @property
    def check(self) -> bool:
        return self.pack.is_check(self.tier)

    def finding(
        self, severity: Severity, message: str, due_on: date | None = None
    ) -> SupervisionFinding:
        text = message + (CHECK_NOTE if self.check else "")
        return SupervisionFinding(
            self.pack.rule_id, severity, text, self.pack.citation, due_on, self.check
        )


def supervision_status(
    facts: OtaFacts, *, as_of: date, packs: tuple[SupervisionPack, ...] | None = None
) -> SupervisionStatus:
    """Evaluate every applicable pack for the OTA on `as_of`; the strictest wins per dimension."""
    all_packs = default_packs() if packs is None else packs
    applied = _applied(facts, as_of, all_packs)
    findings = [_pack_finding(a) for a in applied]
    findings += _experience_findings(facts, applied)
    level_winner = max(applied, key=lambda a: a.tier.level.rank, default=None)
    contact = _contact_winner(facts, applied, as_of, findings)
    hours = _hours_winner(facts, applied, as_of, findings, last_month=False)
    last_day_before = as_of.replace(day=1) - timedelta(days=1)
    previous = _applied(facts, last_day_before, all_packs)
    hours_last = _hours_winner(facts, previous, last_day_before, findings, last_month=True)
    plan_pack = next((a for a in applied if a.pack.written_plan_required), None)
    findings += _plan_findings(facts, plan_pack)
    if level_winner is not None and level_winner.tier.level is not Level.NOT_STATED:
        findings.append(_level_finding(level_winner, applied))
    if not applied:
        findings.append(_no_pack(facts))
    return SupervisionStatus(
        as_of=as_of,
        level=level_winner.tier.level if level_winner else Level.NOT_STATED,
        level_rule_id=level_winner.pack.rule_id if level_winner else None,
        contact=contact,
        hours=hours,
        hours_last_month=hours_last,
        plan_required_by=plan_pack.pack.rule_id if plan_pack else None,
        plan_on_file=facts.plan is not None,
        findings=tuple(findings),
    )


def _applied(facts: OtaFacts, day: date, packs: tuple[SupervisionPack, ...]) -> list[_Applied]:
    practice = months_between(facts.practice_started_on, day)
    setting = months_between(facts.setting_started_on, day)
    return [
        _Applied(pack, pack.tier_for(practice_months=practice, setting_months=setting))
        for pack in packs
        if any(pack.applies_to(context, day) for context in facts.contexts)
    ]


def _pack_finding(a: _Applied) -> SupervisionFinding:
    parts = [f"{a.name}: level {a.tier.level.label}"]
    if a.tier.contact_every_days:
        parts.append(f"a contact at least every {a.tier.contact_every_days} days")
    if a.tier.percent_of_monthly_hours is not None:
        kind = "on-site face-to-face " if a.tier.percent_on_site_face_to_face else ""
        parts.append(
            f"{a.tier.percent_of_monthly_hours}% of the month's hours as {kind}supervision"
        )
    if a.tier.note:
        parts.append(a.tier.note)
    parts.append(f"co-signature: {a.pack.cosign}")
    return a.finding(Severity.INFO, "; ".join(parts) + ".")


def _experience_findings(facts: OtaFacts, applied: list[_Applied]) -> list[SupervisionFinding]:
    found = []
    keyed = [(a, t) for a in applied for t in a.pack.tiers]
    if facts.practice_started_on is None and any(t.practice_months_under for _, t in keyed):
        found.append(_unknown("practice", "the first year of practice"))
    if facts.setting_started_on is None and any(t.setting_months_under for _, t in keyed):
        found.append(_unknown("setting", "new to the setting"))
    return found


def _unknown(what: str, read_as: str) -> SupervisionFinding:
    return SupervisionFinding(
        f"supervision.{what}_start_unknown",
        Severity.WARNING,
        f"The day the OTA started in the {what} is not on file: the rules are read as for "
        f"{read_as} (the strict reading). Record it to apply the right tier.",
        REFERENCE,
    )


def _requirement(facts: OtaFacts, a: _Applied) -> tuple[int, frozenset[ContactMethod], bool, str]:
    """(every days, counted methods, on site only, label), or every 0 when nothing applies."""
    if a.tier.contact_per_plan:
        if facts.plan is None:
            return 0, frozenset(), False, ""
        plan = facts.plan
        return plan.every_days, plan.methods, False, f"{a.pack.label} (the written plan)"
    every = a.tier.contact_every_days or 0
    return every, a.tier.contact_methods, a.tier.contact_on_site, a.name


def _contact_dues(facts: OtaFacts, applied: list[_Applied], as_of: date) -> list[ContactDue]:
    dues = []
    for a in applied:
        every, methods, on_site, label = _requirement(facts, a)
        if not every:
            continue
        counted = [
            c.on
            for c in facts.contacts
            if c.on <= as_of and c.method in methods and (c.on_site_face_to_face or not on_site)
        ]
        last = max(counted, default=None)
        anchor = last or facts.supervised_since
        due = anchor + timedelta(days=every) if anchor else as_of
        dues.append(ContactDue(a.pack.rule_id, label, every, last, due, as_of > due))
    return dues


def _contact_winner(
    facts: OtaFacts, applied: list[_Applied], as_of: date, findings: list[SupervisionFinding]
) -> ContactDue | None:
    dues = _contact_dues(facts, applied, as_of)
    if not dues:
        return None
    winner = min(dues, key=lambda d: (d.due_on, d.every_days))
    pack = next(a for a in applied if a.pack.rule_id == winner.rule_id)
    others = [d for d in dues if d is not winner]
    findings.append(_contact_finding(pack, winner, others, as_of))
    return winner


def _contact_finding(
    a: _Applied, due: ContactDue, others: list[ContactDue], as_of: date
) -> SupervisionFinding:
    if due.last_contact:
        sums = f"last counted contact {due.last_contact} + {due.every_days} days = due {due.due_on}"
    else:
        sums = f"no counted contact on file: due {due.due_on}"
    late = (as_of - due.due_on).days
    if due.overdue:
        severity, state = Severity.ERROR, f"{late} day{'s' if late != 1 else ''} overdue"
    elif (due.due_on - as_of).days <= DUE_SOON_DAYS:
        severity, state = Severity.WARNING, "due soon"
    else:
        severity, state = Severity.INFO, "up to date"
    text = f"Supervision contact: {due.label} asks for one every {due.every_days} days; {sums}; {state}."
    if others:
        beaten = ", ".join(f"{o.label} due {o.due_on}" for o in others)
        text += (
            f" Strictest of {len(others) + 1} contact rules (earliest due date wins over {beaten})."
        )
    return a.finding(severity, text, due.due_on)


def _month_end(day: date) -> date:
    following = (day.replace(day=1) + timedelta(days=32)).replace(day=1)
    return following - timedelta(days=1)


def _hours_dues(facts: OtaFacts, applied: list[_Applied], day: date) -> list[HoursDue]:
    month = day.replace(day=1)
    worked = sum((m.hours for m in facts.hours if m.month == month), Decimal(0))
    dues = []
    for a in applied:
        percent = a.tier.percent_of_monthly_hours
        if percent is None:
            continue
        on_site = a.tier.percent_on_site_face_to_face
        required = math.ceil(worked * 60 * percent / 100)
        logged = sum(
            c.minutes
            for c in facts.contacts
            if month <= c.on <= day and (c.on_site_face_to_face or not on_site)
        )
        dues.append(
            HoursDue(
                a.pack.rule_id,
                a.name,
                month,
                worked,
                percent,
                required,
                logged,
                on_site,
                _month_end(day),
            )
        )
    return dues


def _hours_winner(
    facts: OtaFacts,
    applied: list[_Applied],
    day: date,
    findings: list[SupervisionFinding],
    *,
    last_month: bool,
) -> HoursDue | None:
    dues = _hours_dues(facts, applied, day)
    if not dues or (last_month and not any(d.hours_worked for d in dues)):
        return None
    winner = max(dues, key=lambda d: (d.short_minutes, d.required_minutes, d.on_site_face_to_face))
    pack = next(a for a in applied if a.pack.rule_id == winner.rule_id)
    findings.append(_hours_finding(pack, winner, last_month=last_month))
    return winner


def _duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h" + (f" {rest} min" if rest else "")


def _hours_finding(a: _Applied, due: HoursDue, *, last_month: bool) -> SupervisionFinding:
    kind = "on-site face-to-face supervision" if due.on_site_face_to_face else "supervision"
    text = (
        f"Supervision hours for {due.month:%Y-%m}: {due.label}: {due.percent}% of "
        f"{due.hours_worked} hours worked = {_duration(due.required_minutes)} "
        f"({due.required_minutes} min) of {kind} by {due.due_on}; "
        f"{_duration(due.logged_minutes)} logged"
    )
    if due.met:
        return a.finding(Severity.INFO, text + ": met.", due.due_on)
    short = _duration(due.short_minutes)
    if last_month:
        return a.finding(Severity.ERROR, f"{text}: {short} short, overdue.", due.due_on)
    return a.finding(Severity.WARNING, f"{text}: {short} to go.", due.due_on)


def _plan_findings(facts: OtaFacts, a: _Applied | None) -> list[SupervisionFinding]:
    if a is None:
        return []
    if facts.plan is None:
        text = (
            f"{a.pack.label} requires a written supervision plan for each OTA (frequency and "
            "kind of contacts, whether notes are co-signed); none is on file, so the OTA cannot "
            "be scheduled."
        )
        return [a.finding(Severity.ERROR, text)]
    plan = facts.plan
    kinds = ", ".join(sorted(m.value.replace("_", " ") for m in plan.methods))
    notes = "co-signed" if plan.notes_cosigned else "initialed"
    text = (
        f"{a.pack.label}: the written plan is on file: a contact every {plan.every_days} days "
        f"({kinds}); notes are {notes}."
    )
    return [a.finding(Severity.INFO, text)]


def _level_finding(winner: _Applied, applied: list[_Applied]) -> SupervisionFinding:
    looser = [a for a in applied if a.tier.level.rank < winner.tier.level.rank]
    text = f"Supervision level: {winner.tier.level.label}, from {winner.name}"
    if winner.tier.note:
        text += f": {winner.tier.note}"
    if looser:
        text += "; stricter than " + ", ".join(f"{a.tier.level.label} ({a.name})" for a in looser)
    return winner.finding(Severity.INFO, text + ".")


def _no_pack(facts: OtaFacts) -> SupervisionFinding:
    where = ", ".join(
        f"{c.state} {c.setting}" + (f" {c.payer_plan}" if c.payer_plan else "")
        for c in facts.contexts
    )
    return SupervisionFinding(
        "supervision.none",
        Severity.INFO,
        f"No supervision rule pack applies to this OTA's work ({where or 'no work on file'}).",
        REFERENCE,
    )
