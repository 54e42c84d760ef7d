"""Running one export to its end (the worker's side): each type's rows through the read
endpoints' mappers, one resource a line, into NDJSON files; a row its mapper cannot map goes
to the error file as an OperationOutcome (its type, id and the error's class: no patient data).

The export reads as its requester (`FhirAccess` built again from the row: the user, or the
Backend Services client with the scopes it was granted), and writes one audit entry naming
every patient exported, under that user or client. A requester who may no longer export (a
role taken away, a client revoked) fails the export, at its start or at its next type. Progress is written at most once a second. A cancelled
export stops at the next type (or at its end) and removes what it wrote.
"""

import datetime as dt
import logging
import time
import uuid
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from otclinic.clinic.audit.context import Actor, actor_for_user
from otclinic.clinic.audit.reads import Reads, record_reads
from otclinic.clinic.fhir.access import FhirAccess, fhir_access, fhir_access_for_system
from otclinic.clinic.fhir.bulk.files import NdjsonWriter, files_delete, folder
from otclinic.clinic.fhir.bulk.models import BulkExport, ExportLevel, ExportStatus
from otclinic.clinic.fhir.catalog import TYPES
from otclinic.clinic.fhir.groups import group_members
from otclinic.clinic.fhir.shapes import Ctx
from otclinic.clinic.fhir.sources import Source
from otclinic.clinic.patients.models import Patient
from otclinic.clinic.smart.models import SmartClient
from otclinic.domain.fhir.outcome import operation_outcome

log = logging.getLogger(__name__)
_CHUNK = 500


class ExportCancelled(Exception):
    pass


def requester_access(export: BulkExport) -> FhirAccess:
    """What the requester reads now (a role changed or a client revoked since the kick-off
    counts: PermissionDenied)."""
    scopes = frozenset(export.scopes) if export.scopes is not None else None
    if export.client_id is not None:
        _require_client_active(export)
        return fhir_access_for_system(
            organization_id=export.organization_id,
            scopes=scopes or frozenset(),
            client_id=export.client_id,
        )
    return fhir_access(
        organization_id=export.organization_id, user=export.requested_by, scopes=scopes
    )


def _require_client_active(export: BulkExport) -> None:
    if export.client_id is None:
        return
    if not SmartClient.objects.filter(pk=export.client_id, revoked_at__isnull=True).exists():
        raise PermissionDenied("the SMART client was revoked")


def _requester_actor(export: BulkExport) -> Actor:
    """Who the audit entry names: the user, or the client (as `fhir.auth` names it)."""
    if export.client_id is not None:
        return Actor(None, "smart-client", export.organization_id, None)
    return actor_for_user(export.requested_by)


def _members(export: BulkExport, access: FhirAccess) -> QuerySet[Patient] | None:
    if export.level != ExportLevel.GROUP:
        return None
    members = group_members(access, export.group_id)
    return members if members is not None else Patient.objects.none()


def _rows(
    source: Source, access: FhirAccess, name: str, export: BulkExport, members: Any
) -> QuerySet[Any]:
    rows = source.rows(access, name)
    if export.since is not None:
        rows = rows.filter(updated_at__gt=export.since)
    if export.level != ExportLevel.SYSTEM:
        if not source.patient_paths:
            return rows.none()
        if members is not None:
            within = Q()
            for path in source.patient_paths:
                within |= Q(**{f"{path}__in": members.values("pk")})
            rows = rows.filter(within)
    return rows


class _Progress:
    def __init__(self, export_id: uuid.UUID) -> None:
        self.export_id, self.done, self._at = export_id, 0, 0.0

    def begin(self, total: int) -> None:
        BulkExport.objects.filter(pk=self.export_id).update(total=total, done=0)

    def advance(self) -> None:
        self.done += 1
        if time.monotonic() - self._at >= settings.OTCLINIC_JOB_PROGRESS_EVERY:
            self._at = time.monotonic()
            BulkExport.objects.filter(pk=self.export_id).update(done=self.done)


def _cancelled(export_id: uuid.UUID) -> bool:
    return BulkExport.objects.filter(pk=export_id, status=ExportStatus.CANCELLED).exists()


def _error_outcome(name: str, row: Any, exc: Exception) -> dict[str, Any]:
    return operation_outcome(
        code="exception",
        diagnostics=f"{name}/{row.pk} could not be exported ({type(exc).__name__})",
    )


def _write_type(
    name: str,
    work: Iterator[tuple[Source, QuerySet[Any]]],
    *,
    out: NdjsonWriter,
    errors: NdjsonWriter,
    ctx: Ctx,
    shown: Reads,
    progress: _Progress,
) -> None:
    for source, rows in work:
        for row in rows.iterator(chunk_size=_CHUNK):
            try:
                resource = source.mapper(row, ctx)
            except Exception as exc:  # noqa: BLE001 - written to the error file, export goes on
                log.warning(
                    "fhir export row failed type=%s id=%s error=%s",
                    name,
                    row.pk,
                    type(exc).__name__,
                )
                errors.write(_error_outcome(name, row, exc))
            else:
                patients = source.patient_ids(row)
                out.write(resource, patient_ids=patients)
                shown.add(patients)
            progress.advance()
    out.flush()


def export_execute(*, export_id: uuid.UUID) -> dict[str, Any]:
    """Run a queued export; one already taken (or cancelled) is left alone."""
    claimed = BulkExport.objects.filter(pk=export_id, status=ExportStatus.QUEUED).update(
        status=ExportStatus.RUNNING, transaction_time=timezone.now()
    )
    if not claimed:
        return {"status": "skipped"}
    export = BulkExport.objects.select_related("requested_by", "client__application").get(
        pk=export_id
    )
    prefix = folder(organization_id=export.organization_id, export_id=export.pk)
    writers: list[NdjsonWriter] = []
    errors = NdjsonWriter(prefix=prefix, resource_type="OperationOutcome")
    try:
        shown = _export(export, prefix=prefix, writers=writers, errors=errors)
    except ExportCancelled:
        files_delete(prefix=prefix, names=_names(writers, errors))
        return {"status": ExportStatus.CANCELLED}
    except PermissionDenied as exc:
        files_delete(prefix=prefix, names=_names(writers, errors))
        _end(export, status=ExportStatus.FAILED, failure=f"the export stopped: {exc}")
        log.warning("fhir export refused export=%s", export.pk)
        return {"status": ExportStatus.FAILED}
    except Exception as exc:
        files_delete(prefix=prefix, names=_names(writers, errors))
        _end(
            export, status=ExportStatus.FAILED, failure=f"the export stopped ({type(exc).__name__})"
        )
        log.error("fhir export failed export=%s error=%s", export.pk, type(exc).__name__)
        raise
    # Recorded before the end, so that every finished export has its entry (the rows were read
    # even if a cancel comes at the last moment).
    record_reads(shown, actor=_requester_actor(export), where=str(export.pk))
    output = [f for w in writers for f in w.files]
    if not _end(export, status=ExportStatus.DONE, output=output, errors=errors.files):
        files_delete(prefix=prefix, names=_names(writers, errors))  # cancelled at the last moment
        return {"status": ExportStatus.CANCELLED}
    return {"status": ExportStatus.DONE}


def _names(writers: list[NdjsonWriter], errors: NdjsonWriter) -> list[str]:
    return [f["name"] for w in [*writers, errors] for f in w.files]


def _export(
    export: BulkExport, *, prefix: str, writers: list[NdjsonWriter], errors: NdjsonWriter
) -> Reads:
    access = requester_access(export)
    members = _members(export, access)
    ctx = Ctx(site=export.site_url, base=export.base_url)
    plan = {
        name: [(s, _rows(s, access, name, export, members)) for s in TYPES[name].sources]
        for name in export.types
    }
    progress = _Progress(export.pk)
    progress.begin(sum(rows.count() for work in plan.values() for _, rows in work))
    shown = Reads()
    shown.add([], "FHIR bulk export")
    if export.client is not None:
        shown.add([], f"by SMART client {export.client.application.client_id}")
    for name, work in plan.items():
        if _cancelled(export.pk):
            raise ExportCancelled
        _require_client_active(export)
        writer = NdjsonWriter(prefix=prefix, resource_type=name)
        writers.append(writer)
        _write_type(
            name, iter(work), out=writer, errors=errors, ctx=ctx, shown=shown, progress=progress
        )
    errors.flush()
    return shown


def _end(
    export: BulkExport,
    *,
    status: ExportStatus,
    output: list[dict[str, Any]] | None = None,
    errors: list[dict[str, Any]] | None = None,
    failure: str = "",
) -> bool:
    """Record the end, unless the export was cancelled meanwhile (False then)."""
    now = timezone.now()
    return bool(
        BulkExport.objects.filter(pk=export.pk, status=ExportStatus.RUNNING).update(
            status=status,
            done=F("total") if status == ExportStatus.DONE else F("done"),
            output=output or [],
            errors=errors or [],
            failure=failure[:300],
            finished_at=now,
            expires_at=now + dt.timedelta(hours=settings.OTCLINIC_FHIR_EXPORT_HOURS),
        )
    )
