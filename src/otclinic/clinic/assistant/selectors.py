"""Reads of the assistant: an organization's settings, a draft its requester may poll."""

from typing import Any

from django.http import Http404

from otclinic.clinic.accounts.models import User
from otclinic.clinic.assistant.models import AssistantDraft, AssistantSettings
from otclinic.clinic.care.models import NoteStatus, PlanStatus, TreatmentNote
from otclinic.domain.care.phi import Identifiers


def settings_for(organization_id: Any) -> AssistantSettings:
    """The organization's settings (unsaved defaults, turned off, when it has none yet)."""
    found = AssistantSettings.objects.for_org(organization_id).first()
    return found or AssistantSettings(organization_id=organization_id)


def assistant_offered(*, note: TreatmentNote, user: Any) -> bool:
    """The note page's button: the organization turned it on, and this is the author's draft."""
    return (
        note.status == NoteStatus.DRAFT
        and note.author.user_id == user.pk
        and settings_for(note.organization_id).enabled
    )


def draft_get_for_user(*, user: User, draft_id: Any) -> AssistantDraft:
    """A draft the user asked for; anyone else's (another organization's too) answers 404."""
    draft = (
        AssistantDraft.objects.for_org(user.organization_id)
        .filter(pk=draft_id, requested_by=user)
        .select_related("note")
        .first()
    )
    if draft is None:
        raise Http404("No such draft.")
    return draft


def note_identifiers(note: TreatmentNote) -> Identifiers:
    """Who a note is about and by: the names, numbers and dates that are masked before sending."""
    patient = note.episode.patient
    contacts = list(patient.contacts.all())
    author = note.author.user
    return Identifiers(
        names=tuple(
            n
            for n in (
                f"{patient.first_name} {patient.last_name}",
                patient.preferred_name,
                *(c.name for c in contacts),
                f"{author.first_name} {author.last_name}",
            )
            if n.strip()
        ),
        ids=(patient.mrn,),
        phones=tuple(p for p in (patient.phone, *(c.phone for c in contacts)) if p),
        addresses=tuple(
            a for a in (patient.address, patient.email, *(c.email for c in contacts)) if a
        ),
        dates=(patient.birth_date, note.date_of_service),
    )


def plan_codes(note: TreatmentNote) -> list[str]:
    """The codes of the episode's active plan of care: the only codes a model may propose."""
    plan = note.episode.plans.filter(status=PlanStatus.ACTIVE).first()
    return list(plan.interventions.values_list("code", flat=True)) if plan else []
