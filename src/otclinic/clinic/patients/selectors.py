"""Reads of patients, always through the user's organization and role.

A record of another organization is answered exactly like a record that does not exist (404),
so that one clinic cannot even learn that another's ids are real.
"""

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.audit.models import AuditAction
from otclinic.clinic.audit.services import audit_record
from otclinic.clinic.common.errors import NotFoundForUser
from otclinic.clinic.patients.hooks import (
    chart_episodes,
    chart_recent_notes,
    portal_shared_patient_ids,
)
from otclinic.clinic.patients.models import Patient, PatientContact
from otclinic.domain.access import Capability


def patients_for_user(*, user: User) -> QuerySet[Patient]:
    """Every patient the user's organization has; staff only."""
    require(user, Capability.VIEW_CHART)
    return Patient.objects.for_org(user.organization_id)


def patient_get_for_user(*, user: User, patient_id: uuid.UUID | str) -> Patient:
    """One patient of the user's organization, or 404."""
    try:
        return patients_for_user(user=user).select_related("home_clinic").get(pk=patient_id)
    except (Patient.DoesNotExist, ValueError) as exc:
        raise NotFoundForUser("no such patient") from exc


def contact_get_for_user(*, user: User, contact_id: uuid.UUID | str) -> PatientContact:
    """One contact of a patient of the user's organization, or 404; opening it is audited."""
    require(user, Capability.VIEW_CHART)
    try:
        contact = (
            PatientContact.objects.for_org(user.organization_id)
            .select_related("patient")
            .get(pk=contact_id)
        )
    except (PatientContact.DoesNotExist, ValueError) as exc:
        raise NotFoundForUser("no such contact") from exc
    audit_record(
        action=AuditAction.VIEW,
        object_type="patients.patientcontact",
        object_id=contact.pk,
        organization_id=contact.organization_id,
        patient_id=contact.patient_id,
        detail="contact",
    )
    return contact


def patient_search_for_user(*, user: User, query: str, limit: int = 25) -> list[Patient]:
    """Patients whose name, MRN or birth date matches; an empty query lists none."""
    qs = patients_for_user(user=user)
    terms = query.split()
    if not terms:
        return []
    for term in terms:
        qs = qs.filter(
            Q(last_name__istartswith=term)
            | Q(first_name__istartswith=term)
            | Q(mrn__iexact=term)
            | Q(preferred_name__istartswith=term)
        )
    return list(qs.select_related("home_clinic")[:limit])


@dataclass(frozen=True)
class Chart:
    patient: Patient
    coverages: list[Any]
    diagnoses: list[Any]
    contacts: list[Any]
    episodes: list[Any]
    recent_notes: list[Any]
    referrals: list[Any]


def chart_for_user(*, user: User, patient_id: uuid.UUID | str) -> Chart:
    """The chart's contents; opening a chart is recorded in the audit trail.

    The episodes come with everything their overviews read (care's `episodes_for_chart`, asked
    through `patients.hooks.chart_episodes`): the chart lists them and shows each one's overview
    from the same rows."""
    patient = patient_get_for_user(user=user, patient_id=patient_id)
    audit_record(
        action=AuditAction.VIEW,
        object_type="patients.patient",
        object_id=patient.pk,
        organization_id=patient.organization_id,
        patient_id=patient.pk,
        detail="chart",
    )
    return Chart(
        patient=patient,
        coverages=list(patient.coverages.select_related("payer")),
        diagnoses=list(patient.diagnoses.all()),
        contacts=list(patient.contacts.all()),
        episodes=chart_episodes(user=user, patient=patient),
        recent_notes=chart_recent_notes(organization_id=patient.organization_id, patient=patient),
        referrals=list(patient.referrals.select_related("physician")),
    )


def portal_patients_for_user(*, user: User, scope: str | None = None) -> QuerySet[Patient]:
    """The patients a portal user may see today: their own record, or those shared with them.

    With `scope` (a `PortalScope` value), only those whose consent shares that part of the
    record (a patient's own login has every scope). The rules (consent in force, access not
    revoked, scopes) live in `portal.access`, asked through `patients.hooks`.
    """
    shared = portal_shared_patient_ids(user=user, scope=scope)
    return Patient.objects.for_org(user.organization_id).filter(pk__in=shared)
