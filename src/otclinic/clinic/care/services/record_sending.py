"""Sending a signed evaluation, progress report or discharge summary to the physician.

The same way as the plan of care (`services.delivery`): the record's PDF is kept with the
episode as a document that names its record (`EpisodeDocument.source_id`) and queued for the
physician by fax or Direct secure email; the record's page shows what became of it. Sending
again is safe: the PDF made the first time is the one sent, a sending on its way or delivered
is left as it is, and a failed one is queued again.
"""

from dataclasses import dataclass

from django.db import transaction

from otclinic.clinic.accounts.models import User
from otclinic.clinic.care import record_sheets
from otclinic.clinic.care.models import (
    DischargeSummary,
    DocumentKind,
    DocumentStatus,
    EpisodeDocument,
    Evaluation,
    PhysicianDelivery,
    ProgressReport,
)
from otclinic.clinic.care.pdf_record import RecordSheet, record_pdf
from otclinic.clinic.care.selectors_clinical import physician_of
from otclinic.clinic.care.services.clinical.common import require_therapist
from otclinic.clinic.care.services.clinical_reports import save_document
from otclinic.clinic.care.services.delivery import physician_delivery_queue
from otclinic.clinic.common.errors import ValidationFailed
from otclinic.clinic.referrals.models import PhysicianChannel
from otclinic.domain.access import Capability

SentRecord = Evaluation | ProgressReport | DischargeSummary


@dataclass(frozen=True)
class _Kind:
    document: DocumentKind
    capability: Capability
    what: str  # in a sentence: "the progress report"


_KINDS: dict[type, _Kind] = {
    Evaluation: _Kind(DocumentKind.EVALUATION, Capability.EVALUATE, "the evaluation"),
    ProgressReport: _Kind(
        DocumentKind.PROGRESS_REPORT, Capability.PROGRESS_REPORT, "the progress report"
    ),
    DischargeSummary: _Kind(
        DocumentKind.DISCHARGE_SUMMARY, Capability.DISCHARGE, "the discharge summary"
    ),
}


def _signed(record: SentRecord) -> bool:
    if isinstance(record, Evaluation):
        return record.signed_at is not None
    return record.status == DocumentStatus.SIGNED


def _sheet(record: SentRecord) -> RecordSheet:
    if isinstance(record, Evaluation):
        return record_sheets.evaluation_sheet(record)
    if isinstance(record, ProgressReport):
        return record_sheets.progress_sheet(record)
    return record_sheets.discharge_sheet(record)


def _document(user: User, record: SentRecord, kind: _Kind) -> EpisodeDocument:
    """The record's PDF made when it was first sent, else a new one."""
    kept = EpisodeDocument.objects.filter(
        episode=record.episode, kind=kind.document, source_id=record.pk
    ).first()
    if kept is not None:
        return kept
    sheet = _sheet(record)
    return save_document(
        user=user,
        episode=record.episode,
        kind=kind.document,
        title=f"{sheet.title} sent to the physician"[:200],
        content=record_pdf(sheet),
        source_id=record.pk,
    )


@transaction.atomic
def record_send_to_physician(
    *, user: User, record: SentRecord, channel: str = ""
) -> PhysicianDelivery:
    """Queue the signed `record`'s PDF for the physician, by `channel` (fax or Direct; blank:
    the physician's preferred one). Refused, naming the field, when it is not signed, no
    physician is on file, or the channel is not one a document is sent by."""
    kind = _KINDS[type(record)]
    require_therapist(user, record.episode, kind.capability)
    if channel and channel not in PhysicianChannel.values:
        raise ValidationFailed({"channel": ["Choose fax or Direct secure email."]})
    if not _signed(record):
        raise ValidationFailed({"__all__": [f"Sign {kind.what} before sending it."]})
    physician = physician_of(record)
    if physician is None:
        raise ValidationFailed(
            {
                "physician": [
                    "No physician is on file for this episode: name the certifying physician "
                    "on the plan of care or the referring physician on the referral."
                ]
            }
        )
    document = _document(user, record, kind)
    return physician_delivery_queue(
        user=user, document=document, physician=physician, channel=channel
    )
