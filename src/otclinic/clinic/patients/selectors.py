"""Reads of patients, always through the user's organization and role.

A record of another organization is answered exactly like a record that does not exist (404),
so that one clinic cannot even learn that another's ids are real.
"""

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import require
from otclinic.clinic.audit.reads import saw
from otclinic.clinic.common.errors import NotFoundForUser
from otclinic.clinic.patients.access import (
    get_visible_patient,
    visible_patients,
)
from otclinic.clinic.patients.hooks import chart_episodes, chart_recent_notes
from otclinic.clinic.patients.models import Patient, PatientContact
from otclinic.clinic.patients.search import patients_matching
from otclinic.domain.access import Capability
from otclinic.domain.patients.search import parse_query


def patients_for_user(*, user: Any) -> QuerySet[Patient]:
    """Every patient the user may list (patients.access); a role without charts is refused."""
    require(user, Capability.VIEW_CHART)
    return visible_patients(user)


def patient_get_for_user(*, user: Any, patient_id: uuid.UUID | str) -> Patient:
    """One patient the user may open (patients.access), or 404."""
    require(user, Capability.VIEW_CHART)
    return get_visible_patient(user, patient_id)


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
    saw([contact.patient_id], "contact")
    return contact


def patient_search_for_user(*, user: User, query: str) -> QuerySet[Patient]:
    """Patients matching the search box (names, MRN, birth date or phone; see
    `patients.search`), by name; an empty query lists none. Callers take a page of it."""
    found = patients_matching(patients_for_user(user=user), parse_query(query))
    return found.select_related("home_clinic")


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

    The episodes come as the chart lists them (care's `episode_list_for_chart`, asked through
    `patients.hooks.chart_episodes`); their overviews (what is due, goals, documents, timeline)
    are a section the chart loads when it comes into view (web `patient_care_overview`)."""
    patient = patient_get_for_user(user=user, patient_id=patient_id)
    saw([patient.pk], "chart")
    return Chart(
        patient=patient,
        coverages=list(
            patient.coverages.select_related("payer").prefetch_related("authorizations")
        ),
        diagnoses=list(patient.diagnoses.all()),
        contacts=list(patient.contacts.all()),
        episodes=chart_episodes(user=user, patient=patient),
        recent_notes=chart_recent_notes(organization_id=patient.organization_id, patient=patient),
        referrals=list(patient.referrals.select_related("physician")),
    )
