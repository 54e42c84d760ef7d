"""A tenant's FHIR resources, for tests/clinic/test_tenant_isolation.py (the FHIR read routes).

One signed record per tenant (tests.clinic.fhir.records), made once, gives every served type.
"""

from typing import Any

from tests.clinic.fhir.records import Record, full_record


def record(t: Any) -> Record:
    made = t.__dict__.setdefault("_made", {})
    if "fhir_record" not in made:
        made["fhir_record"] = full_record(org=t.org)
    return made["fhir_record"]


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
}
