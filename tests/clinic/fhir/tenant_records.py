"""A tenant's FHIR resources, for tests/clinic/test_tenant_isolation.py (the FHIR read routes).

One signed record per tenant (tests.clinic.fhir.records), made once, gives every served type.
"""

import datetime as dt
from typing import Any

from django.utils import timezone

from otclinic.clinic.fhir.bulk.files import NdjsonWriter, folder
from otclinic.clinic.fhir.bulk.models import BulkExport, ExportLevel, ExportStatus
from tests.clinic.fhir.records import Record, full_record


def record(t: Any) -> Record:
    made = t.__dict__.setdefault("_made", {})
    if "fhir_record" not in made:
        made["fhir_record"] = full_record(org=t.org)
    return made["fhir_record"]


def export(t: Any) -> BulkExport:
    """A finished export of the tenant's patient, started by the tenant's administrator."""
    made = t.__dict__.setdefault("_made", {})
    if "fhir_export" not in made:
        patient = record(t).patient
        row = BulkExport.objects.create(
            organization=t.org,
            requested_by=t.user,
            level=ExportLevel.PATIENT,
            types=["Patient"],
            request_url="http://testserver/fhir/R4/Patient/$export",
            site_url="http://testserver",
            status=ExportStatus.DONE,
            transaction_time=timezone.now(),
            finished_at=timezone.now(),
            expires_at=timezone.now() + dt.timedelta(hours=24),
        )
        writer = NdjsonWriter(
            prefix=folder(organization_id=t.org.pk, export_id=row.pk), resource_type="Patient"
        )
        writer.write(
            {
                "resourceType": "Patient",
                "id": str(patient.pk),
                "name": [{"family": patient.last_name}],
            },
            patient_ids=[patient.pk],
        )
        writer.flush()
        row.output = writer.files
        row.save()
        made["fhir_export"] = row
    return made["fhir_export"]


ID_KINDS = {
    "practitioner_id": lambda t: record(t).episode.therapist_id,
    "organization_id": lambda t: t.org.pk,
    "location_id": lambda t: record(t).patient.home_clinic_id,
    "condition_id": lambda t: record(t).diagnosis.pk,
    "encounter_id": lambda t: record(t).note.pk,
    "procedure_id": lambda t: record(t).line.pk,
    "goal_id": lambda t: record(t).goal.pk,
    "careplan_id": lambda t: record(t).plan.pk,
    "observation_id": lambda t: record(t).score.pk,
    "documentreference_id": lambda t: record(t).report.pk,
    "servicerequest_id": lambda t: record(t).referral.pk,
    "provenance_id": lambda t: record(t).author_signature.pk,
    "practitionerrole_id": lambda t: record(t).episode.therapist_id,
    # The tenant's own coverage: the pages and the JSON API name their coverage ids the same way.
    "coverage_id": lambda t: t.coverage.pk,
    "consent_id": lambda t: record(t).consent.pk,
    # claim_id: the tenant's claim of tests/clinic/revenue/claims/tenant_records.py.
    "explanationofbenefit_id": lambda t: record(t).eob.pk,
    "group_id": lambda t: record(t).patient.home_clinic_id,
    "bulkexport_id": lambda t: export(t).pk,
    "export_file": lambda t: export(t).output[0]["name"],
}
