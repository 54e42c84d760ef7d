"""The claim scrubber: what would make the payer reject or deny a claim, found before it goes.

It reports and changes nothing but the claim's kept results: the last scrub's problems and its
time are stored with the claim (`Claim.scrub_findings`, `scrubbed_at`), shown on the claim's
page and the list, and cleared when the claim changes (its lines, a full save, a return to
draft). Each problem names the claim's field, says what is wrong
and how to fix it, and carries a severity: an `error` keeps the claim from being marked ready, a
`warning` needs a person's look. Sources, in the order shown:

1. The engine's findings for each note on the claim (the billing check), as kept with the
   note's charges when they were created: the decision the charges follow.
2. Everything the 837P writer would refuse (`p837.claim_problems`): NPIs and their check digits
   (billing, rendering, referring), the member id, 1-12 diagnoses, 1-4 pointers per line each
   pointing at a diagnosis, modifiers, addresses, the payer's claim number of a correction.
3. Claim rules of our own: referring physician present, rendering provider a therapist, timely
   filing, the rendering therapist's state license and NBCOT certification on the dates of
   service, and lines that duplicate a line on another claim.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.db import transaction
from django.utils import timezone

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.care.models import TreatmentNote
from otclinic.clinic.common.progress import Progress
from otclinic.clinic.fieldwork.student_notes import student_billing
from otclinic.clinic.revenue.charges import note_billing
from otclinic.clinic.revenue.export_facts import CLAIM_SELECT, LineRow, claim_facts, line_rows
from otclinic.clinic.revenue.fees import FeeMissing
from otclinic.clinic.revenue.models import (
    Charge,
    Claim,
    ClaimFrequency,
    ClaimLine,
    ClaimStatus,
)
from otclinic.clinic.revenue.selectors import claims_for_user
from otclinic.clinic.staff.credentials import credential_findings_for
from otclinic.domain.access import Capability
from otclinic.domain.claims.x12 import p837
from otclinic.domain.codes import THERAPIST_ROLES, PayerPlan
from otclinic.domain.compliance.explain import explain
from otclinic.domain.compliance.findings import Severity

# What the scrubber reads of each claim (the writer's facts and the claim rules), in one query.
SCRUB_SELECT = (*CLAIM_SELECT, "rendering_provider__user")
FILING_WARNING_DAYS = 30
REFERRAL_REQUIRED = {PayerPlan.MEDICARE_PART_B, PayerPlan.MEDICARE_ADVANTAGE, PayerPlan.MEDICAID}

# The writer's field paths, first match wins, with what a biller does about each.
FIXES: tuple[tuple[str, str], ...] = (
    (
        "claim.billing_provider",
        "Correct the practice's billing details (name, group NPI, EIN, "
        "street address with ZIP+4) in the organization's settings.",
    ),
    (
        "claim.subscriber.member_id",
        "Correct the member id on the patient's coverage, as printed on the insurance card.",
    ),
    ("claim.subscriber.address", "Add the patient's street address, city, state and ZIP code."),
    ("claim.patient.address", "Add the patient's street address, city, state and ZIP code."),
    ("claim.subscriber", "Correct the subscriber on the patient's coverage."),
    (
        "claim.rendering_provider",
        "Enter or correct the rendering therapist's NPI on their staff profile.",
    ),
    ("claim.referring_provider", "Correct the physician's NPI on the referring physician's page."),
    ("claim.diagnoses", "Rank 1 to 12 ICD-10-CM diagnoses on the plan of care."),
    (
        "claim.lines",
        "Correct the line: each points at 1 to 4 of the claim's diagnoses and "
        "carries at most 4 modifiers.",
    ),
    (
        "claim.payer_claim_control_number",
        "Enter the payer's claim number of the claim being "
        "corrected or voided (from its remittance).",
    ),
    (
        "claim.other_payers",
        "Post the primary payer's remittance so that what it paid and "
        "adjusted balances the line charges.",
    ),
    ("claim.service_facility", "Correct the clinic's address or NPI."),
    ("claim", "Correct the field named."),
)


@dataclass(frozen=True, slots=True)
class ScrubProblem:
    """One problem: the field, what is wrong, how to fix it, and how much it matters."""

    rule_id: str
    severity: Severity
    field: str
    message: str
    fix: str
    source: str = ""  # one of SOURCES: which part of the scrubber found it
    citation: str = ""  # the rule's source, shown behind "Why?"
    detail: str = ""  # the rule's own message where `message` is its plain sentence

    def as_json(self) -> dict[str, str]:
        """The problem as kept with the claim (`Claim.scrub_findings`)."""
        return {
            "rule_id": self.rule_id,
            "severity": str(self.severity),
            "source": self.source,
            "field": self.field,
            "message": self.message,
            "fix": self.fix,
            "citation": self.citation,
            "detail": self.detail,
        }


# The scrubber's three sources (the module docstring), in words for the claim page.
ENGINE, WRITER, CLAIM_RULES = "billing check", "837P writer", "claim rules"
SOURCES = (ENGINE, WRITER, CLAIM_RULES)


class ClaimHasProblems(ValueError):
    """The claim cannot be marked ready: the errors are listed."""

    def __init__(self, problems: Sequence[ScrubProblem]) -> None:
        self.problems = list(problems)
        errors = blocking(problems)
        super().__init__(f"{len(errors)} problem(s) keep the claim from being ready")


def blocking(problems: Sequence[ScrubProblem]) -> list[ScrubProblem]:
    return [p for p in problems if p.severity is Severity.ERROR]


@dataclass(frozen=True, slots=True)
class ScrubRun:
    """What scrubbing every draft claim found: the claims scrubbed and those without errors."""

    scrubbed: int
    clean: tuple[Claim, ...]


def claims_scrub(*, user: User, progress: Progress | None = None) -> ScrubRun:
    """Scrub every draft claim the user may see and keep each one's problems with it (it
    changes nothing else); each claim's errors go to `progress` as problems naming the claim."""
    require(user, Capability.MANAGE_BILLING)
    drafts = list(
        claims_for_user(user=user, status=ClaimStatus.DRAFT).select_related(*SCRUB_SELECT)
    )
    if progress is not None:
        progress.begin(total=len(drafts), step="Scrubbing draft claims")
    today = timezone.localdate()
    lines = line_rows([claim.pk for claim in drafts])
    clean = []
    for claim in drafts:
        problems = scrub_claim(claim, today=today, lines=lines.get(claim.pk, []))
        kept_results(claim, problems)
        errors = blocking(problems)
        if progress is not None:
            for problem in errors:
                progress.problem(message=f"{problem.message} {problem.fix}".strip(), claim=claim)
            progress.advance()
        if not errors:
            clean.append(claim)
    Claim.objects.bulk_update(drafts, SCRUB_FIELDS, batch_size=1000)
    return ScrubRun(len(drafts), tuple(clean))


def scrub_claim(
    claim: Claim, *, today: dt.date | None = None, lines: Sequence[LineRow] | None = None
) -> list[ScrubProblem]:
    """Every problem found on `claim`, errors first (`lines`: its lines, when already read)."""
    today = today or timezone.localdate()
    found = (
        (ENGINE, _engine(claim)),
        (WRITER, _writer(claim, lines)),
        (CLAIM_RULES, _claim_rules(claim, today, lines)),
    )
    problems = [replace(p, source=source) for source, some in found for p in some]
    return sorted(problems, key=lambda p: p.severity is not Severity.ERROR)


def kept_results(claim: Claim, problems: Sequence[ScrubProblem]) -> Claim:
    """`claim` with the scrub's problems and the time, to be saved (`SCRUB_FIELDS`)."""
    claim.scrub_findings = [p.as_json() for p in problems]
    claim.scrubbed_at = timezone.now()
    return claim


SCRUB_FIELDS = ["scrub_findings", "scrubbed_at"]


@transaction.atomic
def claim_scrub(*, claim: Claim, user: User) -> list[ScrubProblem]:
    """Scrub one claim and keep what was found with it (shown on its page and the list)."""
    require(user, Capability.MANAGE_BILLING)
    problems = scrub_claim(claim)
    kept_results(claim, problems).save(update_fields=[*SCRUB_FIELDS, "updated_at"])
    return problems


def _engine(claim: Claim) -> list[ScrubProblem]:
    """The billing check's findings on each note of the claim, as stored with its charges when
    they were created (the decision the charges follow); a note whose charges predate that is
    checked again."""
    problems = []
    for day, stored, note_id in _stored_findings(claim):
        field = f"note of {day.isoformat()}"
        if stored is None:
            try:
                stored = _checked_again(note_id)
            except FeeMissing as exc:
                problems.append(
                    ScrubProblem(
                        "scrub.fee_missing",
                        Severity.ERROR,
                        field,
                        str(exc),
                        "Add the code to the year's fee schedule.",
                    )
                )
                continue
        problems.extend(_finding_problem(field, finding) for finding in stored)
    return problems


def _stored_findings(claim: Claim) -> list[tuple[dt.date, list[dict[str, str]] | None, Any]]:
    """(date of service, stored findings or None, note id) per note on the claim, in date order."""
    by_note: dict[Any, tuple[dt.date, list[dict[str, str]] | None]] = {}
    rows = (
        Charge.objects.filter(claim_lines__claim=claim)
        .order_by("date_of_service", "note_id")
        .values_list("note_id", "date_of_service", "billing_findings")
    )
    for note_id, day, findings in rows:
        if note_id in by_note and by_note[note_id][1] is None:
            continue
        by_note[note_id] = (day, findings)
    return [(day, findings, note_id) for note_id, (day, findings) in by_note.items()]


def _checked_again(note_id: Any) -> list[dict[str, str]]:
    note = TreatmentNote.objects.select_related(
        "episode__coverage__payer", "episode__clinic", "author__user"
    ).get(pk=note_id)
    findings = note_billing(note).decision.findings
    return [f.as_json() for f in findings if f.severity is not Severity.INFO]


def _finding_problem(field: str, finding: dict[str, str]) -> ScrubProblem:
    severity = Severity(finding["severity"])
    plain = explain(finding["rule_id"], finding["message"]).plain
    return ScrubProblem(
        finding["rule_id"],
        severity,
        field,
        plain,
        "Correct the note with an addendum, void its charges and create them again."
        if severity is Severity.ERROR
        else "Check the note; the billing check asks for a person's look.",
        citation=finding["citation"],
        detail=finding["message"] if plain != finding["message"] else "",
    )


def _fix_for(field: str) -> str:
    return next(fix for prefix, fix in FIXES if field.startswith(prefix))


def _writer(claim: Claim, lines: Sequence[LineRow] | None) -> list[ScrubProblem]:
    try:
        facts = claim_facts(claim, lines=lines)
    except (ValueError, KeyError) as exc:
        return [
            ScrubProblem(
                "scrub.claim_facts",
                Severity.ERROR,
                "claim",
                str(exc),
                "Correct the coverage's relationship and the payer's claim filing indicator.",
            )
        ]
    return [
        ScrubProblem("scrub.x12", Severity.ERROR, p.field, p.message, _fix_for(p.field))
        for p in p837.claim_problems(facts, path="claim")
    ]


def _claim_rules(
    claim: Claim, today: dt.date, lines: Sequence[LineRow] | None
) -> list[ScrubProblem]:
    found = [
        _referring(claim),
        _rendering_role(claim),
        _timely_filing(claim, today),
    ]
    return [p for p in found if p is not None] + _credentials(claim) + _duplicates(claim, lines)


def _referring(claim: Claim) -> ScrubProblem | None:
    if claim.referring_physician_id is not None:
        return None
    plan = PayerPlan(claim.coverage.payer.plan_kind)
    return ScrubProblem(
        "scrub.referring_provider",
        Severity.ERROR if plan in REFERRAL_REQUIRED else Severity.WARNING,
        "referring_physician",
        "no referring or certifying physician (837P 2310A NM1*DN, CMS-1500 item 17)",
        "Name the certifying physician on the plan of care, or the physician on the referral, "
        "then assemble the claim again.",
    )


def _rendering_role(claim: Claim) -> ScrubProblem | None:
    if claim.rendering_provider.user.role in THERAPIST_ROLES:
        return None
    student = _student_rendering_error(claim)
    if student is not None:
        return student
    return ScrubProblem(
        "scrub.rendering_provider",
        Severity.ERROR,
        "rendering_provider",
        "the rendering provider must be the supervising therapist; assistants and students do "
        "not enroll with Medicare (42 CFR 410.59(c)(1))",
        "Set the assistant's supervising OT on their staff profile and assemble the claim again.",
    )


def _student_rendering_error(claim: Claim) -> ScrubProblem | None:
    """A student's note on the claim whose OTA educator has no supervising OT to render it."""
    notes = TreatmentNote.objects.filter(charges__claim_lines__claim=claim).distinct()
    for note in notes.select_related("author__user", "author__supervising_ot__user"):
        routed = student_billing(note)
        errors = [f for f in routed[1].findings if f.severity is Severity.ERROR] if routed else []
        if errors:
            educator = routed[0] if routed else None
            return ScrubProblem(
                "scrub.rendering_provider",
                Severity.ERROR,
                "rendering_provider.supervising_ot",
                errors[0].message,
                f"Set the supervising OT of the OTA fieldwork educator ({educator}) on their "
                "staff profile and assemble the claim again.",
                citation=errors[0].citation,
            )
    return None


def filing_deadline(claim: Claim) -> dt.date:
    """Medicare: 12 months from the date of service; other payers: their timely filing days."""
    first = claim.first_service_on
    payer = claim.coverage.payer
    if payer.plan_kind == PayerPlan.MEDICARE_PART_B:
        try:
            return first.replace(year=first.year + 1)
        except ValueError:  # 29 February
            return first.replace(year=first.year + 1, day=28)
    return first + dt.timedelta(days=payer.timely_filing_days)


def _timely_filing(claim: Claim, today: dt.date) -> ScrubProblem | None:
    deadline = filing_deadline(claim)
    if (
        claim.frequency != ClaimFrequency.ORIGINAL
        or today + dt.timedelta(FILING_WARNING_DAYS) < deadline
    ):
        return None
    late = today > deadline
    return ScrubProblem(
        "scrub.timely_filing",
        Severity.ERROR if late else Severity.WARNING,
        "first_service_on",
        f"the filing limit for {claim.first_service_on.isoformat()} "
        f"{'passed' if late else 'ends'} on {deadline.isoformat()} (CARC 29)",
        "Ask the payer whether an exception applies (and keep its proof), or write the charges off."
        if late
        else "Send the claim now.",
    )


# The credentials rule's findings as the scrubber shows them: (rule id, field, fix).
_CREDENTIAL_PROBLEMS = {
    "credentials.license_lapsed": (
        "scrub.state_license",
        "rendering_provider.licenses",
        "Record the therapist's current {state} license (number, issue and expiry dates) on "
        "their staff profile.",
    ),
    "credentials.nbcot_lapsed": (
        "scrub.nbcot",
        "rendering_provider.nbcot_expires_on",
        "Record the renewed NBCOT certification's expiry date on the staff profile.",
    ),
}
_CREDENTIAL_PROBLEMS["credentials.no_license_for_state"] = _CREDENTIAL_PROBLEMS[
    "credentials.license_lapsed"
]


def _credentials(claim: Claim) -> list[ScrubProblem]:
    """The rendering therapist's license and NBCOT certification over the dates of service."""
    state = claim.episode.clinic.state
    findings = credential_findings_for(
        claim.rendering_provider,
        state=state,
        first_day=claim.first_service_on,
        last_day=claim.last_service_on,
    )
    problems = []
    for finding in findings:
        rule_id, field, fix = _CREDENTIAL_PROBLEMS[finding.rule_id]
        message = f"the rendering therapist: {finding.message} (CARC B7: not eligible on that date)"
        problems.append(
            ScrubProblem(rule_id, finding.severity, field, message, fix.format(state=state))
        )
    return problems


def _duplicates(claim: Claim, lines: Sequence[LineRow] | None = None) -> list[ScrubProblem]:
    """Lines with the same code, modifiers and date on another live claim to the same payer."""
    others = (
        ClaimLine.objects.filter(
            claim__patient_id=claim.patient_id,
            claim__coverage__payer_id=claim.coverage.payer_id,
            claim__frequency=ClaimFrequency.ORIGINAL,
        )
        .exclude(claim=claim)
        .exclude(claim__status__in=[ClaimStatus.VOID, ClaimStatus.REJECTED])
        .exclude(claim__replacements__frequency=ClaimFrequency.VOID)
    )
    if claim.original_id is not None:
        others = others.exclude(claim_id=claim.original_id)
    seen: dict[tuple[Any, ...], str] = {}
    rows = others.filter(
        date_of_service__range=(claim.first_service_on, claim.last_service_on)
    ).values_list("date_of_service", "code", "modifiers", "claim__patient_control_number")
    for day, code, modifiers, control_number in rows:
        seen.setdefault((day, code, tuple(sorted(modifiers))), control_number)
    if not seen:
        return []
    problems = []
    for line in claim.lines.all() if lines is None else lines:
        other = seen.get((line.date_of_service, line.code, tuple(sorted(line.modifiers))))
        if other is None:
            continue
        problems.append(
            ScrubProblem(
                "scrub.duplicate_line",
                Severity.ERROR,
                f"lines[{line.line_number - 1}]",
                f"{line.code} {' '.join(line.modifiers)} on {line.date_of_service.isoformat()} is "
                f"already on claim {other} (CARC 18: duplicate)",
                "Remove the line, or send a corrected claim (frequency 7) for the other claim "
                "instead.",
            )
        )
    return problems
