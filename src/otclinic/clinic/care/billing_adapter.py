"""A treatment note (saved, or as typed in the form) as the billing check's input and answer.

`note_check` is the one function that builds a note's billing visit and the engine's decision.
The note page's live preview (lines as typed, before saving), signing, the co-signer's review
and charge creation (`revenue.charges`) all call it, so the preview shows KX exactly when the
charge will carry it, from the same allowed amounts.

The facts come from the episode (the payer plan of its coverage, the payer's unit method and
assistant-modifier policy, the clinic's setting), from the fieldwork rules (a student's note
under an OTA educator is billed as the assistant's, with Medicare's student check item), and
from the revenue cycle: each code's expected allowed amount per unit from the fee schedule and
the patient's year-to-date allowed amount, which the therapy threshold (KX) adds up. Those two
belong to `revenue`, which sits above `care` and imports it; so `revenue` answers the
`note_amounts` hook here when Django starts (`revenue.answers`), and `care` never imports
`revenue`.
"""

import dataclasses
import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from otclinic.clinic.care.adapters import payer_plan_of
from otclinic.clinic.care.fieldwork_adapter import with_student_findings
from otclinic.clinic.care.models import Episode, TreatmentNote
from otclinic.clinic.common.hooks import hook
from otclinic.clinic.fieldwork.student_notes import as_furnished
from otclinic.clinic.payers.adapters import payer_override, policy_for_payer
from otclinic.clinic.payers.selectors_codes import rulebook_for_organization
from otclinic.domain.billing import Decision, ServiceLine, Visit, check_visit
from otclinic.domain.billing.codebook import CodeKind
from otclinic.domain.billing.rulebook import RuleBook, default_rulebook
from otclinic.domain.codes import Discipline, Setting
from otclinic.domain.compliance.findings import Finding, Rule, Severity


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
class NoteFacts:
    """What a note says that the billing check reads: its lines and who was there."""

    lines: tuple[LineFacts, ...]
    patient_present: bool = True
    caregiver_consent: bool = False


@dataclass(frozen=True, slots=True)
class Amounts:
    """The revenue cycle's money facts for one note's visit.

    `allowed_per_unit` holds the codes that have a fee for the year; `without_fee` the codes
    asked about that have none in `year` (a charge cannot be created for them until one is).
    """

    allowed_per_unit: Mapping[str, Decimal]
    ytd_allowed: Decimal
    year: int
    without_fee: frozenset[str] = frozenset()


FEE_MISSING = Rule(
    rule_id="fees.missing",
    severity=Severity.WARNING,
    citation="the clinic's fee schedules (Billing: fee schedules)",
    summary="A code the claim will carry has no fee for the year: its charge cannot be created.",
)


@hook(provider="revenue")
def note_amounts(note: TreatmentNote, codes: frozenset[str]) -> Amounts:
    """The allowed amounts for `note`'s visit with `codes` on it (fee schedule, year-to-date
    amount for KX). Answered by `revenue.note_amounts.amounts_for_note`."""
    raise NotImplementedError


# (note, codes on the visit) -> the amounts; a caller may pass its own (a billing run's cache).
AmountsSource = Callable[[TreatmentNote, frozenset[str]], Amounts]


@dataclass(frozen=True, slots=True)
class NoteCheck:
    """A note's billing visit (with its amounts) and the engine's decision on it."""

    visit: Visit
    decision: Decision


def note_check(
    note: TreatmentNote,
    facts: NoteFacts | None = None,
    *,
    amounts: AmountsSource | None = None,
    rulebook: RuleBook | None = None,
) -> NoteCheck:
    """The billing visit and decision of `note`: with `facts` as typed on the page, else as saved.

    Lines without minutes are left out; under an OTA fieldwork educator every minute is billed
    as the assistant's (CO); a student's Medicare note carries the student check item. A charge
    run passes its own `amounts` source, which reads the amounts of many notes in bulk, and
    the organization's `rulebook`, looked up once for all of them.
    """
    book = rulebook or rulebook_for_organization(note.organization_id)
    facts = facts or saved_facts(note)
    lines = as_furnished(note, [line for line in facts.lines if line.minutes > 0])
    codes = frozenset(line.code for line in lines)
    # An add-on the engine bills from its base code's minutes (97130 from 97129's) needs its
    # own allowed amount for the threshold: it is asked for too, and given as a line without
    # minutes (it adds nothing to the pool).
    addons = family_addons(book, codes) - codes
    amounts_of = amounts or note_amounts
    found = amounts_of(note, codes | addons)
    lines = [*lines, *(LineFacts(code=code) for code in sorted(addons))]
    visit = visit_for(
        episode=note.episode,
        date_of_service=note.date_of_service,
        lines=lines,
        patient_present=facts.patient_present,
        caregiver_consent=facts.caregiver_consent,
        allowed_per_unit=found.allowed_per_unit,
        ytd_allowed=found.ytd_allowed,
    )
    decision = billing_decision(visit, episode=note.episode, rulebook=book)
    missing = sorted(found.without_fee & {line.code for line in decision.lines})
    if missing:
        decision = dataclasses.replace(
            decision, findings=(*decision.findings, _fee_missing(missing, found.year))
        )
    return NoteCheck(visit, with_student_findings(decision, note))


def _fee_missing(codes: list[str], year: int) -> Finding:
    return FEE_MISSING.finding(
        f"no {year} fee for {', '.join(codes)}: the biller adds it to a {year} fee schedule "
        "before the charges can be created"
    )


def family_addons(book: RuleBook, codes: frozenset[str]) -> frozenset[str]:
    """The add-on codes the engine may bill from the minutes of base codes among `codes`."""
    return frozenset(
        book.family(info.family)[1]
        for code in codes
        if (info := book.codes.get(code)) is not None and info.family and info.role == "base"
    )


def is_timed(code: str, *, rulebook: RuleBook | None = None) -> bool:
    """Whether a code is a 15-minute timed code in the code table (the organization's book)."""
    info = (rulebook or default_rulebook()).codes.get(code)
    return info is not None and info.kind is CodeKind.TIMED


def is_evaluation(code: str, *, organization_id: Any = None) -> bool:
    """Whether a code is an evaluation or re-evaluation in the code table (the organization's
    book when one is named)."""
    book = rulebook_for_organization(organization_id) if organization_id else default_rulebook()
    info = book.codes.get(code)
    return info is not None and info.is_evaluation


@dataclass(frozen=True, slots=True)
class Totals:
    timed_minutes: int
    treatment_minutes: int


def note_totals(lines: Iterable[LineFacts], *, organization_id: uuid.UUID) -> Totals:
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
    allowed_per_unit: Mapping[str, Decimal],
    ytd_allowed: Decimal,
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
                allowed_amount=allowed_per_unit.get(line.code),
                separate_time_block=line.separate_time_block,
            )
            for line in lines
            if line.minutes > 0 or line.code in allowed_per_unit
        ),
        unit_method=policy_for_payer(payer).unit_method,
        discipline=Discipline(episode.discipline),
        setting=Setting(episode.clinic.setting),
        ytd_allowed=ytd_allowed,
        patient_present=patient_present,
        caregiver_consent=caregiver_consent,
    )


def billing_decision(
    visit: Visit, *, episode: Episode, rulebook: RuleBook | None = None
) -> Decision:
    """The engine's decision, with the clinic's own payer settings as the first override
    (`rulebook`: the organization's, when already looked up)."""
    payer = episode.coverage.payer if episode.coverage else None
    # The engine matches overrides on plan kind only (a visit carries no payer id), so the
    # clinic's setting for this payer is applied to this visit's plan.
    overrides = (dataclasses.replace(payer_override(payer), payer_ids=None),) if payer else ()
    book = rulebook or rulebook_for_organization(episode.organization_id)
    return check_visit(visit, policy_overrides=overrides, rulebook=book)


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


def saved_facts(note: TreatmentNote) -> NoteFacts:
    """The billing facts of a saved note."""
    return NoteFacts(
        lines=tuple(saved_lines(note)),
        patient_present=note.patient_present,
        caregiver_consent=note.caregiver_consent,
    )
