"""Whether a treatment note needs a supervisor's co-signature (payer, state and setting rules).

The payer's, the state's and the setting's rules each speak through a dated, cited rule pack in
`rules/supervision_cosign.yaml`. Every pack that applies to a note is evaluated and the strictest
answer wins: one pack that requires a co-signature is enough. A clinic may require co-signature
of every assistant note on top (the facility's own rule); it can make the answer stricter, never
looser. Packs marked `check` say so in their finding. Like every rule here, this only reports.
"""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from otclinic.domain.codes import PayerPlan, Role, Setting
from otclinic.domain.compliance.findings import Finding, Severity

RULES_FILE = Path(__file__).resolve().parent.parent / "rules" / "supervision_cosign.yaml"
CLINIC_OVERRIDE_ID = "supervision.clinic.override"


class Cosign(StrEnum):
    """What a pack says about co-signature."""

    REQUIRED = "required"
    NOT_REQUIRED = "not_required"
    PER_SUPERVISION_PLAN = "per_supervision_plan"


@dataclass(frozen=True, slots=True)
class CosignPack:
    """One payer's, state's or setting's co-signature rule, as the rule file states it."""

    rule_id: str
    kind: str
    roles: frozenset[Role]
    cosign: Cosign
    citation: str
    summary: str
    confidence: str
    payer_plans: frozenset[PayerPlan] | None = None
    states: frozenset[str] | None = None
    settings: frozenset[Setting] | None = None
    when: str | None = None
    effective_from: date | None = None
    effective_to: date | None = None

    def applies_to(self, note: "NoteAuthorship") -> bool:
        """Whether this pack speaks about a note with these facts."""
        return (
            note.author_role in self.roles
            and _within(self.payer_plans, note.payer_plan)
            and _within(self.states, note.state)
            and _within(self.settings, note.setting)
            and self._condition_holds(note)
            and self._in_force_on(note.date_of_service)
        )

    def _condition_holds(self, note: "NoteAuthorship") -> bool:
        if self.when is None:
            return True
        if self.when == "temporary_license":
            return note.temporary_license
        raise ValueError(f"{self.rule_id}: unknown condition {self.when!r}")

    def _in_force_on(self, day: date) -> bool:
        if self.effective_from and day < self.effective_from:
            return False
        return not (self.effective_to and day > self.effective_to)


@dataclass(frozen=True, slots=True)
class NoteAuthorship:
    """The facts about a note that decide co-signature.

    `supervision_plan_cosign` is what the OTA's written supervision plan says (New York,
    8 NYCRR 76.8): True (co-signed), False (initialed) or None (no plan on file).
    `clinic_requires_cosign` is the clinic's own override: every assistant or student note.
    """

    date_of_service: date
    state: str
    payer_plan: PayerPlan
    setting: Setting
    author_role: Role
    temporary_license: bool = False
    supervision_plan_cosign: bool | None = None
    clinic_requires_cosign: bool = False


@dataclass(frozen=True, slots=True)
class CosignDecision:
    """Whether a co-signature is required, why (one line per requiring rule) and every finding."""

    required: bool
    reasons: tuple[str, ...]
    findings: tuple[Finding, ...]

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)


def cosign_required(
    note: NoteAuthorship, *, packs: tuple[CosignPack, ...] | None = None
) -> CosignDecision:
    """The strictest answer of every pack that applies to the note, with a finding from each."""
    verdicts = [
        _verdict(pack, note)
        for pack in (default_packs() if packs is None else packs)
        if pack.applies_to(note)
    ]
    if note.clinic_requires_cosign and note.author_role in SUPERVISED_ROLES:
        verdicts.append(_clinic_override())
    reasons = tuple(reason for required, reason, _ in verdicts if required)
    findings = tuple(finding for _, _, finding in verdicts)
    if not verdicts:
        findings = (_no_rule(note),)
    return CosignDecision(required=bool(reasons), reasons=reasons, findings=findings)


SUPERVISED_ROLES = frozenset({Role.OTA, Role.PTA, Role.STUDENT})


def _verdict(pack: CosignPack, note: NoteAuthorship) -> tuple[bool, str, Finding]:
    """(required, reason, finding) for one pack that applies."""
    required = pack.cosign is Cosign.REQUIRED
    message = pack.summary
    severity = Severity.INFO
    if pack.cosign is Cosign.PER_SUPERVISION_PLAN:
        required, message, severity = _per_plan(pack, note.supervision_plan_cosign)
    if pack.confidence == "check":
        message += " (check: verify the current rule text before relying on it)"
    verdict = "co-signature required" if required else "no co-signature required"
    finding = Finding(
        rule_id=pack.rule_id,
        severity=severity,
        message=f"{message}: {verdict}.",
        citation=pack.citation,
    )
    return required, pack.summary, finding


def _per_plan(pack: CosignPack, plan_cosign: bool | None) -> tuple[bool, str, Severity]:
    if plan_cosign is None:
        # Without the plan on file the strict reading is the only safe one.
        text = f"{pack.summary}; no written supervision plan is on file, so it is co-signed"
        return True, text, Severity.WARNING
    said = "co-signed" if plan_cosign else "initialed"
    return plan_cosign, f"{pack.summary}; this OTA's plan says notes are {said}", Severity.INFO


def _clinic_override() -> tuple[bool, str, Finding]:
    summary = "The clinic requires the supervising OT to co-sign every assistant and student note"
    finding = Finding(
        rule_id=CLINIC_OVERRIDE_ID,
        severity=Severity.INFO,
        message=f"{summary}: co-signature required.",
        citation="clinic policy (facility rule; supervision.md: the strictest rule applies)",
    )
    return True, summary, finding


def _no_rule(note: NoteAuthorship) -> Finding:
    return Finding(
        rule_id="supervision.none",
        severity=Severity.INFO,
        message=(
            f"No co-signature rule applies to a {note.author_role} note in {note.state} "
            f"({note.payer_plan.label}, {note.setting.replace('_', ' ')}): no co-signature "
            "required."
        ),
        citation="rules/supervision_cosign.yaml: no pack (payer, state or setting rule) applies",
    )


def _within(allowed: frozenset[Any] | None, value: Any) -> bool:
    return allowed is None or value in allowed


def load_packs(path: Path = RULES_FILE) -> tuple[CosignPack, ...]:
    """Read a rule file in the format of rules/supervision_cosign.yaml."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return tuple(_pack(raw) for raw in data["packs"])


def _pack(raw: dict[str, Any]) -> CosignPack:
    def opt(key: str, kind: Any) -> frozenset[Any] | None:
        return frozenset(kind(v) for v in raw[key]) if key in raw else None

    return CosignPack(
        rule_id=str(raw["id"]),
        kind=str(raw["kind"]),
        roles=frozenset(Role(r) for r in raw["roles"]),
        cosign=Cosign(raw["cosign"]),
        citation=str(raw["citation"]),
        summary=str(raw["summary"]),
        confidence=str(raw["confidence"]),
        payer_plans=opt("payer_plans", PayerPlan),
        states=opt("states", str),
        settings=opt("settings", Setting),
        when=raw.get("when"),
        effective_from=raw.get("effective_from"),
        effective_to=raw.get("effective_to"),
    )


@lru_cache(maxsize=1)
def default_packs() -> tuple[CosignPack, ...]:
    """The shipped packs, read once per process."""
    return load_packs()
