"""What one billing check settles before any rule runs: payer policy, unit method, modifiers."""

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from otclinic.domain.billing.model import Visit
from otclinic.domain.billing.rulebook import RuleBook
from otclinic.domain.codes import (
    AssistantModifierPolicy,
    Discipline,
    PayerPlan,
    Setting,
    UnitMethod,
)
from otclinic.domain.compliance.payer_policy import (
    PayerPolicy,
    PolicyOverride,
    resolve_policy,
)

MEDICARE_PLANS = frozenset({PayerPlan.MEDICARE_PART_B, PayerPlan.MEDICARE_ADVANTAGE})

DISCIPLINE_MODIFIER = {Discipline.OT: "GO", Discipline.PT: "GP", Discipline.SLP: "GN"}
# SLP has no assistant modifier: Medicare recognises no SLP assistant for Part B billing.
ASSISTANT_MODIFIER = {Discipline.OT: "CO", Discipline.PT: "CQ"}
THERAPIST = {Discipline.OT: "OT", Discipline.PT: "PT", Discipline.SLP: "SLP"}
ASSISTANT = {Discipline.OT: "OTA", Discipline.PT: "PTA", Discipline.SLP: "SLP assistant"}


@dataclass(frozen=True, slots=True)
class VisitContext:
    """A visit with the settled answers every rule reads."""

    visit: Visit
    book: RuleBook
    policy: PayerPolicy
    unit_method: UnitMethod

    @property
    def day(self) -> date:
        return self.visit.date_of_service

    @property
    def is_medicare(self) -> bool:
        return self.visit.payer_plan in MEDICARE_PLANS

    @property
    def discipline_modifier(self) -> str:
        return DISCIPLINE_MODIFIER[self.visit.discipline]

    @property
    def assistant_modifier(self) -> str | None:
        return ASSISTANT_MODIFIER.get(self.visit.discipline)

    @property
    def therapist(self) -> str:
        return THERAPIST[self.visit.discipline]

    @property
    def assistant(self) -> str:
        return ASSISTANT[self.visit.discipline]

    def assistant_modifier_exemption(self) -> str | None:
        """Why the assistant modifier is not used on this visit, or None when it is."""
        if self.assistant_modifier is None:
            return f"there is no assistant modifier for {self.visit.discipline}"
        rules = self.book.assistant_rules
        if rules.entry_on(self.day) is None:
            first = rules.values[0].effective.isoformat()
            return f"the assistant modifier applies to dates of service from {first}"
        if self.visit.setting is Setting.CRITICAL_ACCESS_HOSPITAL:
            return "critical access hospitals are exempt (paid on cost)"
        if self.policy.assistant_modifier is AssistantModifierPolicy.NOT_USED:
            source = self.policy.sources.get("assistant_modifier", "default")
            return f"the payer policy '{source}' does not use it"
        return None


def make_context(
    visit: Visit, book: RuleBook, *, overrides: tuple[PolicyOverride, ...] = ()
) -> VisitContext:
    """Resolve the payer policy for a visit and the unit method it is counted by."""
    policy = _policy(visit.payer_plan, overrides)
    return VisitContext(
        visit=visit, book=book, policy=policy, unit_method=visit.unit_method or policy.unit_method
    )


@lru_cache(maxsize=256)
def _policy(plan: PayerPlan, overrides: tuple[PolicyOverride, ...]) -> PayerPolicy:
    # Policies are pure functions of their inputs; resolving once per plan keeps checks fast.
    return resolve_policy(plan=plan, overrides=overrides)
