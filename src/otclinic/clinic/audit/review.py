"""Reading the trail: one organization's entries, filtered for the audit review page."""

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from otclinic.clinic.audit.models import AuditAction, AuditEvent
from otclinic.clinic.audit.reads import READ_OBJECT_TYPE, naming_patient

# The review page's action filter, in plain words, and the entries each one means.
ACTIONS: dict[str, tuple[str, list[str]]] = {
    "read": ("Saw", [AuditAction.VIEW]),
    "create": ("Created", [AuditAction.CREATE]),
    "change": ("Changed", [AuditAction.UPDATE, AuditAction.BULK]),
    "delete": ("Deleted", [AuditAction.DELETE]),
    "sign-in": (
        "Signed in or out",
        [AuditAction.LOGIN, AuditAction.LOGIN_FAILED, AuditAction.LOGOUT],
    ),
}


@dataclass(frozen=True)
class AuditFilter:
    """What the reviewer asked for; every part is optional."""

    patient_id: uuid.UUID | None = None
    actor_id: uuid.UUID | None = None
    action: str = ""
    since: dt.date | None = None
    until: dt.date | None = None
    # A filter that cannot be met (a name that matches no patient, a refused form) lists nothing.
    impossible: bool = False


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_entries(*, organization_id: uuid.UUID, wanted: AuditFilter) -> QuerySet[AuditEvent]:
    """The organization's entries that match `wanted`, newest first (never another
    organization's, nor the installation's)."""
    rows: QuerySet[AuditEvent] = AuditEvent.objects.filter(organization_id=organization_id)
    if wanted.impossible:
        return rows.none()
    if wanted.patient_id:
        rows = naming_patient(rows, wanted.patient_id)
    if wanted.actor_id:
        rows = rows.filter(actor_id=wanted.actor_id)
    if wanted.action in ACTIONS:
        rows = rows.filter(action__in=ACTIONS[wanted.action][1])
    if wanted.since:
        rows = rows.filter(at__gte=_start_of(wanted.since))
    if wanted.until:
        rows = rows.filter(at__lt=_start_of(wanted.until + dt.timedelta(days=1)))
    return rows.order_by("-at", "-seq")


def action_words(action: str) -> str:
    """An entry's action in the page's words ("Saw", "Changed")."""
    for words, actions in ACTIONS.values():
        if action in actions:
            return words
    return action


def patients_named(entry: AuditEvent) -> list[str]:
    """The ids of the patients an entry is about: its patient, and those a read or a bulk change
    of patients named."""
    named = set(entry.object_ids) if entry.object_type == READ_OBJECT_TYPE else set()
    if entry.patient_id:
        named.add(str(entry.patient_id))
    return sorted(named)
