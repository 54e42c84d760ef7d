"""Importing the inbox: each received file is recognised by its first transaction set's ST01
(and, for a 277, by ST03 or GS08: 277CA or 277) and handed to the import that reads it:

| kind | import |
|---|---|
| 999, 277CA | `revenue.acknowledgments.acknowledgment_import` (claims to Accepted or Rejected) |
| 277 | `clearinghouse.status.status_import_277` (the claims' payer status) |
| 271 | `payers.eligibility.eligibility_import_271` (the coverages' eligibility) |
| 835 | `revenue.posting.era_import` (payments posted) |

A file that cannot be read stays in the inbox as "Not read" with the reader's one line naming
the segment; the others go on. Each file is imported in its own transaction, once.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import organization_id_of, require
from otclinic.clinic.clearinghouse.files import inbox_put
from otclinic.clinic.clearinghouse.models import Direction, ExchangeFile, FileState
from otclinic.clinic.clearinghouse.status import ClaimStatusError, _outcome, status_import_277
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.payers.eligibility import EligibilityError, eligibility_import_271
from otclinic.clinic.revenue.acknowledgments import AcknowledgmentError, acknowledgment_import
from otclinic.clinic.revenue.posting import EraImportError, era_import
from otclinic.domain.access import Capability
from otclinic.domain.claims.x12.inbound import decode
from otclinic.domain.claims.x12.read_any import first_set_id
from otclinic.domain.claims.x12.status277 import read_277
from otclinic.domain.claims.x12.tokens import X12ReadError


class UnreadableFile(ValueError):
    """A received file that no import reads; the message names the segment."""


def kind_of_file(data: bytes) -> str:
    """999, 277CA, 277, 271 or 835, by the first ST01 (and ST03/GS08 for a 277)."""
    try:
        text = decode(data)
        set_id = first_set_id(text)
        return read_277(text).kind if set_id == "277" else set_id
    except (X12ReadError, UnicodeDecodeError) as exc:
        raise UnreadableFile(str(exc)) from None


def _route(kind: str, *, user: User, data: bytes, record: ExchangeFile) -> str:
    """Hand the file to its import; what it did, in one line."""
    if kind in {"999", "277CA"}:
        ack = acknowledgment_import(user=user, data=data, file_name=record.file_name)
        return (
            f"{len(ack.accepted)} accepted, {len(ack.rejected)} rejected, "
            f"{len(ack.unmatched)} not matched"
        )
    if kind == "277":
        return _outcome(status_import_277(user=user, data=data, inbox=record))
    if kind == "271":
        answers = eligibility_import_271(user=user, data=data, file_name=record.file_name)
        return f"{len(answers.answered)} eligibility answer(s), {len(answers.unmatched)} not asked"
    report = era_import(user=user, raw=data, filename=record.file_name)
    return (
        f"{len(report.remittances)} payment(s) posted, {len(report.unmatched)} claim(s) not "
        f"matched, {len(report.already_imported)} posted before"
    )


def _refusals() -> tuple[type[Exception], ...]:
    return (
        UnreadableFile,
        ClaimStatusError,
        ValidationFailed,
        EligibilityError,
        AcknowledgmentError,
        EraImportError,
        X12ReadError,
    )


@dataclass
class InboxRun:
    imported: list[ExchangeFile] = field(default_factory=list)
    failed: list[ExchangeFile] = field(default_factory=list)


def _import_one(*, user: User, record: ExchangeFile) -> None:
    refusals = _refusals()
    with record.file.open("rb") as handle:
        data = handle.read()
    try:
        with transaction.atomic():
            kind = kind_of_file(data)
            outcome = _route(kind, user=user, data=data, record=record)
    except refusals as exc:
        # Each import's refusal names the segment: the file stays in the inbox, marked.
        record.state, record.outcome = FileState.FAILED, f"Not read: {exc}"[:500]
        record.save(update_fields=["state", "outcome", "updated_at"])
        return
    record.refresh_from_db()
    record.kind, record.state, record.done_at = kind, FileState.IMPORTED, timezone.now()
    record.outcome = outcome[:500]
    record.save(update_fields=["kind", "state", "done_at", "outcome", "updated_at"])


def inbox_import(*, user: User) -> InboxRun:
    """Import every file waiting in the user's organization's inbox, oldest first."""
    require(user, Capability.MANAGE_BILLING)
    run = InboxRun()
    waiting = ExchangeFile.objects.for_org(user.organization_id).filter(
        direction=Direction.IN, state=FileState.WAITING
    )
    for record in waiting.order_by("created_at", "file_name"):
        _import_one(user=user, record=record)
        (run.imported if record.state == FileState.IMPORTED else run.failed).append(record)
    return run


@transaction.atomic
def inbox_receive(*, user: User, name: str, data: bytes) -> ExchangeFile:
    """Put an uploaded file in the inbox (the biller's upload, for the outbox-only transport)."""
    require(user, Capability.MANAGE_BILLING)
    return inbox_put(organization_id=organization_id_of(user), name=name, data=data)
