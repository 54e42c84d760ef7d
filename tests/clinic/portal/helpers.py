"""A patient shared in the portal: their own login, a caregiver by consent, and some record."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from otclinic.clinic.care.models import EpisodeDocument, Goal, GoalProgress
from otclinic.clinic.patients.models import Consent, PatientContact, PortalAccess, PortalScope
from tests.clinic import factories as f

ALL = list(PortalScope.values)


@dataclass
class Shared:
    patient: Any
    episode: Any
    goal: Any
    document: Any
    hidden_document: Any
    appointment: Any
    past_appointment: Any
    contact: Any
    consent: Any
    self_access: Any
    caregiver_access: Any

    @property
    def patient_user(self) -> Any:
        return self.self_access.user

    @property
    def caregiver_user(self) -> Any:
        return self.caregiver_access.user


def contact_for(patient: Any, name: str = "Rosa Caregiver") -> PatientContact:
    return PatientContact.objects.create(
        organization=patient.organization,
        patient=patient,
        name=name,
        relationship="spouse",
        email="rosa@example.org",
        is_caregiver=True,
    )


def sharing_consent(
    patient: Any, contact: Any, *, scopes: list[str] | None = None, **extra: Any
) -> Consent:
    return Consent.objects.create(
        organization=patient.organization,
        patient=patient,
        kind="portal_sharing",
        contact=contact,
        scopes=ALL if scopes is None else scopes,
        signed_on=extra.pop("signed_on", timezone.localdate() - dt.timedelta(days=10)),
        **extra,
    )


def document(episode: Any, *, shared: bool, title: str) -> EpisodeDocument:
    doc = EpisodeDocument(
        organization=episode.organization,
        episode=episode,
        kind="home_program",
        title=title,
        sha256="0" * 64,
        created_by=episode.therapist.user,
        shared_with_portal=shared,
    )
    doc.file.save("home.pdf", ContentFile(b"%PDF-1.4 home program"), save=True)
    return doc


def _goal(episode: Any) -> Goal:
    plan = f.PlanOfCareFactory(episode=episode, status="active")
    goal = Goal.objects.create(
        organization=episode.organization,
        plan=plan,
        term="short",
        description="Buttons a shirt on her own in 5 minutes",
        measure="minutes to button a shirt",
        unit="min",
        baseline=Decimal("12"),
        target=Decimal("5"),
        target_date=plan.established_on + dt.timedelta(days=42),
    )
    signed = f.TreatmentNoteFactory(
        episode=episode,
        status="signed",
        signed_at=timezone.now(),
        date_of_service=plan.established_on + dt.timedelta(days=7),
    )
    GoalProgress.objects.create(
        organization=episode.organization, note=signed, goal=goal, value=Decimal("9.5")
    )
    draft = f.TreatmentNoteFactory(
        episode=episode, date_of_service=plan.established_on + dt.timedelta(days=9)
    )
    GoalProgress.objects.create(
        organization=episode.organization, note=draft, goal=goal, value=Decimal("7.25")
    )
    return goal


def shared_patient(org: Any = None) -> Shared:
    patient = f.PatientFactory(**({"organization": org} if org else {}))
    episode = f.EpisodeFactory(
        patient=patient, started_on=timezone.localdate() - dt.timedelta(days=20)
    )
    goal = _goal(episode)
    now = timezone.now()
    contact = contact_for(patient)
    consent = sharing_consent(patient, contact)
    caregiver = f.UserFactory(organization=patient.organization, role="caregiver")
    return Shared(
        patient=patient,
        episode=episode,
        goal=goal,
        document=document(episode, shared=True, title="Shared home program"),
        hidden_document=document(episode, shared=False, title="Unshared draft program"),
        appointment=f.AppointmentFactory(
            patient=patient, clinician=episode.therapist, starts_at=now + dt.timedelta(days=2)
        ),
        past_appointment=f.AppointmentFactory(
            patient=patient, clinician=episode.therapist, starts_at=now - dt.timedelta(days=2)
        ),
        contact=contact,
        consent=consent,
        self_access=f.PortalAccessFactory(patient=patient, granted_on=timezone.localdate()),
        caregiver_access=PortalAccess.objects.create(
            organization=patient.organization,
            user=caregiver,
            patient=patient,
            contact=contact,
            consent=consent,
            granted_on=timezone.localdate() - dt.timedelta(days=10),
        ),
    )
