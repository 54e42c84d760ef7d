"""A treatment note (saved, or as typed in the form) as the billing check's input.

The note page's live preview and signing both call the engine's public `check_visit` on what
this module builds, so what the clinician sees is what the claim will say. The facts come from
the episode: the payer plan of its coverage, the payer's unit method and assistant-modifier
policy (`policy_for_payer`), the clinic's setting. `ytd_allowed` is 0 until the revenue cycle
records allowed amounts: the threshold (KX) preview cannot fire before then, and says so.
"""

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from otclinic.clinic.care.adapters import payer_plan_of
from otclinic.clinic.care.models import Episode, TreatmentNote
from otclinic.clinic.payers.adapters import payer_override, policy_for_payer
from otclinic.clinic.payers.selectors_codes import rulebook_for_organization
from otclinic.domain.billing import Decision, ServiceLine, Visit, check_visit
from otclinic.domain.billing.codebook import CodeKind
from otclinic.domain.billing.rulebook import RuleBook, default_rulebook
from otclinic.domain.codes import Discipline, Setting
from otclinic.domain.compliance.findings import Finding, Severity

YTD_NOT_TRACKED = Finding(
    rule_id="preview.ytd_allowed",
    severity=Severity.INFO,
    message=(
        "Year-to-date allowed amount taken as $0.00: otclinic does not yet record allowed "
        "amounts, so the therapy threshold (KX) is not previewed here."
    ),
    citation="SSA 1833(g); MCPM Pub. 100-04 ch. 5 sec. 10.3",
)


@dataclass(frozen=True, slots=True)
class LineFacts:
    """One intervention's code and minutes, whether saved or typed."""

    code: str
    therapist_minutes: int = 0
    assistant_minutes: int = 0
    together_minutes: int = 0
    separate_time_block: bool = False

    @property
    def minutes(self) -> int:
        return self.therapist_minutes + self.assistant_minutes + self.together_minutes


@dataclass(frozen=True, slots=True)
class Totals:
    timed_minutes: int
    treatment_minutes: int


def is_timed(code: str, *, rulebook: RuleBook | None = None) -> bool:
    """Whether a code is a 15-minute timed code in the code table (the organization's book)."""
    info = (rulebook or default_rulebook()).codes.get(code)
    return info is not None and info.kind is CodeKind.TIMED


def note_totals(lines: Iterable[LineFacts], *, organization_id: Any) -> Totals:
    """Total timed-code minutes and total treatment minutes (BPM ch. 15 sec. 220.3)."""
    lines = list(lines)
    book = rulebook_for_organization(organization_id)
    return Totals(
        timed_minutes=sum(line.minutes for line in lines if is_timed(line.code, rulebook=book)),
        treatment_minutes=sum(line.minutes for line in lines),
    )


def visit_for(
    *,
    episode: Episode,
    date_of_service: dt.date,
    lines: Iterable[LineFacts],
    patient_present: bool,
    caregiver_consent: bool,
) -> Visit:
    """The billing check's input for one note of `episode`."""
    payer = episode.coverage.payer if episode.coverage else None
    return Visit(
        date_of_service=date_of_service,
        payer_plan=payer_plan_of(episode),
        lines=tuple(
            ServiceLine(
                code=line.code,
                therapist_minutes=line.therapist_minutes,
                assistant_minutes=line.assistant_minutes,
                together_minutes=line.together_minutes,
                separate_time_block=line.separate_time_block,
            )
            for line in lines
            if line.minutes > 0
        ),
        unit_method=policy_for_payer(payer).unit_method,
        discipline=Discipline(episode.discipline),
        setting=Setting(episode.clinic.setting),
        ytd_allowed=Decimal("0.00"),
        patient_present=patient_present,
        caregiver_consent=caregiver_consent,
    )


def billing_decision(visit: Visit, *, episode: Episode) -> Decision:
    """The engine's decision, with the clinic's own payer settings as the first override."""
    payer = episode.coverage.payer if episode.coverage else None
    # The engine matches overrides on plan kind only (a visit carries no payer id), so the
    # clinic's setting for this payer is applied to this visit's plan.
    overrides = (dataclasses.replace(payer_override(payer), payer_ids=None),) if payer else ()
    book = rulebook_for_organization(episode.organization_id)
    decision = check_visit(visit, policy_overrides=overrides, rulebook=book)
    return dataclasses.replace(decision, findings=(*decision.findings, YTD_NOT_TRACKED))


def line_facts(line: Any) -> LineFacts:
    """The code and minutes of a saved `NoteLine` or of a line as typed (`LineInput`)."""
    return LineFacts(
        code=line.code,
        therapist_minutes=line.therapist_minutes,
        assistant_minutes=line.assistant_minutes,
        together_minutes=line.together_minutes,
        separate_time_block=line.separate_time_block,
    )


def saved_lines(note: TreatmentNote) -> list[LineFacts]:
    return [line_facts(line) for line in note.lines.all()]


def note_decision(note: TreatmentNote) -> Decision:
    """The billing decision for a saved note."""
    visit = visit_for(
        episode=note.episode,
        date_of_service=note.date_of_service,
        lines=saved_lines(note),
        patient_present=note.patient_present,
        caregiver_consent=note.caregiver_consent,
    )
    return billing_decision(visit, episode=note.episode)
