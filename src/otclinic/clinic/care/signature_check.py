"""What each signed document hashes to now, recomputed the way it was hashed when signed.

`otclinic audit verify` compares these with each signature's stored `content_sha256`, so an
edit made in the database after signing (a note's narrative, a line's minutes) is caught. Each
function here uses the signing service's own document builder, so the two cannot drift apart.
"""

import hashlib
import json
from typing import Any

from django.db.models import Prefetch, QuerySet

from otclinic.clinic.care.models import Addendum, Signature
from otclinic.clinic.care.services.clinical.common import content_hash
from otclinic.clinic.care.services.clinical.evaluation import _evaluation_content
from otclinic.clinic.care.services.clinical.plan import plan_content
from otclinic.clinic.care.services.clinical_reports import _report_content
from otclinic.clinic.care.services.notes.signing import note_document
from otclinic.clinic.common.models import PrefetchLookup


def note_digest(note: Any, *, signed_at: Any) -> str:
    """The note's hash as signed at `signed_at`: the addenda written by then are part of it."""
    document = note_document(note)
    document["addenda"] = [
        {"at": a.written_at.isoformat(), "reason": a.reason, "text": a.text}
        for a in note.addenda.all()
        if a.written_at <= signed_at
    ]
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def addendum_digest(addendum: Addendum, *, signed_at: Any) -> str:
    """An addendum's hash: the note, the moment written (and signed), the reason and the text."""
    parts = [str(addendum.note_id), signed_at.isoformat(), addendum.reason, addendum.text]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def discharge_digest(discharge: Any) -> str:
    content = {"date": discharge.discharge_date, "reason": discharge.reason}
    return content_hash(content | {"summary": discharge.summary})


def signature_digest(signature: Signature) -> tuple[str, str, str]:
    """(document kind, document id, the hash of the document as it is now)."""
    if signature.note_id:
        return (
            "note",
            str(signature.note_id),
            note_digest(signature.note, signed_at=signature.signed_at),
        )
    if signature.addendum is not None:
        digest = addendum_digest(signature.addendum, signed_at=signature.signed_at)
        return "addendum", str(signature.addendum_id), digest
    if signature.evaluation is not None:
        digest = content_hash(_evaluation_content(signature.evaluation))
        return "evaluation", str(signature.evaluation_id), digest
    if signature.plan is not None:
        return "plan", str(signature.plan_id), content_hash(plan_content(signature.plan))
    if signature.progress_report is not None:
        digest = content_hash(_report_content(signature.progress_report))
        return "progress report", str(signature.progress_report_id), digest
    return "discharge", str(signature.discharge_id), discharge_digest(signature.discharge)


# What each kind of document's hash reads, to load it in a few queries.
_READS: dict[str, tuple[PrefetchLookup, ...]] = {
    "note": (
        "lines",
        "goal_progress",
        "equipment_trained",
        "environment_recommendations",
        "caregiver_training",
        Prefetch("addenda", queryset=Addendum.objects.order_by("written_at")),
    ),
    "addendum": (),
    "evaluation": ("scores",),
    "plan": ("plan_diagnoses__diagnosis", "goals", "interventions"),
    "progress_report": ("goal_assessments",),
    "discharge": (),
}


def _prefixed(kind: str, reads: tuple[PrefetchLookup, ...]) -> list[PrefetchLookup]:
    prefixed: list[PrefetchLookup] = [kind]
    for read in reads:
        if isinstance(read, Prefetch):
            prefixed.append(Prefetch(f"{kind}__{read.prefetch_to}", queryset=read.queryset))
        else:
            prefixed.append(f"{kind}__{read}")
    return prefixed


def signatures_for_check() -> QuerySet[Signature]:
    """Every signature with its document and what the document's hash reads, in few queries."""
    reads = [r for kind, kind_reads in _READS.items() for r in _prefixed(kind, kind_reads)]
    return Signature.objects.order_by("pk").prefetch_related(*reads)


_BATCH = 500


def signatures_hash_documents(signatures: list[Signature]) -> None:
    """Set each unsaved signature's `content_sha256` from its stored document (for rows written
    in bulk, such as the demo's, whose documents were inserted first)."""
    for kind, reads in _READS.items():
        chosen = [s for s in signatures if getattr(s, f"{kind}_id")]
        if not chosen:
            continue
        model = Signature._meta.get_field(kind).related_model
        documents = model._default_manager.prefetch_related(*reads)  # type: ignore[union-attr]
        # A few hundred documents at a time: SQLite refuses a prefetch over tens of thousands.
        for start in range(0, len(chosen), _BATCH):
            batch = chosen[start : start + _BATCH]
            loaded = documents.in_bulk({getattr(s, f"{kind}_id") for s in batch})
            for signature in batch:
                setattr(signature, kind, loaded[getattr(signature, f"{kind}_id")])
                signature.content_sha256 = signature_digest(signature)[2]


MAX_LISTED = 50


def signatures_compared(*, chunk_size: int = 500) -> tuple[int, list[str]]:
    """(signatures checked, one line for each whose document no longer matches): the answer to
    `audit.signatures.signatures_verify`, run by `otclinic audit verify`."""
    checked, mismatched, problems = 0, 0, []
    for signature in signatures_for_check().iterator(chunk_size=chunk_size):
        checked += 1
        kind, document_id, digest = signature_digest(signature)
        if digest == signature.content_sha256:
            continue
        mismatched += 1
        if mismatched <= MAX_LISTED:
            problems.append(
                f"signature {signature.pk}: the {kind} {document_id} was changed after it was "
                "signed (its content no longer matches the signature's hash)"
            )
    if mismatched > MAX_LISTED:
        problems.append(f"... and {mismatched - MAX_LISTED} more signatures like these")
    return checked, problems
