"""Reading exports: only who started one finds it; anyone else, in this organization or
another, gets the same 404 as for an id that does not exist."""

from django.core.exceptions import ValidationError

from otclinic.clinic.common.errors import NotFoundForUser
from otclinic.clinic.fhir.access import FhirAccess
from otclinic.clinic.fhir.bulk.access import may_follow
from otclinic.clinic.fhir.bulk.models import BulkExport, ExportStatus

GONE = (ExportStatus.CANCELLED, ExportStatus.EXPIRED)


def export_get_for_caller(*, access: FhirAccess, export_id: str) -> BulkExport:
    try:
        export = BulkExport.objects.for_org(access.organization_id).filter(pk=export_id).first()
    except (ValueError, ValidationError):
        export = None
    if export is None or export.status in GONE or not may_follow(access, export):
        raise NotFoundForUser("no such export")
    return export
