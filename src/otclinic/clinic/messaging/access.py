"""Who may see a patient's messages, and why not: the one place these rules live.

A thread is readable by a user of its organization who is one of its participants (by name or
by role) and, when the thread is about a patient, who may see that patient:

- staff whose role has VIEW_CHART (domain.access; today every staff role has it, so for staff
  the patient check is a seam that later limits, such as a care-team restriction, plug into);
- portal users (patients, caregivers) with active portal access to that patient whose consent
  shares messages (patients.selectors.portal_patients_for_user), and only when added by name.

`why_cannot_see_patient` answers a sentence naming the person and the reason, which services
put in front of the user who tried to add, mention or assign them.
"""

import uuid

from django.db.models import Q, QuerySet

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import user_may
from otclinic.clinic.messaging.models import Participant, Thread
from otclinic.clinic.patients.models import Patient, PortalScope
from otclinic.clinic.patients.selectors import portal_patients_for_user
from otclinic.domain.access import Capability, role_may
from otclinic.domain.codes import Role


def _name(user: User) -> str:
    return f"{user.display_name()} (@{user.username})"


def why_cannot_see_patient(user: User, patient: Patient) -> str | None:
    """None when `user` may see `patient`; otherwise why not, naming the person."""
    basic = why_cannot_take_part(user, patient.organization_id)
    if basic:
        return basic
    if user.is_portal_user:
        if (
            not portal_patients_for_user(user=user, scope=PortalScope.MESSAGES)
            .filter(pk=patient.pk)
            .exists()
        ):
            return f"{_name(user)} has no active portal access to this patient's messages (no access, or the sharing consent does not include messages)."
        return None
    if not user_may(user, Capability.VIEW_CHART):
        return f"{_name(user)}'s role ({Role(user.role).label}) may not view patient charts."
    return None


def why_cannot_take_part(user: User, organization_id: uuid.UUID) -> str | None:
    """None when `user` may take part in a conversation of this organization at all."""
    if user.organization_id != organization_id:
        return f"@{user.username} is not a member of this practice."
    if not user.is_active:
        return f"{_name(user)}'s account is deactivated."
    if not user.role:
        return f"{_name(user)} has no role in this practice."
    return None


def why_cannot_see_thread(user: User, thread: Thread) -> str | None:
    """None when `user` may read `thread` as a participant (see the module's docstring)."""
    basic = why_cannot_take_part(user, thread.organization_id)
    if basic:
        return basic
    if not is_participant(user, thread):
        return "you are not one of this conversation's participants"
    if thread.patient is not None:
        return why_cannot_see_patient(user, thread.patient)
    if user.is_portal_user:
        return "portal logins take part only in conversations about their patient"
    return None


def participant_rows(user: User) -> QuerySet[Participant]:
    """Participant rows that admit `user`: by name, or (staff only) through their role."""
    if user.is_portal_user or not user.role:
        return Participant.objects.filter(user=user)
    return Participant.objects.filter(Q(user=user) | Q(role=user.role))


def is_participant(user: User, thread: Thread) -> bool:
    return participant_rows(user).filter(thread=thread).exists()


def why_role_cannot_see_patient(role: str) -> str | None:
    """None when everyone with this staff role may see patients (for role participants)."""
    known = {r.value for r in Role}
    if role not in known or Role(role).is_portal:
        return f"{role!r} is not a staff role; add patients and caregivers by name."
    if not role_may(Role(role), Capability.VIEW_CHART):
        return f"The {Role(role).label} role may not view patient charts."
    return None
