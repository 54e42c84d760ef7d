"""How an OTA must be supervised: dated rule packs, each citing its payer, state or setting rule.

Each pack speaks for one payer, state or setting (`rules/supervision_packs.yaml`) and holds
ordered tiers (first match wins, the last is the default) keyed by the OTA's months of practice
or months in the setting. A tier states the supervision level, how often a contact is owed, or
what share of the month's hours is owed as supervision. `supervision_contacts` evaluates them.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from otclinic.domain.codes import PayerPlan, Setting

RULES_FILE = Path(__file__).resolve().parent.parent / "rules" / "supervision_packs.yaml"
CHECK_NOTE = " (check: verify the current rule text before relying on it)"


class Level(StrEnum):
    """Supervision levels as the sources name them (42 CFR 410.59; AAC R4-43-101; 21 NCAC 38)."""

    DIRECT = "direct"
    CLOSE = "close"
    ROUTINE = "routine"
    GENERAL = "general"
    PERIODIC = "periodic"
    MINIMAL = "minimal"
    NOT_STATED = "not_stated"

    @property
    def rank(self) -> int:
        """Higher is stricter: how much of the OT's presence the level asks for."""
        return LEVEL_RANK[self]

    @property
    def label(self) -> str:
        return "not stated" if self is Level.NOT_STATED else self.value


# Strictest first: direct needs the OT in the suite during the visit; close and routine need
# frequent on-site contact; general needs the OT reachable; periodic and minimal only contacts.
LEVEL_RANK = {
    Level.DIRECT: 60,
    Level.CLOSE: 50,
    Level.ROUTINE: 40,
    Level.GENERAL: 30,
    Level.PERIODIC: 20,
    Level.MINIMAL: 10,
    Level.NOT_STATED: 0,
}


class ContactMethod(StrEnum):
    """How a supervision contact took place (8 NYCRR 76.8: the kind of contact is documented)."""

    IN_PERSON = "in_person"
    PHONE = "phone"
    VIDEO = "video"


ALL_METHODS = frozenset(ContactMethod)


@dataclass(frozen=True, slots=True)
class WorkContext:
    """One place the OTA works: the state, the setting and, when known, a payer of its caseload."""

    state: str
    setting: Setting
    payer_plan: PayerPlan | None = None


@dataclass(frozen=True, slots=True)
class Tier:
    """One row of a pack: when it holds and what it requires."""

    label: str
    level: Level
    practice_months_under: int | None = None
    setting_months_under: int | None = None
    contact_every_days: int | None = None
    contact_methods: frozenset[ContactMethod] = ALL_METHODS
    contact_on_site: bool = False
    contact_per_plan: bool = False
    percent_of_monthly_hours: Decimal | None = None
    percent_on_site_face_to_face: bool = False
    confidence: str | None = None
    note: str = ""

    def holds(self, *, practice_months: int | None, setting_months: int | None) -> bool:
        """Whether the OTA's experience falls in this tier; unknown experience counts as new."""
        return _under(self.practice_months_under, practice_months) and _under(
            self.setting_months_under, setting_months
        )


def _under(limit: int | None, months: int | None) -> bool:
    # Unknown experience is read as the least (the strict reading); the finding says so.
    return limit is None or months is None or months < limit


@dataclass(frozen=True, slots=True)
class SupervisionPack:
    """One payer's, state's or setting's supervision rule, as the rule file states it."""

    rule_id: str
    kind: str
    label: str
    citation: str
    confidence: str
    cosign: str
    tiers: tuple[Tier, ...]
    cosign_rules: tuple[str, ...] = ()
    written_plan_required: bool = False
    payer_plans: frozenset[PayerPlan] | None = None
    states: frozenset[str] | None = None
    settings: frozenset[Setting] | None = None
    effective_from: date | None = None
    effective_to: date | None = None

    def applies_to(self, context: WorkContext, day: date) -> bool:
        """Whether this pack speaks about work in this context on `day`."""
        payer_ok = self.payer_plans is None or context.payer_plan in self.payer_plans
        return (
            payer_ok
            and (self.states is None or context.state in self.states)
            and (self.settings is None or context.setting in self.settings)
            and self.in_force_on(day)
        )

    def in_force_on(self, day: date) -> bool:
        if self.effective_from and day < self.effective_from:
            return False
        return not (self.effective_to and day > self.effective_to)

    def tier_for(self, *, practice_months: int | None, setting_months: int | None) -> Tier:
        """The first tier that holds; the last tier has no conditions, so one always does."""
        for tier in self.tiers:
            if tier.holds(practice_months=practice_months, setting_months=setting_months):
                return tier
        return self.tiers[-1]

    def is_check(self, tier: Tier) -> bool:
        return (tier.confidence or self.confidence) == "check"


def months_between(start: date | None, day: date) -> int | None:
    """Whole months from `start` to `day` (None when the start is unknown)."""
    if start is None:
        return None
    months = (day.year - start.year) * 12 + day.month - start.month
    return max(0, months - (1 if day.day < start.day else 0))


def load_packs(path: Path = RULES_FILE) -> tuple[SupervisionPack, ...]:
    """Read a rule file in the format of rules/supervision_packs.yaml."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return tuple(_pack(raw) for raw in data["packs"])


def _pack(raw: dict[str, Any]) -> SupervisionPack:
    def opt(key: str, kind: Any) -> frozenset[Any] | None:
        return frozenset(kind(v) for v in raw[key]) if key in raw else None

    tiers = tuple(_tier(t) for t in raw["tiers"])
    if not tiers:
        raise ValueError(f"{raw['id']}: a pack needs at least one tier")
    return SupervisionPack(
        rule_id=str(raw["id"]),
        kind=str(raw["kind"]),
        label=str(raw["label"]),
        citation=str(raw["citation"]),
        confidence=str(raw["confidence"]),
        cosign=str(raw["cosign"]),
        tiers=tiers,
        cosign_rules=tuple(str(r) for r in raw.get("cosign_rules", ())),
        written_plan_required=bool(raw.get("written_plan_required", False)),
        payer_plans=opt("payer_plans", PayerPlan),
        states=opt("states", str),
        settings=opt("settings", Setting),
        effective_from=raw.get("effective_from"),
        effective_to=raw.get("effective_to"),
    )


def _tier(raw: dict[str, Any]) -> Tier:
    methods = raw.get("contact_methods")
    percent = raw.get("percent_of_monthly_hours")
    return Tier(
        label=str(raw["label"]),
        level=Level(raw["level"]),
        practice_months_under=raw.get("practice_months_under"),
        setting_months_under=raw.get("setting_months_under"),
        contact_every_days=raw.get("contact_every_days"),
        contact_methods=frozenset(ContactMethod(m) for m in methods) if methods else ALL_METHODS,
        contact_on_site=bool(raw.get("contact_on_site", False)),
        contact_per_plan=bool(raw.get("contact_per_plan", False)),
        percent_of_monthly_hours=Decimal(str(percent)) if percent is not None else None,
        percent_on_site_face_to_face=bool(raw.get("percent_on_site_face_to_face", False)),
        confidence=raw.get("confidence"),
        note=str(raw.get("note", "")),
    )


@lru_cache(maxsize=1)
def default_packs() -> tuple[SupervisionPack, ...]:
    """The shipped packs, read once per process."""
    return load_packs()
