"""Reads of the SMART side."""

import uuid
from dataclasses import dataclass

from django.db.models import QuerySet

from otclinic.clinic.accounts.models import User
from otclinic.clinic.patients.access import portal_grants
from otclinic.clinic.smart.models import SmartClient
from otclinic.clinic.staff.models import StaffProfile


def clients_for_org(organization_id: uuid.UUID) -> QuerySet[SmartClient]:
    """The organization's registered clients, revoked ones too (marked so)."""
    return SmartClient.objects.for_org(organization_id).select_related("application")


@dataclass(frozen=True)
class FhirUser:
    """The FHIR resource that is the person signed in (an id_token's `fhirUser`)."""

    resource_type: str
    id: uuid.UUID


def fhir_user_of(user: User) -> FhirUser | None:
    """The Patient a patient's own portal login is, or the Practitioner (their staff profile) a
    member of staff is; None for a caregiver, whom no resource of this server represents
    (there is no RelatedPerson), and for anyone without a record."""
    if user.is_portal_user:
        own = [grant.patient.pk for grant in portal_grants(user) if grant.is_self]
        return FhirUser("Patient", own[0]) if len(own) == 1 else None
    profile = StaffProfile.objects.filter(user=user).values_list("pk", flat=True).first()
    return FhirUser("Practitioner", profile) if profile is not None else None
