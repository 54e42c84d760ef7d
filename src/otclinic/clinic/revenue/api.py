"""The revenue cycle over the JSON API: claims (the list's search, one claim with its lines,
payments and denials, and the claim page's actions), remittances (list, one, import an 835) and
the denial work queue (list, one, work one).

The same selectors and services as the billing pages, so the same checks: reading needs a role
that views billing (billers, clinic admins), every action one that manages it; another
organization's id is 404. Money is a decimal string ("150.10"), exact to the cent.
"""

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from ninja import Field, Router, Schema, Status

from otclinic.clinic.accounts.http import AuthenticatedHttpRequest
from otclinic.clinic.common.api_schemas import FieldProblems
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.revenue import claim_corrections, posting, selectors
from otclinic.clinic.revenue import claims as svc
from otclinic.clinic.revenue import denials as denial_services
from otclinic.clinic.revenue import selectors_remittance as remittance_selectors
from otclinic.clinic.revenue.denial_codes import carc_text
from otclinic.clinic.revenue.models import (
    Claim,
    ClaimStatus,
    Denial,
    Remittance,
    RemittanceClaim,
)
from otclinic.clinic.revenue.scrubber import ClaimHasProblems, ScrubProblem
from otclinic.clinic.revenue.scrubber import claim_scrub as scrub_service

claims_router = Router(tags=["claims"])
remittances_router = Router(tags=["remittances"])
denials_router = Router(tags=["denials"])

PAGE_LIMIT = 100
# The largest 835 the API takes in one call (the upload page's own bound is the web server's).
MAX_835_CHARACTERS = 5_000_000


def _page(rows: Any, limit: int, offset: int) -> list[Any]:
    limit, offset = min(max(limit, 1), PAGE_LIMIT), max(offset, 0)
    return list(rows[offset : offset + limit])


# Claims --------------------------------------------------------------------------------------


class ClaimRowOut(Schema):
    id: uuid.UUID
    patient_control_number: str
    status: str
    frequency: str
    patient_id: uuid.UUID
    payer_id: uuid.UUID
    payer_name: str
    first_service_on: dt.date
    last_service_on: dt.date
    total_charge: Decimal
    scrub_summary: str
    crossed_over_to: str

    @staticmethod
    def resolve_payer_id(claim: Claim) -> uuid.UUID:
        return claim.coverage.payer_id

    @staticmethod
    def resolve_payer_name(claim: Claim) -> str:
        return claim.coverage.payer.name


class ClaimLineOut(Schema):
    id: uuid.UUID
    line_number: int
    date_of_service: dt.date
    code: str
    modifiers: list[str]
    units: int
    amount: Decimal
    diagnosis_pointers: list[int]


class ScrubProblemOut(Schema):
    rule_id: str
    severity: str
    field: str
    message: str
    fix: str


class ClaimPaymentOut(Schema):
    """One claim payment of an 835 (CLP): what the payer said about one claim."""

    id: uuid.UUID
    remittance_id: uuid.UUID
    claim_id: uuid.UUID | None  # None: waiting in the unmatched queue
    patient_control_number: str
    status_code: str
    status_words: str
    charge: Decimal
    paid: Decimal
    patient_responsibility: Decimal | None
    payer_claim_number: str
    adjustments: list[dict[str, str]]
    posted_at: dt.datetime = Field(alias="created_at")


def _in_order(rows: Any) -> list[Any]:
    """Rows in the order they were written (the 835's order)."""
    return sorted(rows, key=lambda row: (row.created_at, row.pk))


class DenialOut(Schema):
    id: uuid.UUID
    claim_id: uuid.UUID
    claim_line_id: uuid.UUID | None
    payer_id: uuid.UUID
    group_code: str
    reason_code: str
    reason_text: str
    remark_codes: list[str]
    amount: Decimal
    status: str
    resolution_note: str
    created_at: dt.datetime

    @staticmethod
    def resolve_reason_text(denial: Denial) -> str:
        return carc_text(denial.reason_code).explanation


class ClaimOut(ClaimRowOut):
    coverage_id: uuid.UUID
    episode_id: uuid.UUID
    rendering_provider_id: uuid.UUID
    referring_physician_id: uuid.UUID | None
    original_id: uuid.UUID | None
    primary_claim_id: uuid.UUID | None
    place_of_service: str
    diagnosis_codes: list[str]
    payer_claim_number: str
    submitted_at: dt.datetime | None
    scrubbed_at: dt.datetime | None
    scrub_problems: list[ScrubProblemOut]
    lines: list[ClaimLineOut]
    payments: list[ClaimPaymentOut]
    denials: list[DenialOut]

    @staticmethod
    def resolve_scrub_problems(claim: Claim) -> list[dict[str, Any]]:
        return list(claim.scrub_findings or [])

    @staticmethod
    def resolve_lines(claim: Claim) -> list[Any]:
        return list(claim.lines.all())

    @staticmethod
    def resolve_payments(claim: Claim) -> list[Any]:
        return list(claim.remittances.order_by("created_at", "pk"))

    @staticmethod
    def resolve_denials(claim: Claim) -> list[Any]:
        return list(claim.denials.order_by("created_at", "pk"))


class ScrubOut(Schema):
    problems: list[ScrubProblemOut]


class ClaimStatusIn(Schema):
    # Checked by the service once the claim is found (another organization's id is 404
    # whatever the body holds): a status it may not take, or none, is 422 on `status`.
    status: str = ""


def _problems(problems: list[ScrubProblem]) -> dict[str, list[str]]:
    """The scrubber's errors by the claim's field, each with its fix."""
    errors: dict[str, list[str]] = {}
    for p in problems:
        if p.severity.value == "error":
            errors.setdefault(p.field or "claim", []).append(f"{p.message} {p.fix}".strip())
    return errors


def _refused(exc: svc.ClaimError, field: str = "claim") -> Any:
    return Status(422, {"errors": {field: [str(exc)]}})


@claims_router.get("/", response={200: list[ClaimRowOut], 422: FieldProblems})
def claim_list(
    request: AuthenticatedHttpRequest,
    q: str = "",
    status: ClaimStatus | None = None,
    payer_id: uuid.UUID | None = None,
    service_from: dt.date | None = None,
    service_to: dt.date | None = None,
    limit: int = 25,
    offset: int = 0,
) -> Any:
    """The claims list's search: `q` a patient's name or MRN, our or the payer's claim number;
    the payer, the status, a service date from `service_from` to `service_to`; newest service
    first, `limit` (at most 100) at a time."""
    if service_from and service_to and service_to < service_from:
        return Status(422, {"errors": {"service_to": ["Enter a date on or after service_from."]}})
    claims = selectors.claims_for_user(
        user=request.user,
        status=status,
        q=q[:100],
        payer=payer_id,
        service_from=service_from,
        service_to=service_to,
    )
    return _page(claims, limit, offset)


def _claim(request: AuthenticatedHttpRequest, claim_id: uuid.UUID) -> Claim:
    return selectors.claim_get_for_user(user=request.user, claim_id=claim_id)


@claims_router.get("/{claim_id}", response=ClaimOut)
def claim_get(request: AuthenticatedHttpRequest, claim_id: uuid.UUID) -> Any:
    """One claim with its lines, the kept scrub problems, its payments and its denials."""
    return _claim(request, claim_id)


@claims_router.post("/{claim_id}/scrub", response=ScrubOut)
def claim_scrub(request: AuthenticatedHttpRequest, claim_id: uuid.UUID) -> Any:
    """Scrub the claim and keep what was found with it (as the claim page's Scrub)."""
    problems = scrub_service(claim=_claim(request, claim_id), user=request.user)
    return {"problems": problems}


@claims_router.post("/{claim_id}/ready", response={200: ClaimOut, 422: FieldProblems})
def claim_ready(request: AuthenticatedHttpRequest, claim_id: uuid.UUID) -> Any:
    """Scrub and mark ready to export; 422 lists the errors by field, with their fixes."""
    claim = _claim(request, claim_id)
    try:
        svc.claim_mark_ready(claim=claim, user=request.user)
    except ClaimHasProblems as exc:
        return Status(422, {"errors": _problems(exc.problems)})
    except svc.ClaimError as exc:
        return _refused(exc, "status")
    return _claim(request, claim_id)


@claims_router.post("/{claim_id}/status", response={200: ClaimOut, 422: FieldProblems})
def claim_status(
    request: AuthenticatedHttpRequest, claim_id: uuid.UUID, payload: ClaimStatusIn
) -> Any:
    """Move the claim to another status (accepted, paid, denied, void ...) along the allowed
    transitions only; 422 on `status` names those the claim may take."""
    claim = _claim(request, claim_id)
    try:
        svc.claim_set_status(claim=claim, status=payload.status, user=request.user)
    except svc.ClaimError as exc:
        return _refused(exc, "status")
    return _claim(request, claim_id)


def _follow_up(request: AuthenticatedHttpRequest, claim_id: uuid.UUID, action: Any) -> Any:
    claim = _claim(request, claim_id)
    try:
        made = action(claim=claim, user=request.user)
    except svc.ClaimError as exc:
        return _refused(exc)
    return Status(201, _claim(request, made.pk))


@claims_router.post("/{claim_id}/correct", response={201: ClaimOut, 422: FieldProblems})
def claim_correct(request: AuthenticatedHttpRequest, claim_id: uuid.UUID) -> Any:
    """Resubmit as a correction: a replacement claim (frequency 7) as a draft to edit."""
    return _follow_up(request, claim_id, claim_corrections.claim_correct)


@claims_router.post("/{claim_id}/void", response={201: ClaimOut, 422: FieldProblems})
def claim_void(request: AuthenticatedHttpRequest, claim_id: uuid.UUID) -> Any:
    """A void claim (frequency 8) cancelling a claim the payer has; a draft is voided by
    `status` instead."""
    return _follow_up(request, claim_id, claim_corrections.claim_void)


@claims_router.post("/{claim_id}/secondary", response={201: ClaimOut, 422: FieldProblems})
def claim_secondary(request: AuthenticatedHttpRequest, claim_id: uuid.UUID) -> Any:
    """The claim to the next payer (secondary, then tertiary) once this one's has paid."""
    return _follow_up(request, claim_id, claim_corrections.claim_create_secondary)


# Remittances ---------------------------------------------------------------------------------


class RemittanceOut(Schema):
    id: uuid.UUID
    payer_name: str
    payer_identifier: str
    payment_amount: Decimal
    payment_method: str
    payment_date: dt.date | None
    trace_number: str
    file_name: str
    imported_at: dt.datetime = Field(alias="created_at")


class RemittanceServiceOut(Schema):
    id: uuid.UUID
    claim_line_id: uuid.UUID | None
    procedure: str
    modifiers: list[str]
    units: int
    date_of_service: dt.date | None
    charge: Decimal
    paid: Decimal
    adjustments: list[dict[str, str]]
    remarks: list[str]
    unmatched_reason: str


class RemittanceClaimOut(ClaimPaymentOut):
    services: list[RemittanceServiceOut]

    @staticmethod
    def resolve_services(rc: RemittanceClaim) -> list[Any]:
        return _in_order(rc.services.all())


class RemittanceDetailOut(RemittanceOut):
    provider_adjustments: list[dict[str, Any]]
    claims: list[RemittanceClaimOut]

    @staticmethod
    def resolve_claims(remittance: Remittance) -> list[Any]:
        return _in_order(remittance.claims.all())


class EraIn(Schema):
    file_name: str = Field(min_length=1, max_length=200)
    # The 835 as text, as the clearinghouse delivered it (segments and separators as sent).
    content: str = Field(min_length=1, max_length=MAX_835_CHARACTERS)


class EraImportOut(Schema):
    sha256: str
    remittance_ids: list[uuid.UUID]
    already_imported: list[str]
    posted: int
    unmatched: int
    denials: int
    warnings: list[str]


@remittances_router.get("/", response=list[RemittanceOut])
def remittance_list(request: AuthenticatedHttpRequest, limit: int = 25, offset: int = 0) -> Any:
    """The posted payments, the latest import first, `limit` (at most 100) at a time."""
    return _page(remittance_selectors.remittances_for_user(user=request.user), limit, offset)


@remittances_router.get("/{remittance_id}", response=RemittanceDetailOut)
def remittance_get(request: AuthenticatedHttpRequest, remittance_id: uuid.UUID) -> Any:
    """One payment: each claim it pays (CLP) with its service lines (SVC) and adjustments."""
    return remittance_selectors.remittance_get_for_user(
        user=request.user, remittance_id=remittance_id
    )


@remittances_router.post("/", response={200: EraImportOut, 422: FieldProblems})
def remittance_import(request: AuthenticatedHttpRequest, payload: EraIn) -> Any:
    """Post an 835, as the upload page does (the same service, in this call rather than a
    background job). A payment posts once: importing it again posts nothing and lists it in
    `already_imported`. A file that cannot be read is 422 on `content`, naming the segment."""
    try:
        report = posting.era_import(
            user=request.user, raw=payload.content.encode(), filename=payload.file_name
        )
    except posting.EraImportError as exc:
        return Status(422, {"errors": {"content": [str(exc)]}})
    return {
        "sha256": report.sha256,
        "remittance_ids": [r.pk for r in report.remittances],
        "already_imported": report.already_imported,
        "posted": len(report.posted),
        "unmatched": len(report.unmatched),
        "denials": len(report.denials),
        "warnings": report.warnings,
    }


# Denials -------------------------------------------------------------------------------------


class DenialActionIn(Schema):
    # Checked by the service once the denial is found, as ClaimStatusIn: one of write_off,
    # bill_patient, appealed, corrected, bill_secondary.
    action: str = ""
    note: str = Field("", max_length=2000)


@denials_router.get("/", response=list[DenialOut])
def denial_list(
    request: AuthenticatedHttpRequest,
    payer_id: uuid.UUID | None = None,
    carc: str = "",
    limit: int = 25,
    offset: int = 0,
) -> Any:
    """The work queue: open denials (open, appealed, corrected, billed to the secondary), the
    oldest first; one payer's and one CARC's as the queue page groups them."""
    denials = remittance_selectors.open_denials_for_user(
        user=request.user, payer_id=payer_id, reason_code=carc[:5]
    )
    return _page(denials, limit, offset)


@denials_router.get("/{denial_id}", response=DenialOut)
def denial_get(request: AuthenticatedHttpRequest, denial_id: uuid.UUID) -> Any:
    return remittance_selectors.denial_get_for_user(user=request.user, denial_id=denial_id)


@denials_router.post("/{denial_id}/resolve", response={200: DenialOut, 422: FieldProblems})
def denial_resolve(
    request: AuthenticatedHttpRequest, denial_id: uuid.UUID, payload: DenialActionIn
) -> Any:
    """Work a denial as its page does: write it off, bill the patient, or record an appeal,
    a correction or billing the secondary, with a note. A settled denial is 422 on `action`."""
    denial = remittance_selectors.denial_get_for_user(user=request.user, denial_id=denial_id)
    try:
        return denial_services.denial_resolve(
            user=request.user, denial=denial, action=payload.action, note=payload.note
        )
    except ValidationFailed as exc:
        return Status(422, {"errors": exc.errors})
