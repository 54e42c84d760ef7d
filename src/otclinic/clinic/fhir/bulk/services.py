"""Starting, cancelling and expiring bulk exports: the only writers of `BulkExport` besides
the running export itself (`run.py`)."""

import logging
from typing import Any

from django.db import transaction
from django.utils import timezone

from otclinic.clinic.fhir.access import FhirAccess
from otclinic.clinic.fhir.bulk.files import files_delete, folder
from otclinic.clinic.fhir.bulk.models import HOLDS_FILES, BulkExport, ExportLevel, ExportStatus
from otclinic.clinic.fhir.bulk.tasks import run_fhir_export
from otclinic.domain.fhir.bulk import ExportRequest

log = logging.getLogger(__name__)


@transaction.atomic
def export_start(
    *,
    access: FhirAccess,
    level: ExportLevel,
    asked: ExportRequest,
    request_url: str,
    site_url: str,
    group_id: str = "",
) -> BulkExport:
    """Record the export and queue it (with the database backend, in the same transaction)."""
    export = BulkExport.objects.create(
        organization_id=access.organization_id,
        requested_by=None if access.system else access.user,
        client_id=access.client_id if access.system else None,
        level=level,
        group_id=group_id,
        types=list(asked.types),
        since=asked.since,
        scopes=sorted(access.scopes) if access.scopes is not None else None,
        request_url=request_url,
        site_url=site_url,
    )
    queued = run_fhir_export.enqueue(str(export.pk))
    BulkExport.objects.filter(pk=export.pk).update(task_result_id=str(queued.id))
    log.info("fhir export queued export=%s level=%s", export.pk, level)
    return export


def _remove_files(export: BulkExport) -> None:
    prefix = folder(organization_id=export.organization_id, export_id=export.pk)
    files_delete(prefix=prefix, names=export.file_names())


@transaction.atomic
def export_cancel(*, export: BulkExport) -> None:
    """Stop the export (a running one stops at its next type) and remove its files."""
    BulkExport.objects.filter(pk=export.pk).update(
        status=ExportStatus.CANCELLED, output=[], errors=[], finished_at=timezone.now()
    )
    _remove_files(export)
    log.info("fhir export cancelled export=%s", export.pk)


def exports_expire(*, now: Any = None) -> int:
    """Remove the files of every export past its expiry; how many exports expired."""
    now = now or timezone.now()
    expired = 0
    due = BulkExport.objects.filter(status__in=HOLDS_FILES, expires_at__lte=now)
    for export in due.iterator():
        with transaction.atomic():
            _remove_files(export)
            expired += BulkExport.objects.filter(pk=export.pk, status=export.status).update(
                status=ExportStatus.EXPIRED, output=[], errors=[]
            )
    return expired
