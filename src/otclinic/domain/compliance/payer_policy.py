"""Payer configuration as ordered overrides with an explicit default.

A payer policy answers four questions for one payer: how timed units are counted, whether the
assistant modifier is used, how often a progress report is due, and how many visits are
authorised. The answer is built from a list of overrides, each matching on plan kind and
optionally on the clinic's payer id; the first match for each question wins, and the default at
the end of `rules/payer_policies.yaml` always matches. A clinic adds a payer's policy by adding
an override (in the file or in its own configuration), not by changing code.
"""

from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from otclinic.domain.codes import AssistantModifierPolicy, PayerPlan, UnitMethod

RULES_DIR = Path(__file__).resolve().parent.parent / "rules"


class ProgressInterval(StrEnum):
    """What the progress-report interval counts: treatment days (Medicare) or calendar days."""

    TREATMENT_DAYS = "treatment_days"
    CALENDAR_DAYS = "calendar_days"


@dataclass(frozen=True, slots=True)
class PayerPolicy:
    """The settled answers for one payer, and which override gave each (for the findings)."""

    unit_method: UnitMethod
    assistant_modifier: AssistantModifierPolicy
    progress_interval_kind: ProgressInterval
    progress_interval: int
    authorized_visits: int | None
    sources: dict[str, str] = field(default_factory=dict, compare=False)


@dataclass(frozen=True, slots=True)
class PolicyOverride:
    """One entry of the ordered list: when it matches and what it sets (None leaves a question open)."""

    name: str
    plans: frozenset[PayerPlan] | None = None
    payer_ids: frozenset[str] | None = None
    unit_method: UnitMethod | None = None
    assistant_modifier: AssistantModifierPolicy | None = None
    progress_interval_kind: ProgressInterval | None = None
    progress_interval: int | None = None
    authorized_visits: int | None = None
    reference: str = ""

    def matches(self, plan: PayerPlan, payer_id: str | None) -> bool:
        if self.plans is not None and plan not in self.plans:
            return False
        return not (self.payer_ids is not None and payer_id not in self.payer_ids)


_QUESTIONS = (
    "unit_method",
    "assistant_modifier",
    "progress_interval_kind",
    "progress_interval",
    "authorized_visits",
)


def resolve_policy(
    *,
    plan: PayerPlan,
    payer_id: str | None = None,
    overrides: tuple[PolicyOverride, ...] = (),
) -> PayerPolicy:
    """The policy for a payer: the clinic's `overrides` first, then the shipped list, then the default."""
    settled: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for override in (*overrides, *shipped_overrides()):
        if not override.matches(plan, payer_id):
            continue
        for question in _QUESTIONS:
            value = getattr(override, question)
            if question not in settled and value is not None:
                settled[question] = value
                sources[question] = override.name
    missing = [q for q in _QUESTIONS if q not in settled and q != "authorized_visits"]
    if missing:
        raise ValueError(f"payer policy default does not answer: {', '.join(missing)}")
    settled.setdefault("authorized_visits", None)
    return PayerPolicy(**settled, sources=sources)


def with_authorization(policy: PayerPolicy, visits: int | None) -> PayerPolicy:
    """The same policy with a coverage's own authorised-visit count, when it has one."""
    return policy if visits is None else replace(policy, authorized_visits=visits)


def parse_override(raw: dict[str, Any]) -> PolicyOverride:
    """One override from its YAML or JSON form."""
    plans = raw.get("plans")
    payer_ids = raw.get("payer_ids")
    return PolicyOverride(
        name=str(raw["name"]),
        plans=frozenset(PayerPlan(p) for p in plans) if plans else None,
        payer_ids=frozenset(str(p) for p in payer_ids) if payer_ids else None,
        unit_method=_opt(UnitMethod, raw.get("unit_method")),
        assistant_modifier=_opt(AssistantModifierPolicy, raw.get("assistant_modifier")),
        progress_interval_kind=_opt(ProgressInterval, raw.get("progress_interval_kind")),
        progress_interval=_opt(int, raw.get("progress_interval")),
        authorized_visits=_opt(int, raw.get("authorized_visits")),
        reference=str(raw.get("reference", "")),
    )


def _opt(kind: Any, value: Any) -> Any:
    return None if value is None else kind(value)


@lru_cache(maxsize=1)
def shipped_overrides() -> tuple[PolicyOverride, ...]:
    """The ordered overrides shipped in rules/payer_policies.yaml, ending with the default."""
    data = yaml.safe_load((RULES_DIR / "payer_policies.yaml").read_text())
    overrides = tuple(parse_override(item) for item in data["overrides"])
    if overrides[-1].plans is not None or overrides[-1].payer_ids is not None:
        raise ValueError("the last payer policy override must be the default, matching every payer")
    return overrides
