"""Claim acknowledgments (277CA, 005010X214): what the payer's front end accepted or rejected;
and implementation acknowledgments (999, 005010X231A1): whether our 837P file was readable.

A 999 names our file by its group control number (AK102 echoes GS06) and each transaction set
by ST02. A rejected set (IK501 R, M, W or X) means the payer took none of its claims: they move
from Submitted to Rejected and join the same work queue, with the syntax errors in words (the
segment, its position and the element at fault). An accepted set changes nothing: the claims
wait for the 277CA.

A 277CA answers each claim of an 837P by our claim number (TRN02 echoes CLM01). An accepted
claim moves from Submitted to Accepted (with the payer's claim number when REF*1K gives one); a
rejected one moves to Rejected and joins the biller's work queue with the reasons in words
(category, status and the entity or field at fault). The biller corrects a rejection by sending
the claim back to draft: it is fixed, scrubbed, marked ready and goes out in the next export.

An import is one transaction; the same file imported again (by its SHA-256) changes nothing.
"""

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import organization_id_of, require
from otclinic.clinic.revenue.models import (
    Acknowledgment,
    Claim,
    ClaimBatch,
    ClaimRejection,
    ClaimStatus,
)
from otclinic.domain.access import Capability
from otclinic.domain.claims.x12.ack999 import read_999
from otclinic.domain.claims.x12.inbound import decode
from otclinic.domain.claims.x12.read_any import first_set_id
from otclinic.domain.claims.x12.status277 import ClaimStatus as AnsweredClaim
from otclinic.domain.claims.x12.status277 import ClaimStatusReport, read_277
from otclinic.domain.claims.x12.tokens import X12ReadError

# A claim the front end may answer: one on its way or already answered once (a 277CA can
# follow an earlier one for the same claim).
ANSWERABLE = {ClaimStatus.SUBMITTED, ClaimStatus.ACCEPTED}


class AcknowledgmentError(ValueError):
    """A file that is not a claim acknowledgment (or cannot be read), in one line."""


@dataclass
class AcknowledgmentReport:
    acknowledgment: Acknowledgment
    already_imported: bool = False
    accepted: list[Claim] = field(default_factory=list)
    rejected: list[Claim] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    unchanged: list[Claim] = field(default_factory=list)


def reasons_of(answer: AnsweredClaim) -> list[str]:
    """Every status of the claim and of its lines, in words."""
    reasons = [code.in_words() for status in answer.statuses for code in status.codes]
    for service in answer.services:
        for status in service.statuses:
            reasons += [f"{service.procedure}: {code.in_words()}" for code in status.codes]
    return reasons


def _is_999(text: str) -> bool:
    """Whether the file's first transaction set is a 999 (ST01), without reading it twice;
    anything unreadable is left to the 277CA reader, which says why."""
    try:
        return first_set_id(text) == "999"
    except X12ReadError:
        return False


def _set_reasons(response: Any) -> list[str]:
    reasons = [
        f"Transaction set {response.control_number}: {response.status.words or response.status.code}"
    ]
    reasons += [e.words or f"error {e.code}" for e in response.errors]
    for segment in response.segment_errors:
        where = f"segment {segment.segment_id}" + (
            f" (position {segment.position})" if segment.position else ""
        )
        text = f"{where}: {segment.error.words or segment.error.code}" if segment.error else where
        for element in segment.elements:
            bad = f", value {element.bad_value!r}" if element.bad_value else ""
            text += (
                f"; element {element.position}: {element.error.words or element.error.code}{bad}"
            )
        reasons.append(text)
    return reasons


def _import_999(*, user: User, text: str, sha256: str, file_name: str) -> AcknowledgmentReport:
    ack999 = read_999(text)
    org = organization_id_of(user)
    ack = Acknowledgment.objects.create(
        organization_id=org, kind="999", file_name=file_name[:200], sha256=sha256, imported_by=user
    )
    result = AcknowledgmentReport(ack)
    for group in ack999.groups:
        number = int(group.group_control_number) if group.group_control_number.isdigit() else None
        batch = (
            ClaimBatch.objects.for_org(org).filter(group_control_number=number).first()
            if number is not None
            else None
        )
        if batch is None:
            result.unmatched.append(f"file GS06 {group.group_control_number}")
            continue
        claims = list(
            Claim.objects.for_org(org).select_for_update().filter(batch=batch).order_by("pk")
        )
        for response in group.transactions:
            if response.accepted:
                result.unchanged += [c for c in claims if c not in result.unchanged]
                continue
            reasons = _set_reasons(response)
            for claim in claims:
                if claim.status != ClaimStatus.SUBMITTED:
                    continue
                claim.status = ClaimStatus.REJECTED
                claim.save(update_fields=["status", "updated_at"])
                ClaimRejection.objects.create(
                    organization_id=org, claim=claim, acknowledgment=ack, reasons=reasons
                )
                result.rejected.append(claim)
    ack.rejected = len(result.rejected)
    ack.unmatched = result.unmatched
    ack.save(update_fields=["rejected", "unmatched", "updated_at"])
    return result


def read_acknowledgment(data: bytes) -> ClaimStatusReport:
    """The 277CA in `data`; anything else (a 277 status answer, a 999, an 835) is refused."""
    try:
        report = read_277(decode(data))
    except X12ReadError as exc:
        raise AcknowledgmentError(str(exc)) from None
    if report.kind != "277CA":
        raise AcknowledgmentError(
            f"this is a {report.kind}, not a claim acknowledgment (277CA, 005010X214)"
        )
    return report


@transaction.atomic
def acknowledgment_import(*, user: User, data: bytes, file_name: str = "") -> AcknowledgmentReport:
    """Import a 277CA (accepted claims to Accepted, rejected ones to Rejected and the queue) or
    a 999 (a rejected transaction set's claims to Rejected and the queue)."""
    require(user, Capability.MANAGE_BILLING)
    sha256 = hashlib.sha256(data).hexdigest()
    org = organization_id_of(user)
    existing = Acknowledgment.objects.for_org(org).filter(sha256=sha256).first()
    if existing is not None:
        return AcknowledgmentReport(existing, already_imported=True)
    text = decode(data)
    if _is_999(text):
        return _import_999(user=user, text=text, sha256=sha256, file_name=file_name)
    report = read_acknowledgment(data)
    ack = Acknowledgment.objects.create(
        organization_id=org,
        kind=report.kind,
        file_name=file_name[:200],
        sha256=sha256,
        imported_by=user,
    )
    answers = [claim for tx in report.transactions for claim in tx.claims]
    claims = {
        c.patient_control_number: c
        for c in Claim.objects.for_org(org)
        .select_for_update()
        .filter(patient_control_number__in=[a.claim_number for a in answers])
    }
    result = AcknowledgmentReport(ack)
    for answer in answers:
        claim = claims.get(answer.claim_number)
        if claim is None:
            result.unmatched.append(answer.claim_number)
        elif claim.status not in ANSWERABLE or not (answer.accepted or answer.rejected):
            result.unchanged.append(claim)
        elif answer.rejected:
            claim.status = ClaimStatus.REJECTED
            claim.save(update_fields=["status", "updated_at"])
            ClaimRejection.objects.create(
                organization_id=org, claim=claim, acknowledgment=ack, reasons=reasons_of(answer)
            )
            result.rejected.append(claim)
        else:
            claim.status = ClaimStatus.ACCEPTED
            fields = ["status", "updated_at"]
            if answer.payer_claim_number:
                claim.payer_claim_number = answer.payer_claim_number[:50]
                fields.append("payer_claim_number")
            claim.save(update_fields=fields)
            result.accepted.append(claim)
    ack.accepted, ack.rejected = len(result.accepted), len(result.rejected)
    ack.unmatched = result.unmatched
    ack.save(update_fields=["accepted", "rejected", "unmatched", "updated_at"])
    return result


@transaction.atomic
def rejection_correct(*, user: User, rejection: ClaimRejection) -> Claim:
    """Take a rejection out of the queue by sending its claim back to draft to be fixed and
    sent again (scrubbed and marked ready as any draft)."""
    require(user, Capability.MANAGE_BILLING)
    rejection = ClaimRejection.objects.select_for_update().get(pk=rejection.pk)
    claim = Claim.objects.select_for_update().get(pk=rejection.claim_id)
    if rejection.resolved_at is None:
        if claim.status == ClaimStatus.REJECTED:
            claim.status = ClaimStatus.DRAFT
            claim.scrub_findings, claim.scrubbed_at = None, None  # to be corrected: scrub again
            claim.save(update_fields=["status", "scrub_findings", "scrubbed_at", "updated_at"])
        rejection.resolved_at = timezone.now()
        rejection.resolved_by = user
        rejection.save(update_fields=["resolved_at", "resolved_by", "updated_at"])
    return claim
