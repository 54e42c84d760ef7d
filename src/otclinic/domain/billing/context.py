"""What one billing check settles before any rule runs: payer policy, unit method, modifiers."""

from dataclasses import dataclass
from datetime import date

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


class VisitContext:
    """A visit with the settled answers every rule reads.

    The answers that depend only on the payer plan, discipline, setting and chosen unit method
    are worked out once per combination (`_profile`) and copied in: every rule reads them, often
    several times per visit.
    """

    __slots__ = (
        "_exemption_after",
        "_exemption_before",
        "assistant",
        "assistant_modifier",
        "book",
        "day",
        "discipline_modifier",
        "is_medicare",
        "method_source",
        "policy",
        "therapist",
        "unit_method",
        "visit",
    )

    def __init__(self, visit: Visit, book: RuleBook, profile: "Profile") -> None:
        self.visit = visit
        self.book = book
        self.day: date = visit.date_of_service
        self.policy: PayerPolicy = profile.policy
        self.unit_method: UnitMethod = profile.unit_method
        self.is_medicare: bool = profile.is_medicare
        self.discipline_modifier: str = profile.discipline_modifier
        self.assistant_modifier: str | None = profile.assistant_modifier
        self.therapist: str = profile.therapist
        self.assistant: str = profile.assistant
        # Where the unit method comes from, for the end of the units finding.
        self.method_source: str = profile.method_source
        self._exemption_before = profile.exemption_before
        self._exemption_after = profile.exemption_after

    def assistant_modifier_exemption(self) -> str | None:
        """Why the assistant modifier is not used on this visit, or None when it is."""
        if self._exemption_before is not None:
            return self._exemption_before
        rules = self.book.assistant_rules
        if rules.entry_on(self.day) is None:
            first = rules.values[0].effective.isoformat()
            return f"the assistant modifier applies to dates of service from {first}"
        return self._exemption_after


@dataclass(frozen=True, slots=True)
class Profile:
    """What a visit's payer plan, discipline, setting and chosen unit method settle, whatever
    the date."""

    policy: PayerPolicy
    unit_method: UnitMethod
    is_medicare: bool
    discipline_modifier: str
    assistant_modifier: str | None
    therapist: str
    assistant: str
    method_source: str
    exemption_before: str | None  # the reason checked before the date
    exemption_after: str | None  # the reasons checked after it


def make_context(
    visit: Visit, book: RuleBook, *, overrides: tuple[PolicyOverride, ...] = ()
) -> VisitContext:
    """Resolve the payer policy for a visit and the unit method it is counted by."""
    key = (visit.payer_plan, visit.discipline, visit.setting, visit.unit_method, overrides)
    profile = _PROFILES.get(key)
    if profile is None:
        profile = _profile(*key)
        if len(_PROFILES) < 4096:  # a bound, should a caller make overrides without end
            _PROFILES[key] = profile
    return VisitContext(visit, book, profile)


_PROFILES: dict[
    tuple[PayerPlan, Discipline, Setting, UnitMethod | None, tuple[PolicyOverride, ...]], Profile
] = {}


def _profile(
    plan: PayerPlan,
    discipline: Discipline,
    setting: Setting,
    chosen: UnitMethod | None,
    overrides: tuple[PolicyOverride, ...],
) -> Profile:
    policy = resolve_policy(plan=plan, overrides=overrides)
    unit_method = chosen or policy.unit_method
    if chosen is not None:
        source = f"{unit_method}, chosen in the input"
    else:
        source = f"{unit_method}, payer policy '{policy.sources.get('unit_method', 'default')}'"
    modifier = ASSISTANT_MODIFIER.get(discipline)
    before = f"there is no assistant modifier for {discipline}" if modifier is None else None
    after = None
    if setting is Setting.CRITICAL_ACCESS_HOSPITAL:
        after = "critical access hospitals are exempt (paid on cost)"
    elif policy.assistant_modifier is AssistantModifierPolicy.NOT_USED:
        after = (
            f"the payer policy '{policy.sources.get('assistant_modifier', 'default')}' "
            "does not use it"
        )
    return Profile(
        policy=policy,
        unit_method=unit_method,
        is_medicare=plan in MEDICARE_PLANS,
        discipline_modifier=DISCIPLINE_MODIFIER[discipline],
        assistant_modifier=modifier,
        therapist=THERAPIST[discipline],
        assistant=ASSISTANT[discipline],
        method_source=source,
        exemption_before=before,
        exemption_after=after,
    )
