"""Reads for OTA supervision, each scoped to the user's organization and role.

A clinic admin sees every OTA; an OT the OTAs they supervise; an OTA only themselves. Another
organization's OTA answers 404 exactly like a missing one.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import F, QuerySet
from django.utils import timezone

from otclinic.clinic.accounts.models import User
from otclinic.clinic.accounts.permissions import user_may
from otclinic.clinic.audit.reads import saw
from otclinic.clinic.care.models import NoteStatus, TreatmentNote
from otclinic.clinic.care.selectors import cosign_queue_for_user
from otclinic.clinic.common.errors import NotFoundForUser
from otclinic.clinic.common.links import link_maker
from otclinic.clinic.patients.models import Patient
from otclinic.clinic.staff.models import StaffProfile, staff_label
from otclinic.clinic.supervision import stored
from otclinic.clinic.supervision.adapters import hours_worked, month_start, ota_facts
from otclinic.clinic.supervision.models import SupervisionContact, SupervisionPlan
from otclinic.clinic.supervision.services import may_supervise
from otclinic.domain.access import Capability
from otclinic.domain.codes import Role
from otclinic.domain.compliance.findings import Severity
from otclinic.domain.compliance.supervision_contacts import supervision_status
from otclinic.domain.compliance.supervision_facts import (
    SupervisionFinding,
    SupervisionStatus,
    status_from_json,
)


def may_view_dashboard(user: User) -> bool:
    return (
        user_may(user, Capability.MANAGE_STAFF)
        or user_may(user, Capability.SUPERVISE_ASSISTANTS)
        or (user_may(user, Capability.WRITE_TREATMENT_NOTE) and user.role == Role.OTA)
    )


def may_view_notes(user: User) -> bool:
    """Whether the user sees supervisees' notes waiting and returned: a supervising OT (their
    own supervisees') or a clinic admin (every OTA's)."""
    return user_may(user, Capability.SUPERVISE_ASSISTANTS) or user_may(
        user, Capability.MANAGE_STAFF
    )


def otas_for_user(*, user: User) -> QuerySet[StaffProfile]:
    """The OTAs the user may see: all (admin), their supervisees (OT), themselves (OTA)."""
    if not may_view_dashboard(user):
        raise PermissionDenied("your role may not view supervision")
    rows = (
        StaffProfile.objects.for_org(user.organization_id)
        .filter(user__role=Role.OTA, active=True)
        .select_related("user", "supervising_ot__user")
        .order_by("user__last_name", "user__first_name")
    )
    if user_may(user, Capability.MANAGE_STAFF):
        return rows
    if user_may(user, Capability.SUPERVISE_ASSISTANTS):
        return rows.filter(supervising_ot__user=user)
    return rows.filter(user=user)


def ota_get_for_user(*, user: User, ota_id: Any) -> StaffProfile:
    """One OTA of the user's organization (404 otherwise) that the user may see (403)."""
    ota = (
        StaffProfile.objects.for_org(user.organization_id)
        .filter(pk=ota_id, user__role=Role.OTA)
        .select_related("user", "supervising_ot__user")
        .first()
    )
    if ota is None:
        raise NotFoundForUser("No such OTA.")
    if not (may_supervise(user, ota) or ota.user_id == user.pk):
        raise PermissionDenied("your role may not view this OTA's supervision")
    return ota


@dataclass(frozen=True)
class OtaRow:
    """One OTA on the dashboard: the engine's answer and the findings worth a look."""

    ota: StaffProfile
    status: SupervisionStatus
    judged_at: dt.datetime | None = None
    url: str = ""

    @property
    def attention(self) -> list[SupervisionFinding]:
        return [f for f in self.status.findings if f.severity is not Severity.INFO]

    @property
    def contact_finding(self) -> SupervisionFinding | None:
        return next((f for f in self.status.findings if "Supervision contact" in f.message), None)


def ota_status(*, ota: StaffProfile, as_of: dt.date) -> SupervisionStatus:
    return supervision_status(ota_facts(ota, as_of), as_of=as_of)


# What the dashboard shows of each OTA and what their facts read: not every column of four rows.
DASHBOARD_FIELDS = (
    "id",
    "organization_id",
    "credentials",
    "practice_started_on",
    "created_at",
    "user__first_name",
    "user__last_name",
    "user__username",
    "supervising_ot__credentials",
    "supervising_ot__user__first_name",
    "supervising_ot__user__last_name",
    "supervising_ot__user__username",
)


def dashboard_otas(*, user: User, as_of: dt.date) -> tuple[QuerySet[StaffProfile], int]:
    """Every OTA the user may see, overdue first then by the next day something falls due, and
    how many: their stored supervision status made current for `as_of` first (`stored`), so
    the list is sorted and paged in SQL however many OTAs the clinic has."""
    otas = otas_for_user(user=user)
    count = stored.make_current(otas, as_of=as_of)
    rows = (
        otas.select_related("stored_supervision")
        .only(*DASHBOARD_FIELDS, "stored_supervision__result", "stored_supervision__computed_at")
        .order_by(
            F("stored_supervision__overdue").desc(),
            F("stored_supervision__next_due").asc(nulls_last=True),
            "user__last_name",
            "user__first_name",
            "pk",
        )
    )
    return rows, count


def dashboard_rows(otas: Iterable[StaffProfile], *, as_of: dt.date) -> list[OtaRow]:
    """The dashboard's rows of a page of `dashboard_otas`: each OTA with their stored status,
    or (for one whose facts a write changed since `dashboard_otas` made it current) judged
    now."""
    link = link_maker("supervision-ota")
    rows = []
    for ota in otas:
        kept = ota.stored_supervision
        if kept.result is None:
            row = OtaRow(ota, ota_status(ota=ota, as_of=as_of), timezone.now(), link(ota.pk))
        else:
            row = OtaRow(ota, status_from_json(kept.result), kept.computed_at, link(ota.pk))
        rows.append(row)
    return rows


@dataclass(frozen=True)
class NoteLink:
    """One note in the dashboard's lists: what the line shows of it (not the note's text)."""

    url: str
    patient_last_name: str
    date_of_service: dt.date
    author: str
    cosign_reason: str


# What a line of the dashboard's note lists reads, as columns rather than five model rows.
NOTE_LINK_COLUMNS = (
    "pk",
    "episode__patient__last_name",
    "date_of_service",
    "author__user__first_name",
    "author__user__last_name",
    "author__user__username",
    "author__credentials",
    "cosign_reason",
)


def note_links(notes: QuerySet[TreatmentNote], *, limit: int = 30) -> list[NoteLink]:
    """The first `limit` of `notes` as the dashboard's lines (each names its patient: a read
    of patient data, for the audit trail)."""
    link = link_maker("note-detail")
    rows = list(notes.values_list("episode__patient_id", *NOTE_LINK_COLUMNS)[:limit])
    saw([row[0] for row in rows], "supervision dashboard")
    return [
        NoteLink(
            link(pk),
            patient,
            day,
            staff_label(first_name=first, last_name=last, username=username, credentials=creds),
            reason,
        )
        for _, pk, patient, day, first, last, username, creds, reason in rows
    ]


def _supervisee_notes(user: User, status: str) -> QuerySet[TreatmentNote]:
    notes = (
        TreatmentNote.objects.for_org(user.organization_id)
        .filter(status=status, author__user__role=Role.OTA)
        .order_by("date_of_service")
    )
    if user_may(user, Capability.MANAGE_STAFF):
        return notes
    return notes.filter(author__supervising_ot__user=user)


def cosign_waiting_for_user(*, user: User) -> QuerySet[TreatmentNote]:
    """Notes waiting for co-signature: the OT's own queue (care), or every OTA's for an admin."""
    if user_may(user, Capability.MANAGE_STAFF):
        return _supervisee_notes(user, NoteStatus.COSIGN_PENDING)
    return cosign_queue_for_user(user=user)


def returned_notes_for_user(*, user: User) -> QuerySet[TreatmentNote]:
    """Supervisees' notes returned with comments and not yet answered."""
    return _supervisee_notes(user, NoteStatus.RETURNED)


@dataclass(frozen=True)
class OtaDetail:
    ota: StaffProfile
    status: SupervisionStatus
    plans: list[SupervisionPlan]
    contacts: list[SupervisionContact]
    hours: list[tuple[dt.date, Any, bool]]


def ota_detail(*, ota: StaffProfile, as_of: dt.date) -> OtaDetail:
    """An OTA's status, plans, recent contacts and hours this month and last."""
    this = month_start(as_of)
    last = month_start(this - dt.timedelta(days=1))
    contacts = list(
        SupervisionContact.objects.filter(ota=ota)
        .select_related("supervisor__user")
        .prefetch_related("patients")[:25]
    )
    _audit_patients_shown(contacts)
    return OtaDetail(
        ota=ota,
        status=ota_status(ota=ota, as_of=as_of),
        plans=list(SupervisionPlan.objects.filter(ota=ota).select_related("supervising_ot__user")),
        contacts=contacts,
        hours=[(m, *hours_worked(ota, m)) for m in (this, last)],
    )


def _audit_patients_shown(contacts: list[SupervisionContact]) -> None:
    """The log names the patients discussed: showing them is a view of patient data."""
    saw([p.pk for c in contacts for p in c.patients.all()], "supervision log")


def supervisors_for_user(*, user: User) -> QuerySet[StaffProfile]:
    return (
        StaffProfile.objects.for_org(user.organization_id)
        .filter(user__role=Role.OT, active=True)
        .select_related("user")
    )


def patients_for_user(*, user: User) -> QuerySet[Patient]:
    return Patient.objects.for_org(user.organization_id).order_by("last_name", "first_name")


CASELOAD_DAYS = 90  # a contact discusses the OTA's patients of about the last quarter


def caseload_patients_of(*, ota: StaffProfile, around: dt.date) -> QuerySet[Patient]:
    """The patients the OTA saw or is booked to see within CASELOAD_DAYS of `around`: the
    contact form's choices, bounded by a caseload rather than by the practice's patients."""
    since = dt.datetime.combine(around - dt.timedelta(days=CASELOAD_DAYS), dt.time.min)
    until = dt.datetime.combine(around + dt.timedelta(days=CASELOAD_DAYS), dt.time.min)
    tz = timezone.get_current_timezone()
    return (
        Patient.objects.filter(
            organization_id=ota.organization_id,
            appointments__clinician=ota,
            appointments__starts_at__range=(since.replace(tzinfo=tz), until.replace(tzinfo=tz)),
        )
        .distinct()
        .order_by("last_name", "first_name")
    )


def own_status_for_user(*, user: User, as_of: dt.date) -> OtaRow | None:
    """The signed-in OTA's own supervision status, for their home page (None for anyone else):
    their stored answer, read with them, when it is current (`stored.status_of`)."""
    if user.role != Role.OTA:
        return None
    # The card names nobody: of the OTA only what a stale answer is judged from, not their
    # and their supervisor's names (four model rows fewer to build).
    ota = (
        otas_for_user(user=user)
        .select_related(None)
        .select_related("stored_supervision")
        .only(*stored.FACT_FIELDS, *stored.READ_FIELDS)
        .order_by()
        .first()
    )
    return OtaRow(ota, stored.status_of(ota, as_of=as_of)) if ota else None
