"""A FHIR type's sources: the rows it is read from, whose patient they belong to, the
filters its search parameters apply to them, and the mapper that turns a row into a resource.
The served types themselves are listed in `catalog.py`."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, Q, QuerySet

from otclinic.clinic.fhir import params as p
from otclinic.clinic.fhir.access import FhirAccess
from otclinic.clinic.fhir.shapes import Ctx
from otclinic.clinic.organizations.models import Organization

Mapper = Callable[[Any, Ctx], dict[str, Any]]


@dataclass(frozen=True)
class Source:
    model: type[Model]
    mapper: Mapper
    # The path from a row to its patient ("episode__patient"); None: not a patient's record.
    patient_paths: tuple[str, ...] = ()
    params: Mapping[str, p.Filter] = field(default_factory=dict)
    where: Q = field(default_factory=Q)
    related: tuple[str, ...] = ()
    prefetch: tuple[str, ...] = ()
    # Extra narrowing by the caller (appointments: a biller sees only their own caseload).
    narrow: Callable[[FhirAccess, QuerySet[Any]], QuerySet[Any]] | None = None

    def rows(self, access: FhirAccess, resource_type: str) -> QuerySet[Any]:
        manager = self.model._default_manager
        if self.model is Organization:
            rows = manager.filter(pk=access.organization_id)
        else:
            rows = manager.filter(organization_id=access.organization_id)
        rows = rows.filter(self.where)
        if self.patient_paths:
            patients = access.patients(resource_type)
            allowed = Q()
            for path in self.patient_paths:
                allowed |= Q(**{f"{path}__in": patients})
            rows = rows.filter(allowed)
        elif not access.may_read(resource_type):
            rows = rows.none()
        if self.narrow is not None:
            rows = self.narrow(access, rows)
        return rows.select_related(*self.related).prefetch_related(*self.prefetch).order_by("pk")

    def patient_ids(self, row: Any) -> list[object]:
        found = []
        for path in self.patient_paths:
            if path == "pk":
                found.append(row.pk)
                continue
            value: Any = row
            for step in path.split("__"):
                value = getattr(value, step, None) if value is not None else None
            if value is not None:
                found.append(value.pk)
        return found


@dataclass(frozen=True)
class ResourceType:
    name: str
    sources: tuple[Source, ...]
    # The search parameters served, each with its FHIR type (CapabilityStatement).
    search: Mapping[str, str]
    revinclude_provenance: bool = False
    # `_include` values beyond `<Type>:patient`: the value -> (the type included, the attribute
    # of a row that holds the included resource's id).
    includes: Mapping[str, tuple[str, str]] = field(default_factory=dict)
