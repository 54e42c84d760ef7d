"""Who may read a conversation, and why not: the one place this rule lives.

`visible_threads(user)` is the rule, as a query: a thread of the user's organization that the
user takes part in (by name, or for staff through their role) and, when it is about a patient,
whose patient the user may see:

- staff may see the patients `patients.access.visible_patients` lists (every staff role may
  view charts today; a role that may not sees only threads about no patient);
- portal logins (patients, caregivers) may see the patients whose record shares messages with
  them today (`patients.access.visible_portal_patients(scope="messages")`: the narrowest
  consent in force decides), and take part only when added by name, only in threads about a
  patient.

Everything else is derived from it: the inbox, the unread badge and counts
(`messaging.selectors`), opening a thread (`get_visible_thread`: another organization's thread,
one the user may not read and a missing one all answer 404), the portal's messages
(`messaging.portal`), and who is told of a new message (`readers_of`). The `why_*` functions
explain a refusal in a sentence naming the person, for services to show the user who tried to
add, mention or assign them; they decide nothing the queries do not.
"""

import uuid
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from otclinic.clinic.accounts.permissions import user_may
from otclinic.clinic.common.access import get_visible
from otclinic.clinic.messaging.models import Participant, Thread
from otclinic.clinic.patients.access import visible_patients, visible_portal_patients
from otclinic.clinic.patients.models import Patient, PortalScope
from otclinic.domain.access import Capability, role_may
from otclinic.domain.codes import Role


def _takes_part(user: Any) -> bool:
    return bool(getattr(user, "organization_id", None)) and user.is_active and bool(user.role)


def patients_in_messages(user: Any) -> QuerySet[Patient]:
    """The patients whose conversations `user` may read (see the module's docstring)."""
    if not _takes_part(user):
        return Patient.objects.none()
    if user.is_portal_user:
        return visible_portal_patients(user, scope=PortalScope.MESSAGES)
    return visible_patients(user)


def participant_rows(user: Any) -> QuerySet[Participant]:
    """Participant rows that admit `user`: by name, or (staff only) through their role."""
    if user.is_portal_user or not user.role:
        return Participant.objects.filter(user=user)
    return Participant.objects.filter(Q(user=user) | Q(role=user.role))


def visible_threads(user: Any) -> QuerySet[Thread]:
    """Every thread `user` may list and open: the rule (see the module's docstring)."""
    if not _takes_part(user):
        return Thread.objects.none()
    rows = Thread.objects.for_org(user.organization_id).filter(
        pk__in=participant_rows(user).values("thread_id")
    )
    about_a_patient = Q(patient__in=patients_in_messages(user))
    if user.is_portal_user:
        return rows.filter(about_a_patient)
    return rows.filter(Q(patient__isnull=True) | about_a_patient)


def get_visible_thread(user: Any, thread_id: uuid.UUID | str) -> Thread:
    """One thread `user` may read, or NotFoundForUser (404)."""
    return get_visible(
        visible_threads(user).select_related("patient", "episode", "note", "claim", "started_by"),
        thread_id,
        what="conversation",
    )


def may_read(user: Any, thread: Thread) -> bool:
    return visible_threads(user).filter(pk=thread.pk).exists()


def readers_of(thread: Thread) -> list[Any]:
    """Everyone who may read the thread now: named participants and members of its teams."""
    rows = list(thread.participants.all())
    named = Q(pk__in=[r.user_id for r in rows if r.user_id])
    roles = [r.role for r in rows if r.role]
    teams = Q(role__in=roles) if roles else Q(pk__in=[])
    people = get_user_model().objects.filter(named | teams, organization_id=thread.organization_id)
    return [p for p in people.distinct() if may_read(p, thread)]


def is_participant(user: Any, thread: Thread) -> bool:
    return participant_rows(user).filter(thread=thread).exists()


# Explanations ---------------------------------------------------------------------------------


def _name(user: Any) -> str:
    return f"{user.display_name()} (@{user.username})"


def why_cannot_take_part(user: Any, organization_id: Any) -> str | None:
    """None when `user` may take part in a conversation of this organization at all."""
    if user.organization_id != organization_id:
        return f"@{user.username} is not a member of this practice."
    if not user.is_active:
        return f"{_name(user)}'s account is deactivated."
    if not user.role:
        return f"{_name(user)} has no role in this practice."
    return None


def why_cannot_see_patient(user: Any, patient: Any) -> str | None:
    """None when `user` may read conversations about `patient`; otherwise why not."""
    basic = why_cannot_take_part(user, patient.organization_id)
    if basic:
        return basic
    if patients_in_messages(user).filter(pk=patient.pk).exists():
        return None
    if user.is_portal_user:
        return f"{_name(user)} has no active portal access to this patient's messages (no access, or the sharing consent does not include messages)."
    if not user_may(user, Capability.VIEW_CHART):
        return f"{_name(user)}'s role ({Role(user.role).label}) may not view patient charts."
    return f"{_name(user)} may not see this patient."


def why_cannot_see_thread(user: Any, thread: Thread) -> str | None:
    """None when `user` may read `thread` (visible_threads); otherwise why not."""
    if may_read(user, thread):
        return None
    basic = why_cannot_take_part(user, thread.organization_id)
    if basic:
        return basic
    if not is_participant(user, thread):
        return "you are not one of this conversation's participants"
    if thread.patient_id is None:
        return "portal logins take part only in conversations about their patient"
    return why_cannot_see_patient(user, thread.patient) or "you may not read this conversation"


def why_role_cannot_see_patient(role: str) -> str | None:
    """None when everyone with this staff role may see patients (for role participants)."""
    known = {r.value for r in Role}
    if role not in known or Role(role).is_portal:
        return f"{role!r} is not a staff role; add patients and caregivers by name."
    if not role_may(Role(role), Capability.VIEW_CHART):
        return f"The {Role(role).label} role may not view patient charts."
    return None
