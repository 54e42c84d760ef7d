"""The groups of patients otclinic offers as FHIR Group resources (and `Group/[id]/$export`).

Two kinds, each an actual group of persons whose members are computed when it is read:

- a clinic location's patients: every patient whose home clinic it is (the Group has the
  Location's id, and names the Location in its characteristic);
- a payer's members: every patient with a coverage of that payer, whatever its dates (the
  Group has the payer Organization's id).

A Group lists patients, so only staff and Backend Services clients read it (a portal login
reads none), and reading one counts as showing its members (the audit trail names them).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from otclinic.clinic.fhir import params as p
from otclinic.clinic.fhir.access import FhirAccess
from otclinic.clinic.fhir.shapes import Ctx, base, concept, prune, ref
from otclinic.clinic.fhir.sources import ResourceType, Source
from otclinic.clinic.organizations.models import Clinic
from otclinic.clinic.patients.models import Patient
from otclinic.clinic.payers.models import Payer

GROUP_KIND = "urn:otclinic:fhir:group-kind"
GROUP_CHARACTERISTIC = "urn:otclinic:fhir:group-characteristic"


def clinic_members(row: Clinic) -> QuerySet[Patient]:
    return Patient.objects.filter(organization_id=row.organization_id, home_clinic_id=row.pk)


def payer_members(row: Payer) -> QuerySet[Patient]:
    return Patient.objects.filter(
        organization_id=row.organization_id, coverages__payer_id=row.pk
    ).distinct()


def _member_ids(members: QuerySet[Patient]) -> list[Any]:
    # Ids only: the Group shows references, and loading the rows would not add anything.
    return list(members.order_by("pk").values_list("pk", flat=True))


def _group(
    row: Any, *, kind: tuple[str, str], name: str, holds: dict[str, Any], members: list[Any]
) -> dict[str, Any]:
    return prune(
        {
            **base("Group", row),
            "active": True,
            "type": "person",
            "actual": True,
            "code": concept(GROUP_KIND, *kind),
            "name": name,
            "quantity": len(members),
            "managingEntity": ref("Organization", row.organization_id),
            "characteristic": [
                {
                    "code": concept(GROUP_CHARACTERISTIC, *holds["code"]),
                    "valueReference": holds["value"],
                    "exclude": False,
                }
            ],
            "member": [{"entity": ref("Patient", pk)} for pk in members],
        }
    )


def clinic_group(row: Clinic, ctx: Ctx) -> dict[str, Any]:
    return _group(
        row,
        kind=("clinic-patients", "Patients of a clinic location"),
        name=f"Patients of {row.name}",
        holds={"code": ("home-clinic", "Home clinic"), "value": ref("Location", row.pk)},
        members=_member_ids(clinic_members(row)),
    )


def payer_group(row: Payer, ctx: Ctx) -> dict[str, Any]:
    return _group(
        row,
        kind=("payer-members", "Members of a payer's plans"),
        name=f"Members of {row.name}",
        holds={"code": ("payer", "Coverage with the payer"), "value": ref("Organization", row.pk)},
        members=_member_ids(payer_members(row)),
    )


def _staff_only(access: FhirAccess, rows: QuerySet[Any]) -> QuerySet[Any]:
    # A Backend Services client reads every patient of its organization, so its groups too.
    return rows if access.staff or access.system else rows.none()


@dataclass(frozen=True)
class GroupSource(Source):
    """A source of groups: the patients a row names are its members."""

    members: Callable[[Any], QuerySet[Patient]] = lambda row: Patient.objects.none()

    def patient_ids(self, row: Any) -> list[object]:
        return list(_member_ids(self.members(row)))


GROUP = ResourceType(
    "Group",
    (
        GroupSource(
            Clinic,
            clinic_group,
            params={"name": p.string("name")},
            narrow=_staff_only,
            members=clinic_members,
        ),
        GroupSource(
            Payer,
            payer_group,
            params={"name": p.string("name")},
            narrow=_staff_only,
            members=payer_members,
        ),
    ),
    {"name": "string"},
)


def group_members(access: FhirAccess, group_id: str) -> QuerySet[Patient] | None:
    """The members of one group the caller may read (None: no such group for them)."""
    for source in GROUP.sources:
        assert isinstance(source, GroupSource)
        try:
            row = source.rows(access, "Group").filter(pk=group_id).first()
        except (ValueError, TypeError, ValidationError):
            row = None
        if row is not None:
            return source.members(row)
    return None
