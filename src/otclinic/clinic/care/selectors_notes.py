"""Reads for the daily note pages, scoped to the user's organization and role.

Which notes and episodes a user may see is `care.access`; a note or episode of another
organization is answered like one that does not exist (404).
Portal users never reach staff notes: reading a note needs the chart capability.
"""

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import organization_id_of, require
from otclinic.clinic.care.access import visible_episodes, visible_notes
from otclinic.clinic.care.billing_adapter import note_check
from otclinic.clinic.care.models import (
    Episode,
    NoteLine,
    NoteReviewPolicy,
    NoteStatus,
    TreatmentNote,
)
from otclinic.clinic.care.review_adapter import note_review, policy_blocking
from otclinic.clinic.common.access import get_visible
from otclinic.clinic.common.errors import NotFoundForUser
from otclinic.clinic.organizations.models import Clinic
from otclinic.clinic.staff.models import staff_label_fields
from otclinic.domain.access import Capability
from otclinic.domain.billing import Decision
from otclinic.domain.billing.model import ClaimLine
from otclinic.domain.billing.modifier_words import SEVERITY_WORDS, modifier_words
from otclinic.domain.care.review_rules import CHECKS, review_rules
from otclinic.domain.compliance.findings import Finding, Severity

NOTE_SELECT = ("episode__patient", "episode__clinic", "episode__coverage__payer", "author__user")


def episode_get_for_user(*, user: Any, episode_id: uuid.UUID | str) -> Episode:
    """One episode the user may see (care.access), with what the note pages read, or 404."""
    require(user, Capability.VIEW_CHART)
    episodes = visible_episodes(user).select_related("patient", "clinic", "coverage__payer")
    return get_visible(episodes, episode_id, what="episode")


def notes_for_user(*, user: Any) -> QuerySet[TreatmentNote]:
    """Every note the user may list (care.access)."""
    require(user, Capability.VIEW_CHART)
    return visible_notes(user).select_related(*NOTE_SELECT)


def note_get_for_user(*, user: Any, note_id: uuid.UUID | str) -> TreatmentNote:
    """One note the user may open: the list's `.get`, or 404."""
    return get_visible(notes_for_user(user=user), note_id, what="note")


# What the chart's recent notes show of each: not the note's text.
RECENT_NOTE_FIELDS = (
    "id",
    "organization_id",
    "episode_id",
    "date_of_service",
    "status",
    "not_billable",
    "total_timed_minutes",
    "total_treatment_minutes",
)


def recent_notes_for_chart(*, organization_id: uuid.UUID, patient: Any) -> list[TreatmentNote]:
    """The patient's ten latest notes for the chart (`patients.hooks.chart_recent_notes`),
    without their text, and their lines with only the code."""
    return list(
        TreatmentNote.objects.for_org(organization_id)
        .filter(episode__patient=patient)
        .select_related("author__user")
        .only(*RECENT_NOTE_FIELDS, *staff_label_fields("author"))
        .prefetch_related(Prefetch("lines", queryset=NoteLine.objects.only("note_id", "code")))[:10]
    )


def note_history(note: TreatmentNote) -> dict[str, Any]:
    """Signatures, addenda and co-sign reviews of a note, oldest first."""
    return {
        "signatures": list(note.signatures.select_related("signer")),
        "addenda": list(note.addenda.select_related("author__user")),
        "reviews": list(note.cosign_reviews.select_related("reviewer__user")),
    }


def sampling_settings_for_user(*, user: User) -> QuerySet[Clinic]:
    """The clinics of the user's organization with their sampled-review percentage."""
    require(user, Capability.COSIGN)
    return Clinic.objects.for_org(user.organization_id).order_by("name")


@dataclass(frozen=True)
class ReviewLine:
    """One intervention of the note with what the claim will bill for it, in words."""

    code: str
    category: str
    minutes: str
    billed: tuple[str, ...]  # "2 units, GO CO", one per claim line of the code
    meanings: tuple[str, ...]  # each modifier with its meaning


@dataclass(frozen=True)
class ReviewFinding:
    css: str
    severity: str
    message: str
    citation: str
    finding: Any  # the check's own finding, for the plain sentence and its "Why?"


def review_lines(lines: list[NoteLine], decision: Decision) -> list[ReviewLine]:
    """Each of the note's `lines` with its units and modifiers from the billing check (a code
    split into lines with and without CO shows both)."""
    claim_by_code: dict[str, list[ClaimLine]] = {}
    for claim in decision.lines:
        claim_by_code.setdefault(claim.code, []).append(claim)
    rows = []
    for line in lines:
        claims = claim_by_code.get(line.code, [])
        rows.append(
            ReviewLine(
                code=line.code,
                category=line.get_category_display(),
                minutes=_minutes(line),
                billed=tuple(
                    f"{c.units} unit{'s' if c.units != 1 else ''}, {' '.join(c.modifiers)}"
                    for c in claims
                )
                or ("Not billed",),
                meanings=tuple(
                    dict.fromkeys(modifier_words(c.modifiers) for c in claims if c.modifiers)
                ),
            )
        )
    return rows


def _minutes(line: NoteLine) -> str:
    parts = [
        (line.assistant_minutes, "assistant alone"),
        (line.therapist_minutes, "therapist alone"),
        (line.together_minutes, "together"),
    ]
    return ", ".join(f"{m} min {who}" for m, who in parts if m) or "no minutes"


def review_findings(decision: Decision) -> list[ReviewFinding]:
    """The billing check's warnings and errors in plain words, errors first."""
    shown = [f for f in decision.findings if f.severity is not Severity.INFO]
    shown.sort(key=lambda f: f.severity is not Severity.ERROR)
    return [
        ReviewFinding(
            css="err" if f.severity is Severity.ERROR else "warn",
            severity=SEVERITY_WORDS[str(f.severity)],
            message=f.message,
            citation=f.citation,
            finding=f,
        )
        for f in shown
    ]


def review_decision(note: TreatmentNote) -> Decision | None:
    """For a note waiting for co-signature: what its claim will say, from the same check the
    charges will run. None for other notes and for a note signed as not billable."""
    if note.status != NoteStatus.COSIGN_PENDING or note.not_billable:
        return None
    return note_check(note).decision


def note_review_for(note: TreatmentNote) -> list[Finding]:
    """The review before signing of a saved draft, what blocks signing first (`review_adapter`).

    The note's page has already checked the reader's access and recorded the read; the
    earlier notes compared are read for the comparison only and never shown."""
    findings = list(note_review(note))
    findings.sort(key=lambda f: f.severity is not Severity.ERROR)
    return findings


@dataclass(frozen=True)
class ReviewSettingRow:
    rule_id: str
    summary: str
    citation: str
    blocks: bool


def clinics_for_settings(*, user: Any) -> QuerySet[Clinic]:
    """The clinics of the user's organization, for a clinic admin's settings pages."""
    require(user, Capability.MANAGE_STAFF)
    return Clinic.objects.filter(organization_id=organization_id_of(user)).order_by("name")


def clinic_for_settings(*, user: Any, clinic_id: str | None) -> Clinic:
    """One clinic of the user's organization (the first by name when none is named), or 404."""
    clinics = clinics_for_settings(user=user)
    if not clinic_id:
        first = clinics.first()
        if first is None:
            raise NotFoundForUser("clinic")
        return first
    return get_visible(clinics, clinic_id, what="clinic")


def review_settings_rows(clinic: Clinic) -> list[ReviewSettingRow]:
    """Each rule of the review before signing, and whether it blocks signing at `clinic`."""
    policy = NoteReviewPolicy.objects.filter(clinic=clinic).first()
    blocking = policy_blocking(policy)
    rules = review_rules()
    return [
        ReviewSettingRow(
            rule_id=rules.source(check).rule_id,
            summary=rules.source(check).summary,
            citation=rules.source(check).citation,
            blocks=rules.source(check).rule_id in blocking,
        )
        for check in CHECKS
    ]
