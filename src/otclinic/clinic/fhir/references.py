"""Resolving the references a posted resource makes to records on file.

A reference is `Type/id`, a `urn:uuid:` of an entry written earlier in the same transaction
Bundle, a conditional `Type?identifier=system|value`, or a logical `identifier`. Every lookup
starts from the writer's organization (and for patients from `visible_patients`), so another
organization's record is answered like a missing one: 422 on the element, nothing written.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet

from otclinic.clinic.fhir.access import FhirAccess
from otclinic.clinic.organizations.models import Clinic
from otclinic.clinic.patients.access import visible_patients
from otclinic.clinic.patients.models import Patient
from otclinic.clinic.payers.models import Payer
from otclinic.clinic.referrals.models import Referral, ReferringPhysician
from otclinic.clinic.staff.models import StaffProfile
from otclinic.domain.fhir import input as fin
from otclinic.domain.fhir.terminology import LOCAL_PAYER_ID, NPI, mrn_system


@dataclass
class Resolver:
    """What the references of one request (or one transaction Bundle) resolve to."""

    access: FhirAccess
    written: dict[str, Model] = field(default_factory=dict)  # urn:uuid -> the row written

    def patients(self) -> QuerySet[Patient]:
        return visible_patients(self.access.user)

    def _org(self, model: type[Any]) -> QuerySet[Any]:
        rows: QuerySet[Any] = model.objects.for_org(self.access.organization_id)
        return rows

    def _identified(self, kind: str, rows: QuerySet[Any], ident: tuple[str, str]) -> Any:
        system, value = ident
        lookups = {
            "Patient": {mrn_system(self.access.organization_id): "mrn"},
            "Practitioner": {NPI: "npi"},
            "Organization": {LOCAL_PAYER_ID: "payer_id"},
        }.get(kind, {})
        column = lookups.get(system)
        return rows.filter(**{column: value}).first() if column else None

    def resolve(
        self, value: Any, expression: str, *, kind: str, rows: QuerySet[Any], label: str = ""
    ) -> Any:
        """The row a reference to a `kind` names among `rows`, or Invalid (422) naming it."""
        ref = fin.reference(value, expression, resource_type=kind)
        found: Any = None
        if ref.urn:
            found = self.written.get(ref.urn)
            found = found if found is not None and isinstance(found, rows.model) else None
        elif ref.query:
            found = self._identified(kind, rows, fin.identifier_query(ref.query, expression))
        elif ref.identifier:
            found = self._identified(kind, rows, ref.identifier)
        else:
            try:
                found = rows.filter(pk=ref.id).first()
            except (ValueError, ValidationError):
                found = None
        if found is None:
            raise fin.Invalid(expression, f"no such {label or kind} on file", status=422)
        return found

    def patient(self, value: Any, expression: str) -> Patient:
        patient: Patient = self.resolve(value, expression, kind="Patient", rows=self.patients())
        return patient

    def physician(self, value: Any, expression: str) -> ReferringPhysician:
        rows = self._org(ReferringPhysician)
        return self.resolve(value, expression, kind="Practitioner", rows=rows, label="physician")  # type: ignore[no-any-return]

    def clinician(self, value: Any, expression: str) -> StaffProfile:
        rows = self._org(StaffProfile).filter(active=True)
        return self.resolve(value, expression, kind="Practitioner", rows=rows, label="clinician")  # type: ignore[no-any-return]

    def clinic(self, value: Any, expression: str) -> Clinic:
        return self.resolve(value, expression, kind="Location", rows=self._org(Clinic))  # type: ignore[no-any-return]

    def payer(self, value: Any, expression: str) -> Payer:
        rows = self._org(Payer)
        return self.resolve(value, expression, kind="Organization", rows=rows, label="payer")  # type: ignore[no-any-return]

    def referral(self, value: Any, expression: str) -> Referral:
        rows = self._org(Referral).filter(patient__in=self.patients())
        return self.resolve(value, expression, kind="ServiceRequest", rows=rows, label="referral")  # type: ignore[no-any-return]


def contained(resource: Mapping[str, Any], value: Any) -> Mapping[str, Any] | None:
    """The contained resource a `#id` reference names, if it is one."""
    if not isinstance(value, Mapping):
        return None
    raw = value.get("reference")
    if not (isinstance(raw, str) and raw.startswith("#")):
        return None
    for inner in resource.get("contained") or []:
        if isinstance(inner, Mapping) and inner.get("id") == raw[1:]:
            return inner
    return None
