"""Whether a plan of care's frequency, duration and certification period agree.

The rule and its citation are data in `rules/plan_of_care.yaml` (BPM ch. 15 sec. 220.1.2 and
220.1.3): the plan's duration in weeks must fit within its certification period, and that
period may not exceed 90 days. Problems are returned per field, in words that show the
arithmetic; nothing is changed.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

RULES_FILE = Path(__file__).resolve().parent.parent / "rules" / "plan_of_care.yaml"


@dataclass(frozen=True, slots=True)
class PlanRules:
    reference: str
    max_certification_days: int
    max_visits_per_week: int


@cache
def plan_rules() -> PlanRules:
    with RULES_FILE.open(encoding="utf-8") as handle:
        raw: dict[str, Any] = yaml.safe_load(handle)
    return PlanRules(
        reference=raw["reference"],
        max_certification_days=int(raw["max_certification_days"]),
        max_visits_per_week=int(raw["max_visits_per_week"]),
    )


def plan_problems(
    *, frequency_per_week: int, duration_weeks: int, duration_days: int
) -> dict[str, list[str]]:
    """What does not agree, by form field (empty when the plan is consistent)."""
    rules = plan_rules()
    errors: dict[str, list[str]] = {}
    if not 1 <= frequency_per_week <= rules.max_visits_per_week:
        errors["frequency_per_week"] = [
            f"Give between 1 and {rules.max_visits_per_week} visits a week, not {frequency_per_week}."
        ]
    if duration_days > rules.max_certification_days:
        errors["duration_days"] = [
            f"A plan is certified for at most {rules.max_certification_days} days, not "
            f"{duration_days}: plan {rules.max_certification_days} days or fewer and recertify "
            f"after ({rules.reference})."
        ]
    if duration_weeks < 1:
        errors["duration_weeks"] = ["Give the plan's duration in weeks (at least 1)."]
    elif duration_weeks * 7 > duration_days:
        errors["duration_weeks"] = [
            f"{frequency_per_week}x/week for {duration_weeks} weeks ({duration_weeks * 7} days) "
            f"does not fit in the {duration_days}-day certification period: shorten the weeks "
            f"or lengthen the period (up to {rules.max_certification_days} days)."
        ]
    return errors
