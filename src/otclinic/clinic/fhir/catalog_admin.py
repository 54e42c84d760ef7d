"""The administrative FHIR types: people, places, the practice, coverage and consent.

`catalog.TYPES` registers these with the clinical ones (catalog.py); see there for how a type's
sources are read.
"""

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from otclinic.clinic.fhir import mappers_coverage as coverage
from otclinic.clinic.fhir import mappers_people as people
from otclinic.clinic.fhir import params as p
from otclinic.clinic.fhir.sources import ResourceType, Source
from otclinic.clinic.organizations.models import Clinic, Organization
from otclinic.clinic.patients.models import Consent, ConsentKind, Patient
from otclinic.clinic.payers.models import Coverage, Payer
from otclinic.clinic.referrals.models import ReferringPhysician
from otclinic.clinic.staff.models import StaffProfile
from otclinic.domain.fhir import terminology as t
from otclinic.domain.fhir.search import BadParameter, parse_token


def _in_force(today: dt.date) -> Q:
    """The consents that hold on `today` (as `Consent.in_force_on`)."""
    return (
        Q(signed_on__lte=today)
        & (Q(revoked_on__isnull=True) | Q(revoked_on__gt=today))
        & (Q(expires_on__isnull=True) | Q(expires_on__gte=today))
    )


def _consent_status(rows: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
    codes = {parse_token(name, v).code for v in value.split(",")}
    if not codes <= {"active", "inactive"}:
        raise BadParameter(name, "unknown code; use one of active, inactive")
    holding = _in_force(timezone.localdate())
    match = Q(pk__in=[])
    if "active" in codes:
        match |= holding
    if "inactive" in codes:
        match |= ~holding
    return rows.filter(match)


_CLINICIANS = Q(user__role__in=list(t.NUCC_BY_ROLE))

ADMINISTRATIVE: tuple[ResourceType, ...] = (
    ResourceType(
        "Patient",
        (
            Source(
                Patient,
                people.patient,
                patient_paths=("pk",),
                params={
                    "identifier": p.code("mrn", None),
                    "name": p.string("first_name", "last_name", "preferred_name"),
                    "family": p.string("last_name"),
                    "given": p.string("first_name", "preferred_name"),
                    "birthdate": p.date("birth_date"),
                    "gender": p.mapped("sex", t.GENDER),
                },
            ),
        ),
        {
            "identifier": "token",
            "name": "string",
            "family": "string",
            "given": "string",
            "birthdate": "date",
            "gender": "token",
        },
        revinclude_provenance=False,
    ),
    ResourceType(
        "Practitioner",
        (
            Source(
                StaffProfile,
                people.practitioner,
                params={
                    "identifier": p.code("npi", t.NPI),
                    "name": p.string("user__first_name", "user__last_name"),
                },
                related=("user",),
            ),
            Source(
                ReferringPhysician,
                people.physician,
                params={
                    "identifier": p.code("npi", t.NPI),
                    "name": p.string("first_name", "last_name"),
                },
            ),
        ),
        {"identifier": "token", "name": "string"},
    ),
    ResourceType(
        "Organization",
        (
            Source(
                Organization,
                people.organization,
                params={"name": p.string("name"), "identifier": p.code("npi", t.NPI)},
            ),
            Source(
                Payer,
                people.payer,
                params={
                    "name": p.string("name"),
                    "identifier": p.code("payer_id", t.LOCAL_PAYER_ID),
                },
            ),
        ),
        {"name": "string", "identifier": "token"},
    ),
    ResourceType(
        "PractitionerRole",
        (
            Source(
                StaffProfile,
                people.practitioner_role,
                where=_CLINICIANS,
                params={
                    "practitioner": p.ids("pk", resource_type="Practitioner"),
                    "specialty": p.mapped(
                        "user__role", {r: code for r, (code, _) in t.NUCC_BY_ROLE.items()}
                    ),
                    "role": p.code("user__role", t.LOCAL_ROLE),
                    "location": lambda rows, name, value: p.ids(
                        "clinics__id", resource_type="Location"
                    )(rows, name, value).distinct(),
                },
                related=("user", "organization"),
                prefetch=("clinics",),
            ),
        ),
        {
            "practitioner": "reference",
            "specialty": "token",
            "role": "token",
            "location": "reference",
        },
        includes={"PractitionerRole:practitioner": ("Practitioner", "pk")},
    ),
    ResourceType(
        "Location",
        (
            Source(
                Clinic,
                people.location,
                params={
                    "name": p.string("name"),
                    "address-state": p.string("state"),
                    "address-postalcode": p.string("zip_code"),
                    "address-city": p.string("city"),
                },
            ),
        ),
        {
            "name": "string",
            "address-city": "string",
            "address-state": "string",
            "address-postalcode": "string",
        },
    ),
    ResourceType(
        "Coverage",
        (
            Source(
                Coverage,
                coverage.coverage,
                patient_paths=("patient",),
                params={
                    **p.subject("patient"),
                    "beneficiary": p.patient("patient"),
                    "payor": p.ids("payer_id", resource_type="Organization"),
                    "type": p.mapped(
                        "payer__plan_kind",
                        {kind: code for kind, (code, _) in t.PAYMENT_TYPOLOGY.items()},
                    ),
                    "status": p.fixed("http://hl7.org/fhir/fm-status", ["active"]),
                },
                related=("payer",),
            ),
        ),
        {
            "patient": "reference",
            "beneficiary": "reference",
            "payor": "reference",
            "type": "token",
            "status": "token",
        },
    ),
    ResourceType(
        "Consent",
        (
            Source(
                Consent,
                coverage.consent,
                patient_paths=("patient",),
                where=Q(kind=ConsentKind.PORTAL_SHARING),
                params={
                    **p.subject("patient"),
                    "status": _consent_status,
                    "date": p.date("signed_on"),
                    "category": p.fixed(t.LOINC, [t.CONSENT_CATEGORY[0]]),
                },
                related=("contact",),
            ),
        ),
        {"patient": "reference", "status": "token", "date": "date", "category": "token"},
    ),
)
