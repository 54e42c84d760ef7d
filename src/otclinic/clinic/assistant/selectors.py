"""Reads of the assistant: an organization's settings, a draft its requester may poll."""

from typing import Any, TypeVar

from django.http import Http404

from otclinic.clinic.accounts.models import User
from otclinic.clinic.assistant.models import AssistantDraft, AssistantSettings, ShorthandAsk
from otclinic.clinic.care.models import NoteStatus, PlanStatus, TreatmentNote
from otclinic.domain.care.phi import Identifiers

Asked = TypeVar("Asked", AssistantDraft, ShorthandAsk)


def settings_for(organization_id: Any) -> AssistantSettings:
    """The organization's settings (unsaved defaults, turned off, when it has none yet)."""
    found = AssistantSettings.objects.for_org(organization_id).first()
    return found or AssistantSettings(organization_id=organization_id)


def assistant_offered(*, note: TreatmentNote, user: Any) -> bool:
    """The note page's button: the organization turned it on, and this is the author's draft."""
    return note_is_authors_draft(note, user) and settings_for(note.organization_id).enabled


def note_is_authors_draft(note: TreatmentNote, user: Any) -> bool:
    return note.status == NoteStatus.DRAFT and note.author.user_id == user.pk


def shorthand_ask_get_for_user(*, user: User, ask_id: Any) -> ShorthandAsk:
    """A shorthand reading the user asked for; anyone else's answers 404."""
    return _asked_by(ShorthandAsk, user=user, pk=ask_id, missing="No such reading.")


def _asked_by(model: type[Asked], *, user: User, pk: Any, missing: str) -> Asked:
    """One of the assistant's requests that `user` made, with its note; anyone else's (another
    organization's too) answers 404 with `missing`."""
    found = (
        model.objects.for_org(user.organization_id)
        .filter(pk=pk, requested_by=user)
        .select_related("note")
        .first()
    )
    if found is None:
        raise Http404(missing)
    return found


def pending_proposals(*, note: Any) -> list[str]:
    """The lines whose proposal waits for the clinician's Accept or Discard: the note is not
    signed while any does (the care.hooks question `note_pending_proposals`)."""
    asks = ShorthandAsk.objects.for_org(note.organization_id).filter(note_id=note.pk)
    return [str(p["line"]) for ask in asks for p in ask.pending()]


def draft_get_for_user(*, user: User, draft_id: Any) -> AssistantDraft:
    """A draft the user asked for; anyone else's (another organization's too) answers 404."""
    return _asked_by(AssistantDraft, user=user, pk=draft_id, missing="No such draft.")


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


def visit_minutes(note: TreatmentNote) -> int:
    """The visit's booked length in minutes (the most a proposal may hold); 120, the most a
    line may hold, when the note has no booked visit."""
    visit = note.visit
    appointment = getattr(visit, "appointment", None) if visit else None
    if appointment is None:
        return 120
    return max(1, int((appointment.ends_at - appointment.starts_at).total_seconds() // 60))
