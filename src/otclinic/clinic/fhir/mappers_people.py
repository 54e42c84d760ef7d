"""Patient, Practitioner, PractitionerRole, Organization and Location (US Core 6.1)."""

from typing import Any

from otclinic.clinic.fhir.shapes import Ctx, address, base, concept, prune, ref, telecom
from otclinic.clinic.organizations.models import Clinic, Organization
from otclinic.clinic.patients.models import Patient
from otclinic.clinic.payers.models import Payer
from otclinic.clinic.referrals.models import ReferringPhysician
from otclinic.clinic.staff.models import StaffProfile
from otclinic.domain.fhir.terminology import (
    GENDER,
    LOCAL_PAYER_ID,
    LOCAL_ROLE,
    NPI,
    NUCC_BY_ROLE,
    NUCC_TAXONOMY,
    ORGANIZATION_TYPE,
    TAX_ID,
    V2_0203,
    mrn_system,
)


def patient(row: Patient, ctx: Ctx) -> dict[str, Any]:
    names = [{"use": "official", "family": row.last_name, "given": [row.first_name]}]
    if row.preferred_name:
        names.append({"use": "usual", "given": [row.preferred_name]})
    return prune(
        {
            **base("Patient", row),
            "identifier": [
                {
                    "use": "usual",
                    "type": concept(V2_0203, "MR", "Medical record number"),
                    "system": mrn_system(row.organization_id),
                    "value": row.mrn,
                }
            ],
            "active": row.active,
            "name": names,
            "telecom": telecom(phone=row.phone, email=row.email),
            "gender": GENDER[row.sex],
            "birthDate": row.birth_date.isoformat(),
            "address": address(row.address, row.city, row.state, row.zip_code),
            "managingOrganization": ref("Organization", row.organization_id),
        }
    )


def _npi(value: str) -> list[dict[str, Any]]:
    return [{"system": NPI, "value": value}] if value else []


def practitioner(row: StaffProfile, ctx: Ctx) -> dict[str, Any]:
    """A member of staff; one without an NPI is identified by otclinic's staff id."""
    user = row.user
    identifiers = _npi(row.npi) or [
        {"system": f"urn:otclinic:organization:{row.organization_id}:staff", "value": str(row.pk)}
    ]
    name = {"family": user.last_name or user.username, "given": [user.first_name]}
    if row.credentials:
        name["suffix"] = [row.credentials]
    return prune(
        {
            **base("Practitioner", row),
            "identifier": identifiers,
            "active": row.active and user.is_active,
            "name": [prune(name | {"given": [g for g in name["given"] if g]})],
            "telecom": telecom(email=user.email),
        }
    )


def physician(row: ReferringPhysician, ctx: Ctx) -> dict[str, Any]:
    """A referring or certifying physician (or other practitioner) outside the practice."""
    name: dict[str, Any] = {"family": row.last_name, "given": [row.first_name]}
    if row.credentials:
        name["suffix"] = [row.credentials]
    return prune(
        {
            **base("Practitioner", row),
            "identifier": _npi(row.npi),
            "active": True,
            "name": [name],
            "telecom": telecom(phone=row.phone, fax=row.fax, email=row.direct_address),
        }
    )


def organization(row: Organization, ctx: Ctx) -> dict[str, Any]:
    identifiers = _npi(row.npi)
    if row.tax_id:
        identifiers.append({"system": TAX_ID, "value": row.tax_id})
    return prune(
        {
            **base("Organization", row),
            "identifier": identifiers,
            "active": True,
            "type": [concept(ORGANIZATION_TYPE, "prov", "Healthcare Provider")],
            "name": row.name,
            "telecom": telecom(phone=row.phone),
            "address": address(
                row.billing_address, row.billing_city, row.billing_state, row.billing_zip
            ),
        }
    )


def location(row: Clinic, ctx: Ctx) -> dict[str, Any]:
    return prune(
        {
            **base("Location", row),
            "identifier": _npi(row.npi),
            "status": "active",
            "name": row.name,
            "telecom": telecom(phone=row.phone),
            "address": next(iter(address(row.address, row.city, row.state, row.zip_code)), None),
            "managingOrganization": ref("Organization", row.organization_id),
        }
    )


def payer(row: Payer, ctx: Ctx) -> dict[str, Any]:
    """A payer the clinic bills, as the Organization a Coverage names (its X12 payer id)."""
    return prune(
        {
            **base("Organization", row),
            "identifier": [{"system": LOCAL_PAYER_ID, "value": row.payer_id}],
            "active": row.active,
            "type": [concept(ORGANIZATION_TYPE, "pay", "Payer")],
            "name": row.name,
        }
    )


def practitioner_role(row: StaffProfile, ctx: Ctx) -> dict[str, Any]:
    """A clinician's role in the practice: their discipline (NUCC taxonomy), the clinics they
    work at, and how to reach them (their email, the practice's phone)."""
    role = row.user.role
    specialty, label = NUCC_BY_ROLE[role]
    return prune(
        {
            **base("PractitionerRole", row),
            "active": row.active and row.user.is_active,
            "practitioner": ref("Practitioner", row.pk, str(row)),
            "organization": ref("Organization", row.organization_id),
            "code": [concept(LOCAL_ROLE, role, row.user.get_role_display())],
            "specialty": [concept(NUCC_TAXONOMY, specialty, label)],
            "location": [ref("Location", clinic.pk, clinic.name) for clinic in row.clinics.all()],
            "telecom": telecom(phone=row.organization.phone, email=row.user.email),
        }
    )
