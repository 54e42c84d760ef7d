"""Reads of patient data: collected while a request runs, recorded once when it answers.

A GET that loads a patient's row shows it (the name heads every page about a patient, and every
list of them); views and selectors that show patient data without loading the patient's row say
so (`saw(patient_ids, "statement")`). The audit middleware gives each request a collector and,
when a GET answers 2xx, records one VIEW entry naming every patient shown (`object_ids`, and
`patient_id` when there is one): one write per request however many patients a list holds, and
none when the request fails. A patient seen twice on one request is named once. The entry is one
INSERT outside the chain, taking no lock (`services.audit_read`); a periodic job seals the reads
into their organization's chain in batches (audit.seals).

Writes are audited by their own entries (audit.signals), so a POST records no read. Outside a
request (the shell, a job, a test calling a selector) `saw` records at once and loading a row
records nothing.
"""

import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.db.models.signals import post_init

from otclinic.clinic.audit.context import Actor
from otclinic.clinic.audit.models import AuditEvent
from otclinic.clinic.audit.services import audit_read

READ_OBJECT_TYPE = "patients.patient"


@dataclass
class Reads:
    """What one request has shown so far: the patients, and in words what of them."""

    patient_ids: set[str] = field(default_factory=set)
    what: list[str] = field(default_factory=list)
    loaded: list[Any] = field(default_factory=list)
    repeated: bool = False

    def add(self, patient_ids: Iterable[object], what: str = "") -> None:
        self.patient_ids.update(str(p) for p in patient_ids if p)
        if what and what not in self.what:
            self.what.append(what)

    def shown(self) -> list[str]:
        """Every patient named so far: those said, and the rows loaded from the database (a form
        for a new patient makes one that is not stored: it names nobody)."""
        stored = {str(p.pk) for p in self.loaded if not p._state.adding}
        return sorted(self.patient_ids | stored)


_reads: ContextVar[Reads | None] = ContextVar("otclinic_audit_reads", default=None)


def saw(patient_ids: Iterable[object], what: str) -> None:
    """Note that the current request shows these patients' data (`what` says which, in a word or
    two: "chart", "statement"). Recorded at the end of the request; at once outside one."""
    reads = _reads.get()
    if reads is not None:
        reads.add(patient_ids, what)
        return
    single = Reads()
    single.add(patient_ids, what)
    record_reads(single)


def _on_patient_loaded(sender: type, instance: Any, **kwargs: Any) -> None:
    reads = _reads.get()
    if reads is not None:
        # Whether the row came from the database is known only once it is built: look then.
        reads.loaded.append(instance)


def connect() -> None:
    """Every patient row a request loads counts as shown (the patients app's model, by name:
    the audit app sits below it)."""
    post_init.connect(_on_patient_loaded, sender="patients.Patient", dispatch_uid="audit_reads")


def shown_before() -> None:
    """The current request re-shows what an audited page already shows, to the same user (the
    open conversation polling for its messages): it records no read of its own."""
    reads = _reads.get()
    if reads is not None:
        reads.repeated = True


@contextmanager
def collecting() -> Iterator[Reads]:
    """Collect the reads of a block (a request) instead of recording each at once."""
    reads = Reads()
    token = _reads.set(reads)
    try:
        yield reads
    finally:
        _reads.reset(token)


def record_reads(reads: Reads, *, actor: Actor | None = None, where: str = "") -> None:
    """One VIEW entry naming every patient in `reads` (nothing when it names none); `where` is
    the page (its URL name and path: ids only, never the query string)."""
    ids = reads.shown()
    if not ids or reads.repeated:
        return
    detail = " ".join(filter(None, [", ".join(reads.what), where]))
    audit_read(
        object_type=READ_OBJECT_TYPE,
        object_id=ids[0] if len(ids) == 1 else f"{len(ids)} patients",
        patient_id=uuid.UUID(ids[0]) if len(ids) == 1 else None,
        object_ids=ids,
        detail=detail,
        actor=actor,
    )


def naming_patient(
    entries: QuerySet[AuditEvent], patient_id: uuid.UUID | str
) -> QuerySet[AuditEvent]:
    """The entries about one patient: those about a row of theirs (`patient_id`) and those that
    name them among several (`object_ids`: a read of a list, a bulk change of patients)."""
    return entries.filter(Q(patient_id=patient_id) | Q(object_ids__icontains=str(patient_id)))
