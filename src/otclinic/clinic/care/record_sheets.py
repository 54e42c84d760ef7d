"""The printed form of each clinical document: its rows read into a `pdf_record.RecordSheet`.

Each signed document prints its signatures as they were recorded (the credentials stored at
signing, once); a document signed without a signature row (imported, or made before signatures
were kept) prints its author and signing time instead. A note prints every narrative field it
has, so a field added to the note is printed without a change here.
"""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils import timezone

from otclinic.clinic.care.models import (
    DischargeSummary,
    Episode,
    Evaluation,
    PlanOfCare,
    ProgressReport,
    Signature,
    SignatureMeaning,
    TreatmentNote,
)
from otclinic.clinic.care.narrative import assistance_attestation
from otclinic.clinic.care.pdf_record import (
    DATE,
    RecordSheet,
    SheetAddendum,
    SheetSection,
    SheetSignature,
)
from otclinic.clinic.staff.models import staff_label
from otclinic.domain.compliance.episode_certification import initial_through
from otclinic.domain.compliance.episode_model import PlanOfCare as PlanFacts

_MEANING = {SignatureMeaning.AUTHOR: "Signed by", SignatureMeaning.COSIGNER: "Co-signed by"}


def _day(value: dt.date | None) -> str:
    return f"{value:{DATE}}" if value else "—"


def _number(value: object) -> str:
    return (
        ""
        if value is None
        else f"{value.normalize():f}"
        if hasattr(value, "normalize")
        else str(value)
    )


def _header(episode: Episode) -> dict[str, Any]:
    patient, clinic = episode.patient, episode.clinic
    return {
        "practice": clinic.organization.name,
        "clinic_lines": (
            clinic.name,
            f"{clinic.address}, {clinic.city}, {clinic.state} {clinic.zip_code}",
            *([f"Phone {clinic.phone}"] if clinic.phone else []),
        ),
        "patient": f"{patient.first_name} {patient.last_name}",
        "birth_date": patient.birth_date,
        "mrn": patient.mrn,
    }


def _signatures(
    signatures: Iterable[Signature], *, author: object = None, signed_at: dt.datetime | None = None
) -> tuple[SheetSignature, ...]:
    lines = tuple(
        SheetSignature(
            _MEANING.get(SignatureMeaning(s.meaning), "Signed by"),
            staff_label(
                first_name=s.signer.first_name,
                last_name=s.signer.last_name,
                username=s.signer.username,
                credentials=s.credentials,
            ),
            timezone.localtime(s.signed_at),
        )
        for s in signatures
    )
    if not lines and author is not None and signed_at is not None:
        return (SheetSignature("Signed by", str(author), timezone.localtime(signed_at)),)
    return lines


def _signed(queryset: models.QuerySet[Signature]) -> list[Signature]:
    return list(queryset.select_related("signer").order_by("signed_at"))


def _signing(document: Any, *, author: object) -> dict[str, Any]:
    """A signed document's signatures (or its author and time, when no signature row was kept);
    a draft's notice that it is not signed."""
    return {
        "signatures": _signatures(
            _signed(document.signatures.all()), author=author, signed_at=document.signed_at
        ),
        "unsigned_notice": "" if document.signed_at else "Draft: not signed",
    }


def _text_sections(texts: Iterable[tuple[str, str]]) -> list[SheetSection]:
    """A section for each heading whose text holds something."""
    return [SheetSection(heading, (text,)) for heading, text in texts if text.strip()]


# --- the daily note -------------------------------------------------------------------------------


def _narrative_fields(note: TreatmentNote) -> tuple[SheetSection, ...]:
    """Every text field of the note that holds something, under its own name."""
    sections = []
    for field in TreatmentNote._meta.get_fields():
        if isinstance(field, models.TextField):
            value = (getattr(note, field.name) or "").strip()
            if value:
                sections.append(SheetSection(str(field.verbose_name).capitalize(), (value,)))
    return tuple(sections)


def note_sheet(note: TreatmentNote) -> RecordSheet:
    lines = [
        (
            line.code,
            line.get_category_display(),
            line.description,
            str(line.therapist_minutes),
            str(line.assistant_minutes),
            str(line.together_minutes),
        )
        for line in note.lines.all()
    ]
    goals = [
        (gp.goal.description, _number(gp.value), gp.comment)
        for gp in note.goal_progress.select_related("goal")
    ]
    sections = [
        *_narrative_fields(note),
        *(
            [
                SheetSection(
                    "Interventions",
                    rows=(
                        (
                            "Code",
                            "Category",
                            "Description",
                            "OT minutes",
                            "OTA minutes",
                            "Together",
                        ),
                        *lines,
                    ),
                )
            ]
            if lines
            else []
        ),
        *(
            [SheetSection("Goals addressed", rows=(("Goal", "Measured", "Comment"), *goals))]
            if goals
            else []
        ),
    ]
    attestation = assistance_attestation(note)
    if attestation:
        sections.append(SheetSection("Narrative drafted with assistance", (attestation,)))
    if note.not_billable:
        reason = note.get_not_billable_reason_display()
        detail = f": {note.not_billable_detail}" if note.not_billable_detail else ""
        sections.append(SheetSection("Not billable", (f"{reason}{detail}",)))
    addenda = tuple(
        SheetAddendum(
            timezone.localtime(a.written_at),
            str(a.author),
            a.reason,
            a.text,
            _signatures(_signed(a.signatures.all())),
        )
        for a in note.addenda.select_related("author__user").order_by("written_at")
    )
    return RecordSheet(
        title="Occupational therapy treatment note",
        **_header(note.episode),
        facts=(
            ("Date of service", _day(note.date_of_service)),
            ("Status", note.get_status_display()),
            ("Timed minutes", str(note.total_timed_minutes)),
            ("Total treatment minutes", str(note.total_treatment_minutes)),
            ("Patient present", "Yes" if note.patient_present else "No"),
        ),
        sections=tuple(sections),
        **_signing(note, author=note.author),
        addenda=addenda,
    )


# --- evaluation, plan of care, progress report, discharge -----------------------------------------


def evaluation_sheet(evaluation: Evaluation) -> RecordSheet:
    scores = [
        (
            s.instrument,
            s.get_side_display(),
            f"{_number(s.value)} {s.unit}".strip(),
            _day(s.measured_on),
        )
        for s in evaluation.scores.all()
    ]
    texts = (
        ("Occupational profile", evaluation.occupational_profile),
        ("History", evaluation.history),
        ("Performance deficits", evaluation.performance_deficits),
    )
    sections = _text_sections(texts)
    if evaluation.complexity:
        sections.append(
            SheetSection(
                f"Complexity: {evaluation.get_complexity_display()}",
                tuple(evaluation.complexity_reasoning.splitlines()),
            )
        )
    if scores:
        sections.append(
            SheetSection(
                "Standardized assessments",
                rows=(("Assessment", "Side", "Score", "Measured"), *scores),
            )
        )
    return RecordSheet(
        title=f"Occupational therapy {evaluation.get_kind_display().lower()} ({evaluation.code})",
        **_header(evaluation.episode),
        facts=(
            ("Performed on", _day(evaluation.performed_on)),
            ("Therapist", str(evaluation.therapist)),
        ),
        sections=tuple(sections),
        **_signing(evaluation, author=evaluation.therapist),
    )


def plan_sheet(plan: PlanOfCare) -> RecordSheet:
    through = initial_through(
        PlanFacts(established_on=plan.established_on, duration_days=plan.duration_days)
    )
    goals = [
        (
            g.get_term_display(),
            g.description,
            g.measure,
            f"{_number(g.baseline)} {g.unit}".strip(),
            f"{_number(g.target)} {g.unit}".strip(),
            _day(g.target_date),
        )
        for g in plan.goals.all()
    ]
    return RecordSheet(
        title=f"Occupational therapy plan of care (version {plan.version})",
        **_header(plan.episode),
        facts=(
            ("Evaluation (day 1)", _day(plan.established_on)),
            ("Certification period", f"{_day(plan.established_on)} to {_day(through)}"),
            (
                "Frequency and duration",
                f"{plan.frequency_per_week} times a week for {plan.duration_weeks} weeks "
                f"({plan.duration_days} days)",
            ),
            ("Certifying physician", str(plan.certifying_physician or "—")),
            ("Certified on", _day(plan.certified_on)),
        ),
        sections=(
            SheetSection(
                "Diagnoses",
                rows=(
                    ("ICD-10-CM", "Description"),
                    *(
                        (d.diagnosis.code, d.diagnosis.description)
                        for d in plan.plan_diagnoses.select_related("diagnosis")
                    ),
                ),
            ),
            SheetSection(
                "Goals", rows=(("Term", "Goal", "Measure", "Baseline", "Target", "By"), *goals)
            ),
            SheetSection(
                "Planned interventions",
                rows=(
                    ("Category", "Code", "Description"),
                    *(
                        (i.get_category_display(), i.code, i.description)
                        for i in plan.interventions.all()
                    ),
                ),
            ),
        ),
        **_signing(plan, author=plan.author),
    )


def _goal_rows(assessments: Iterable[Any]) -> tuple[tuple[str, ...], ...]:
    return (
        ("Goal", "Status", "Measured", "Comment"),
        *(
            (
                a.goal.description,
                a.get_status_display(),
                f"{_number(a.value)} {a.goal.unit}".strip() if a.value is not None else "",
                a.comment,
            )
            for a in assessments
        ),
    )


def progress_sheet(report: ProgressReport) -> RecordSheet:
    texts = (
        ("Objective findings", report.objective_findings),
        ("Assessment", report.assessment),
        ("Plan", report.plan),
    )
    sections = _text_sections(texts)
    assessments = list(report.goal_assessments.select_related("goal"))
    if assessments:
        sections.append(SheetSection("Goals", rows=_goal_rows(assessments)))
    return RecordSheet(
        title="Occupational therapy progress report",
        **_header(report.episode),
        facts=(
            ("Report date", _day(report.report_date)),
            ("Reporting period", f"{_day(report.period_start)} to {_day(report.report_date)}"),
            *([("Drafted by", str(report.drafted_by))] if report.drafted_by else []),
        ),
        sections=tuple(sections),
        **_signing(report, author=report.author),
    )


def discharge_sheet(discharge: DischargeSummary) -> RecordSheet:
    texts = (("Summary", discharge.summary), ("Recommendations", discharge.recommendations))
    sections = _text_sections(texts)
    outcomes = list(discharge.goal_outcomes.select_related("goal"))
    if outcomes:
        sections.append(SheetSection("Goal outcomes", rows=_goal_rows(outcomes)))
    episode = discharge.episode
    return RecordSheet(
        title="Occupational therapy discharge summary",
        **_header(episode),
        facts=(
            ("Discharge date", _day(discharge.discharge_date)),
            ("Episode", f"{_day(episode.started_on)} to {_day(discharge.discharge_date)}"),
            ("Reason", discharge.get_reason_display()),
        ),
        sections=tuple(sections),
        **_signing(discharge, author=discharge.author),
    )
