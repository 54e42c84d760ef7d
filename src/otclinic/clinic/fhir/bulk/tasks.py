"""The export's task for the workers (django-tasks): passed by its id, as every job."""

import uuid
from typing import Any

from django_tasks import task

from otclinic.clinic.fhir.bulk.run import export_execute


@task()
def run_fhir_export(export_id: str) -> dict[str, Any]:
    return export_execute(export_id=uuid.UUID(export_id))
